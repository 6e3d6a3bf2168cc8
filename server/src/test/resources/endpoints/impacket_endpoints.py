#!/usr/bin/python3
"""impacket as an independent DCE/RPC client of Anywhere's RPC endpoints.

usage: impacket_endpoints.py http|tcp HOST PORT
  http: RPC over HTTP v1 directly to an ncacn_http port (banner, then plain DCE/RPC)
  tcp:  plain ncacn_ip_tcp
Prints one JSON object; exits non-zero on any failure (the traceback goes to stderr).
"""
import json
import sys

from impacket import uuid
from impacket.dcerpc.v5 import epm, mgmt, transport
from impacket.dcerpc.v5.rpcrt import DCERPCException


def connect(binding):
    t = transport.DCERPCTransportFactory(binding)
    t.set_connect_timeout(10)
    dce = t.get_dce_rpc()
    dce.connect()
    return dce


def main():
    mode, host, port = sys.argv[1], sys.argv[2], sys.argv[3]
    protseq = 'ncacn_http' if mode == 'http' else 'ncacn_ip_tcp'
    binding = '%s:%s[%s]' % (protseq, host, port)
    out = {'binding': binding}

    dce = connect(binding)
    dce.bind(mgmt.MSRPC_UUID_MGMT)
    resp = mgmt.hinq_if_ids(dce)
    vector = resp['if_id_vector']
    out['if_ids'] = ['%s v%d.%d' % (uuid.bin_to_string(i['Uuid']).lower(), i['VersMajor'], i['VersMinor'])
                     for i in vector['if_id'][:vector['count']]]
    out['listening_status'] = mgmt.his_server_listening(dce)['status']
    stats = mgmt.hinq_stats(dce)
    out['stats_count'] = stats['count']
    try:
        mgmt.hstop_server_listening(dce)
        out['stop'] = 'allowed'
    except DCERPCException as e:
        out['stop'] = 'refused 0x%x' % e.get_error_code()
    dce.disconnect()

    dce = connect(binding)
    entries = epm.hept_lookup(None, dce=dce)
    out['lookup'] = sorted('%s %s %s' % (epm.PrintStringBinding(e['tower']['Floors']),
                                         uuid.bin_to_string(e['tower']['Floors'][0]['InterfaceUUID']).lower(),
                                         e['annotation'].rstrip(b'\x00').decode('ascii'))
                           for e in entries)
    out['map'] = epm.hept_map(host, mgmt.MSRPC_UUID_MGMT, protocol=protseq, dce=dce)
    dce.disconnect()
    print(json.dumps(out, sort_keys=True))


if __name__ == '__main__':
    main()
