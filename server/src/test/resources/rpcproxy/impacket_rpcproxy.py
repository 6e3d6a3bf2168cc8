#!/usr/bin/python3
"""impacket 0.10 as the RPC over HTTP v2 client of Anywhere's gateway (RPC proxy) in front of its RPC endpoints.

usage: impacket_rpcproxy.py SCENARIO IN_URL OUT_URL SERVER PORT [SECONDS]
  IN_URL / OUT_URL  http(s)://127.0.0.1:P/rpc/rpcproxy.dll; different URLs put the IN and OUT channel on
                    different gateways
  SERVER            the ?server part; empty: taken from the NTLM challenge (MsvAvNbComputerName)
  SCENARIO
    basic   Basic auth: MGMT inq_if_ids, then an EPM lookup on a second virtual connection
    ntlm    NTLM (impacket's AUTO mode): the same
    big     Basic: opnum 0 of the big-response test interface (over 256 KiB: impacket must ack the OUT channel)
    idle    Basic: inq_if_ids, SECONDS of silence (the proxy pings), inq_if_ids again
    nspi    Basic on HTTP, NTLM at PKT_PRIVACY for DCE/RPC (as Outlook): NspiBind, the address book hierarchy
            (NspiGetSpecialTable), NspiUnbind; prints the tables' display names
    refused Basic: connect must fail (a port outside ValidPorts); prints the error
    hijack  Basic: franky's virtual connection answers inq_if_ids; hanna connects with franky's virtual connection
            cookie (must fail; the error is printed); franky's answers again; franky reconnects without disconnect()
            (impacket then reuses its cookies) and answers on the new virtual connection
Prints one JSON object; exits non-zero on any unexpected failure (the traceback goes to stderr).
"""
import json
import sys
import time

from impacket import uuid
from impacket.dcerpc.v5 import epm, mgmt, rpch, transport
from impacket.http import AUTH_BASIC

BIG_IFACE = ('6a1e7c59-0d5b-4c3e-9e4f-aa7b5f00c0de', '1.0')


def connect(scenario, in_url, out_url, server, port, user=('franky', 'Secret-1'), cookie=None):
    t = transport.DCERPCTransportFactory('ncacn_http:%s[%s]' % (server, port))
    t.set_rpc_proxy_url(in_url)
    t.set_credentials(user[0], user[1], 'FRANKYSWEB')
    if cookie is not None:
        # Another client's virtual connection cookie (impacket keeps it in a private field).
        t._RPCProxyClient__virtualConnectionCookie = cookie
    t.set_connect_timeout(10)
    if scenario != 'ntlm':
        t.set_auth_type(AUTH_BASIC)
    if out_url != in_url:
        # RPC_OUT_DATA through another gateway: same query, other host:port.
        original = rpch.RPCProxyClient.create_rpc_out_channel

        def out_elsewhere(self):
            saved = self._rpcProxyUrl
            self._rpcProxyUrl = self._rpcProxyUrl._replace(netloc=transport.urlparse(out_url).netloc)
            try:
                original(self)
            finally:
                self._rpcProxyUrl = saved
        t.create_rpc_out_channel = out_elsewhere.__get__(t)
    dce = t.get_dce_rpc()
    dce.connect()
    return t, dce


def if_ids(dce):
    resp = mgmt.hinq_if_ids(dce)
    vector = resp['if_id_vector']
    return ['%s v%d.%d' % (uuid.bin_to_string(i['Uuid']).lower(), i['VersMajor'], i['VersMinor'])
            for i in vector['if_id'][:vector['count']]]


def main():
    scenario, in_url, out_url, server, port = sys.argv[1:6]
    seconds = float(sys.argv[6]) if len(sys.argv) > 6 else 0
    out = {'scenario': scenario}
    if scenario == 'refused':
        try:
            connect(scenario, in_url, out_url, server, port)
            out['error'] = None
        except Exception as e:  # impacket raises RPCProxyClientException
            out['error'] = str(e)
        print(json.dumps(out, sort_keys=True))
        return

    if scenario == 'hijack':
        t, dce = connect(scenario, in_url, out_url, server, port)
        dce.bind(mgmt.MSRPC_UUID_MGMT)
        out['if_ids'] = if_ids(dce)
        try:
            connect(scenario, in_url, out_url, server, port, ('hanna', 'Secret-2'),
                    t._RPCProxyClient__virtualConnectionCookie)
            out['hijack_error'] = None
        except Exception as e:
            out['hijack_error'] = str(e)
        out['after_hijack'] = if_ids(dce)
        dce.connect()
        dce.bind(mgmt.MSRPC_UUID_MGMT)
        out['after_reconnect'] = if_ids(dce)
        dce.disconnect()
        print(json.dumps(out, sort_keys=True))
        return

    t, dce = connect(scenario, in_url, out_url, server, port)
    out['binding'] = str(t.get_stringbinding()) if hasattr(t, 'get_stringbinding') else None
    if scenario == 'big':
        dce.bind(uuid.uuidtup_to_bin(BIG_IFACE))
        dce.call(0, b'')
        answer = dce.recv()
        out['big'] = len(answer)
        expected = bytes(i & 0xff for i in range(len(answer)))
        out['big_ok'] = answer == expected
        if answer != expected:
            first = next(i for i in range(len(answer)) if answer[i] != expected[i])
            out['big_first_difference'] = first
            out['big_around'] = answer[first - 4:first + 12].hex()
        dce.disconnect()
        print(json.dumps(out, sort_keys=True))
        return

    if scenario == 'nspi':
        from impacket.dcerpc.v5 import nspi
        from impacket.dcerpc.v5.rpcrt import RPC_C_AUTHN_LEVEL_PKT_PRIVACY
        dce.set_credentials('franky', 'Secret-1', 'FRANKYSWEB')
        dce.set_auth_level(RPC_C_AUTHN_LEVEL_PKT_PRIVACY)
        dce.bind(nspi.MSRPC_UUID_NSPI)
        handle = nspi.hNspiBind(dce)['contextHandle']
        rows = nspi.simplifyPropertyRowSet(nspi.hNspiGetSpecialTable(dce, handle)['ppRows'])
        out['tables'] = sorted(v.decode('latin-1') if isinstance(v, bytes) else v
                               for row in rows for k, v in row.items() if k >> 16 == 0x3001)
        out['unbind'] = nspi.hNspiUnbind(dce, handle)['ErrorCode']
        dce.disconnect()
        print(json.dumps(out, sort_keys=True))
        return

    dce.bind(mgmt.MSRPC_UUID_MGMT)
    out['if_ids'] = if_ids(dce)
    if scenario == 'idle':
        time.sleep(seconds)
        out['after_idle'] = if_ids(dce)
        dce.disconnect()
        print(json.dumps(out, sort_keys=True))
        return
    dce.disconnect()

    t, dce = connect(scenario, in_url, out_url, server, port)
    entries = epm.hept_lookup(None, dce=dce)
    out['lookup'] = sorted('%s %s' % (uuid.bin_to_string(e['tower']['Floors'][0]['InterfaceUUID']).lower(),
                                      e['annotation'].rstrip(b'\x00').decode('ascii'))
                           for e in entries)
    dce.disconnect()
    print(json.dumps(out, sort_keys=True))


if __name__ == '__main__':
    main()
