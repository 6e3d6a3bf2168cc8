#!/usr/bin/python3
"""impacket as the oracle for Anywhere's NSPI codecs (used by NspiImpacketInteropTest).

  impacket_nspi_oracle.py requests   prints one JSON object per line: {"name", "hex"}, requests that
                                     impacket.dcerpc.v5.nspi marshals as its exchanger.py sends them
  impacket_nspi_oracle.py responses  reads {"name", "hex"} lines (our encoded responses) on stdin and prints
                                     {"name", "parsed"}: what impacket's response classes and
                                     simplifyPropertyRowSet make of them, or {"name", "error"}
"""
import binascii
import json
import sys

from impacket.dcerpc.v5 import nspi
from impacket.dcerpc.v5.dtypes import DWORD, LPWSTR, LPSTR, NULL
from impacket.dcerpc.v5.ndr import NDR


# PS_MAPI, 00020328-0000-0000-C000-000000000046, as FlatUID_r bytes
PS_MAPI = bytes.fromhex('2803020000000000c000000000000046')


def handle():
    h = nspi.handle_t()
    h['context_handle_attributes'] = 0
    h['context_handle_uuid'] = bytes(range(1, 17))
    return h


def tags(values):
    arr = nspi.PropertyTagArray_r()
    for v in values:
        d = DWORD()
        d['Data'] = v
        arr['aulPropTag'].append(d)
    arr['cValues'] = len(values)
    arr.fields['aulPropTag'].fields['MaximumCount'] = len(values) + 1
    return arr


