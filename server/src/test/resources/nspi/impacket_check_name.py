#!/usr/bin/python3
"""An RCA-style "Check Name" with impacket's NSPI helpers over RPC over HTTP at PKT_PRIVACY (NspiExchangerInteropTest).

  impacket_check_name.py GATEWAY_ADDRESS DOMAIN USER PASSWORD SMTP LEGACY_DN

prints JSON: NspiBind, ResolveNames (8-bit) of the SMTP address, DNToMId of the legacy DN, GetProps of that MId
(PR_DISPLAY_NAME, PR_EMAIL_ADDRESS, PR_EMS_AB_HOME_MDB), GetPropList, Unbind.
"""
import json
import sys

from impacket.dcerpc.v5 import nspi, transport

gateway, domain, user, password, smtp, legacy_dn = sys.argv[1:7]
t = transport.DCERPCTransportFactory('ncacn_http:[6004,RpcProxy=%s:443]' % gateway)
t.set_credentials(user, password, domain, '', '')
dce = t.get_dce_rpc()
dce.set_credentials(user, password, domain, '', '')
dce.set_auth_level(6)
dce.connect()
dce.bind(nspi.MSRPC_UUID_NSPI)
handle = nspi.hNspiBind(dce)['contextHandle']
out = {}

resolved = nspi.hNspiResolveNames(dce, handle, pPropTags=[0x3001001e, 0x3003001e], paStr=[smtp])
out['resolve_mids'] = [m['Data'] for m in resolved['ppMIds']['aulPropTag']]
out['resolve_rows'] = [{('0x%08x' % k): (v.decode('latin-1') if isinstance(v, bytes) else v) for k, v in row.items()}
                       for row in nspi.simplifyPropertyRowSet(resolved['ppRows'])]

mids = nspi.hNspiDNToMId(dce, handle, pNames=[legacy_dn])
mid = mids['ppOutMIds']['aulPropTag'][0]['Data']
out['dn_mid'] = mid

props = nspi.hNspiGetProps(dce, handle, CurrentRec=mid, pPropTags=[0x3001001f, 0x3003001f, 0x8006001f])
out['props'] = {('0x%08x' % k): v for k, v in nspi.simplifyPropertyRow(props['ppRows']).items()}

plist = nspi.hNspiGetPropList(dce, handle, dwMId=mid)  # impacket names ppPropTags ppOutMIds
out['prop_list'] = [p['Data'] for p in plist['ppOutMIds']['aulPropTag']]

out['unbind'] = nspi.hNspiUnbind(dce, handle)['ErrorCode']
print(json.dumps(out))
