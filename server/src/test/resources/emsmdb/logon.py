# Mailbox logon with impacket 0.10 as the sealing DCE/RPC client: ncacn_http through an RPC proxy, NTLM at the
# given auth level, bound to EMSMDB v0.81. The stubs come from Java's codecs (hex arguments); impacket carries them
# as raw calls and prints each response stub in hex, one line per call. The EcDoRpcExt2 stub and the
# EcDoDisconnect stub start with a placeholder context handle that is replaced by the one EcDoConnectEx returned.
# usage: logon.py BINDING DOMAIN USER PASSWORD LEVEL CONNECT_HEX RPC_HEX
import sys

from impacket.dcerpc.v5 import transport
from impacket.uuid import uuidtup_to_bin

binding, domain, user, password, level, connect_hex, rpc_hex = sys.argv[1:8]
t = transport.DCERPCTransportFactory(binding)
t.set_credentials(user, password, domain, '', '')
dce = t.get_dce_rpc()
dce.set_credentials(user, password, domain, '', '')
dce.set_auth_level(int(level))
dce.connect()
dce.bind(uuidtup_to_bin(('a4f1db00-ca47-1067-b31f-00dd010662da', '0.81')))

dce.call(10, bytes.fromhex(connect_hex))
connected = dce.recv()
print(connected.hex())
cxh = connected[:20]
if cxh != bytes(20):
    dce.call(11, cxh + bytes.fromhex(rpc_hex)[20:])
    print(dce.recv().hex())
    dce.call(1, cxh)
    print(dce.recv().hex())
dce.disconnect()