def requests():
    out = []
    r = nspi.NspiBind()
    r['dwFlags'] = 0
    r['pStat']['CodePage'] = nspi.CP_TELETEX
    r['pServerGuid'] = b'\x00' * 16
    out.append(('bind', r))

    r = nspi.NspiUnbind()
    r['contextHandle'] = handle()
    r['Reserved'] = 1
    out.append(('unbind', r))

    r = nspi.NspiGetSpecialTable()
    r['hRpc'] = handle()
    r['dwFlags'] = nspi.NspiUnicodeStrings
    r['pStat'] = nspi.STAT()
    r['lpVersion'] = NULL
    out.append(('getSpecialTable', r))

    r = nspi.NspiUpdateStat()
    r['hRpc'] = handle()
    r['pStat']['ContainerID'] = 0x11
    r['pStat']['CodePage'] = nspi.CP_TELETEX
    r['plDelta'] = NULL
    out.append(('updateStat', r))

    r = nspi.NspiQueryRows()
    r['hRpc'] = handle()
    r['dwFlags'] = nspi.fSkipObjects
    r['pStat']['CurrentRec'] = 0x12
    r['pStat']['NumPos'] = 3
    r['pStat']['CodePage'] = nspi.CP_TELETEX
    r['Count'] = 50
    r['pPropTags'] = tags([0x3a00001f, 0x39fe001f, 0x80270102, 0x30070040, 0x30080040, 0x8c6d0102])
    r['lpETable'] = NULL
    r['dwETableCount'] = 0
    out.append(('queryRows', r))

    r = nspi.NspiQueryRows()
    r['hRpc'] = handle()
    r['dwFlags'] = nspi.fSkipObjects
    r['pStat']['ContainerID'] = 0x11
    r['Count'] = 50
    r['pPropTags'] = tags([0x0ff60102, 0x3001001f])
    for mid in (0x10, 0x13, 0x7FFF):
        d = DWORD()
        d['Data'] = mid
        r['lpETable'].append(d)
    r['dwETableCount'] = 3
    out.append(('queryRowsExplicit', r))

    r = nspi.NspiQueryColumns()
    r['hRpc'] = handle()
    r['dwFlags'] = nspi.NspiUnicodeProptypes
    out.append(('queryColumns', r))

    r = nspi.NspiResolveNamesW()
    r['hRpc'] = handle()
    r['pPropTags'] = tags([0x3001001f, 0x8c6d0102])
    r['paStr']['Count'] = 2
    for s in ('/guid=00112233445566778899aabbccddeeff', 'Franky'):
        w = LPWSTR()
        w['Data'] = s + '\x00'
        r['paStr']['Strings'].append(w)
    out.append(('resolveNamesW', r))

    r = nspi.NspiResolveNames()
    r['hRpc'] = handle()
    r['pStat']['CodePage'] = 1252
    r['pPropTags'] = tags([0x3001001e])
    r['paStr']['Count'] = 1
    a = LPSTR()
    a['Data'] = 'franky@frankysweb.org\x00'
    r['paStr']['Strings'].append(a)
    out.append(('resolveNames', r))

    r = nspi.NspiDNToMId()
    r['hRpc'] = handle()
    r['pNames']['Count'] = 2
    for s in ('/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky', '/o=x'):
        a = LPSTR()
        a['Data'] = s + '\x00'
        r['pNames']['Strings'].append(a)
    out.append(('dnToMid', r))

    r = nspi.NspiGetProps()
    r['hRpc'] = handle()
    r['dwFlags'] = nspi.fSkipObjects
    r['pStat']['CurrentRec'] = 0x10
    r['pStat']['CodePage'] = nspi.CP_TELETEX
    for t in (0x3001001f, 0x3003001f):
        d = DWORD()
        d['Data'] = t
        r['pPropTags']['aulPropTag'].append(d)
    r['pPropTags']['cValues'] = 3
    r.fields['pPropTags'].fields['Data'].fields['aulPropTag'].fields['MaximumCount'] = 3
    out.append(('getProps', r))

    r = nspi.NspiGetPropList()
    r['hRpc'] = handle()
    r['dwFlags'] = nspi.fSkipObjects
    r['dwMId'] = 0x10
    r['CodePage'] = nspi.CP_TELETEX
    out.append(('getPropList', r))

    r = nspi.NspiCompareMIds()
    r['hRpc'] = handle()
    r['pStat']['ContainerID'] = 0x11
    r['pStat']['CodePage'] = nspi.CP_TELETEX
    r['MId1'] = 0x12
    r['MId2'] = 0x34
    out.append(('compareMIds', r))

    r = nspi.NspiGetTemplateInfo()
    r['hRpc'] = handle()
    r['dwFlags'] = nspi.TI_TEMPLATE
    r['ulType'] = nspi.DT_MAILUSER
    r['pDN'] = NULL
    r['dwCodePage'] = 1252
    r['dwLocaleID'] = 0x409
    out.append(('getTemplateInfo', r))

    r = nspi.NspiGetTemplateInfo()
    r['hRpc'] = handle()
    r['dwFlags'] = nspi.TI_TEMPLATE | nspi.TI_SCRIPT
    r['ulType'] = 0
    r['pDN'] = '/o=First Organization/cn=Templates\x00'
    r['dwCodePage'] = nspi.CP_TELETEX
    r['dwLocaleID'] = 0x407
    out.append(('getTemplateInfoDn', r))

    r = nspi.NspiModLinkAtt()
    r['hRpc'] = handle()
    r['dwFlags'] = nspi.fDelete
    r['ulPropTag'] = 0x8009000d
    r['dwMId'] = 0x20
    for value in (b'\x00\x00\x00\x00abc', b''):
        b = nspi.Binary_r()
        b['cValues'] = len(value)
        b['lpb'] = value
        r['lpEntryIds']['lpbin'].append(b)
    r['lpEntryIds']['cValues'] = 2
    out.append(('modLinkAtt', r))

    r = nspi.NspiGetNamesFromIDs()
    r['hRpc'] = handle()
    r['lpguid'] = PS_MAPI
    r['pPropTags'] = tags([0x3001001f, 0x8009000d])
    out.append(('getNamesFromIDs', r))

    r = nspi.NspiGetNamesFromIDs()
    r['hRpc'] = handle()
    r['lpguid'] = NULL
    r['pPropTags'] = NULL
    out.append(('getNamesFromIDsAll', r))

    for name, req in out:
        print(json.dumps({'name': name, 'hex': binascii.hexlify(req.getData()).decode()}))


