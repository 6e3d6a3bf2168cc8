#!/usr/bin/python3
"""Interop helper for RpchImpacketInteropTest: impacket (Debian python3-impacket) builds and parses PDUs.

  build VC OUT IN AG ACK   print "NAME HEX" lines built by impacket (cookies: 16-byte wire hex)
  parse                    read "NAME HEX" lines from stdin, print what impacket makes of each
"""
import sys
from binascii import hexlify, unhexlify
from struct import unpack

from impacket.dcerpc.v5 import rpch, rpcrt
from impacket.uuid import uuidtup_to_bin

EPM = ('e1af8308-5d1f-11c9-91a4-08002b14a0fa', '3.0')
NDR = ('8a885d04-1ceb-11c9-9fe8-08002b104860', '2.0')


def build(vc, out, inc, ag, ack):
    print('CONN/A1', hexlify(rpch.hCONN_A1(vc, out, 262144)).decode())
    print('CONN/B1', hexlify(rpch.hCONN_B1(vc, inc, ag)).decode())
    print('FlowControlAckWithDestination',
          hexlify(rpch.hFlowControlAckWithDestination(3, 1000, 262144, ack)).decode())
    print('Ping', hexlify(rpch.hPing()).decode())
    # a bind exactly as DCERPC_v5.bind() builds it (no auth)
    bind = rpcrt.MSRPCBind()
    item = rpcrt.CtxItem()
    item['AbstractSyntax'] = uuidtup_to_bin(EPM)
    item['TransferSyntax'] = uuidtup_to_bin(NDR)
    item['ContextID'] = 0
    item['TransItems'] = 1
    bind.addCtxItem(item)
    packet = rpcrt.MSRPCHeader()
    packet['type'] = rpcrt.MSRPC_BIND
    packet['pduData'] = bind.getData()
    packet['call_id'] = 1
    print('bind', hexlify(packet.get_packet()).decode())


def text(value):
    # impacket's 'z' fields are str or bytes depending on the version
    return value.decode() if isinstance(value, bytes) else value


def parse():
    for line in sys.stdin:
        name, hexdata = line.split()
        data = unhexlify(hexdata)
        if data[2] == rpcrt.MSRPC_RTS:
            header = rpch.RTSHeader(data)
            pdu = header['pduData']
            types = []
            for _ in range(header['NumberOfCommands']):
                cmd_type = unpack('<L', pdu[:4])[0]
                cmd = rpch.COMMANDS[cmd_type](pdu)
                types.append('%x' % cmd_type)
                pdu = pdu[len(cmd):]
            print(name, 'frag_len=%d' % header['frag_len'], 'flags=%d' % header['Flags'],
                  'types=%s' % ','.join(types), 'rest=%d' % len(pdu))
        elif data[2] == rpcrt.MSRPC_BINDACK:
            ack = rpcrt.MSRPCBindAck(data)
            item = ack.getCtxItem(1)
            print(name, 'call_id=%d' % ack['call_id'], 'max_tfrag=%d' % ack['max_tfrag'],
                  'assoc_group=%d' % ack['assoc_group'], 'sec_addr=%s' % text(ack['SecondaryAddr']),
                  'result=%d' % item['Result'], 'transfer=%s' % hexlify(item['TransferSyntax']).decode())
        else:
            print(name, 'unexpected PTYPE %d' % data[2])


if __name__ == '__main__':
    if sys.argv[1] == 'build':
        build(*[unhexlify(a) for a in sys.argv[2:7]])
    else:
        parse()
