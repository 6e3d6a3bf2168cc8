#!/usr/bin/python3
"""impacket 0.10's oxabref module as an RFR client of Anywhere's endpoints, through the gateway (RPC over HTTP v2).

usage: impacket_rfr.py PROXY PORT USER PASSWORD DOMAIN LEVEL USER_DN SERVER_DN
  PROXY   host:443 of the RPC proxy (impacket reaches proxies on 443 only)
  PORT    the RFR endpoint's port (the RPC server name comes from the HTTP NTLM challenge)
  LEVEL   DCE/RPC auth level (6 = PKT_PRIVACY); the same account authenticates HTTP and DCE/RPC
Calls RfrGetNewDSA(USER_DN) and RfrGetFQDNFromServerDN(SERVER_DN) on one association and prints one JSON object;
an RPC error is printed as "error" (exit 0); anything else exits non-zero with the traceback on stderr.
"""
import json
import sys

from impacket.dcerpc.v5 import oxabref, transport
from impacket.dcerpc.v5.rpcrt import DCERPCException


def main():
    proxy, port, user, password, domain, level, user_dn, server_dn = sys.argv[1:9]
    t = transport.DCERPCTransportFactory('ncacn_http:[%s,RpcProxy=%s]' % (port, proxy))
    t.set_credentials(user, password, domain)
    t.set_connect_timeout(10)
    dce = t.get_dce_rpc()
    dce.set_credentials(user, password, domain)  # DCE/RPC's own NTLM (the transport's are HTTP's)
    dce.set_auth_level(int(level))
    dce.connect()
    out = {}
    try:
        dce.bind(oxabref.MSRPC_UUID_OXABREF)
        out['new_dsa'] = oxabref.hRfrGetNewDSA(dce, user_dn)['ppszServer']
        out['fqdn'] = oxabref.hRfrGetFQDNFromServerDN(dce, server_dn)['ppszServerFQDN']
    except DCERPCException as e:
        out['error'] = str(e)
    dce.disconnect()
    print(json.dumps(out, sort_keys=True))


if __name__ == '__main__':
    main()