RESPONSES = {
    'bind': nspi.NspiBindResponse,
    'unbind': nspi.NspiUnbindResponse,
    'updateStat': nspi.NspiUpdateStatResponse,
    'queryRows': nspi.NspiQueryRowsResponse,
    'getSpecialTable': nspi.NspiGetSpecialTableResponse,
    'queryColumns': nspi.NspiQueryColumnsResponse,
    'resolveNamesW': nspi.NspiResolveNamesWResponse,
    'resolveNames': nspi.NspiResolveNamesResponse,
    'dnToMid': nspi.NspiDNToMIdResponse,
    'getProps': nspi.NspiGetPropsResponse,
    'getPropList': nspi.NspiGetPropListResponse,
    'compareMIds': nspi.NspiCompareMIdsResponse,
    'getTemplateInfo': nspi.NspiGetTemplateInfoResponse,
    'modLinkAtt': nspi.NspiModLinkAttResponse,
    'getNamesFromIDs': nspi.NspiGetNamesFromIDsResponse,
    'getIDsFromNames': nspi.NspiGetIDsFromNamesResponse,
}


def plain(v):
    if isinstance(v, bytes):
        return binascii.hexlify(v).decode()
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (int, str)) or v is None:
        return v
    if isinstance(v, NDR):
        return binascii.hexlify(v.getData()).decode()  # values simplifyPropertyRow leaves as NDR objects (PtypGuid)
    return str(v)


def rows(rowset):
    return [{('0x%08x' % k): plain(v) for k, v in row.items()} for row in nspi.simplifyPropertyRowSet(rowset)]


def stat(s):
    return {f: s[f] for f in ('SortType', 'ContainerID', 'CurrentRec', 'Delta', 'NumPos', 'TotalRecs', 'CodePage')}


def tag_list(arr):
    return [x['Data'] for x in arr['aulPropTag']]


def null(v):
    """impacket reads a NULL pointer as b''."""
    return isinstance(v, bytes) and v == b''


def parse(name, data):
    resp = RESPONSES[name.split(':')[0]](data)
    p = {'ErrorCode': resp['ErrorCode']}
    if name.startswith('bind'):
        p['guid'] = plain(resp['pServerGuid'])
        p['handle'] = plain(resp['contextHandle'].getData())
    elif name.startswith('unbind'):
        p['handle'] = plain(resp['contextHandle'].getData())
    elif name.startswith('updateStat'):
        p['stat'] = stat(resp['pStat'])
    elif name.startswith('queryRows'):
        p['stat'] = stat(resp['pStat'])
        p['rows'] = rows(resp['ppRows'])
    elif name.startswith('getSpecialTable'):
        p['version'] = resp['lpVersion']
        p['rows'] = rows(resp['ppRows'])
    elif name.startswith('resolveNames'):
        p['mids'] = tag_list(resp['ppMIds'])
        p['cRows'] = resp['ppRows']['cRows']
        p['rows'] = rows(resp['ppRows'])
    elif name.startswith('getProps'):
        p['row'] = {('0x%08x' % k): plain(v) for k, v in nspi.simplifyPropertyRow(resp['ppRows']).items()}
    elif name.startswith('compareMIds'):
        p['result'] = resp['plResult']
    elif name.startswith('getTemplateInfo'):
        p['row'] = None if null(resp['ppData']) \
            else {('0x%08x' % k): plain(v) for k, v in nspi.simplifyPropertyRow(resp['ppData']).items()}
    elif name.startswith('modLinkAtt'):
        pass
    elif name.startswith('getNamesFromIDs'):
        p['tags'] = None if null(resp['ppReturnedPropTags']) else tag_list(resp['ppReturnedPropTags'])
        p['names'] = [{'guid': None if null(n['lpguid']) else plain(n['lpguid']), 'lID': n['lID']}
                      for n in resp['ppNames']['aulPropTag']]
    elif name.startswith('getIDsFromNames'):
        p['tags'] = tag_list(resp['ppPropTags'])
    else:
        key = 'ppColumns' if name.startswith('queryColumns') else 'ppOutMIds'
        p['tags'] = tag_list(resp[key])
    return p


def responses():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        item = json.loads(line)
        try:
            print(json.dumps({'name': item['name'], 'parsed': parse(item['name'], binascii.unhexlify(item['hex']))}))
        except Exception as e:  # the test reports what impacket could not parse
            print(json.dumps({'name': item['name'], 'error': '%s: %s' % (type(e).__name__, e)}))
        sys.stdout.flush()


if __name__ == '__main__':
    {'requests': requests, 'responses': responses}[sys.argv[1]]()
