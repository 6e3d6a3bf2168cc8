"""impacket.ntlm as an independent NTLM client, driven by NtlmImpacketInteropTest.

  impacket_ntlm.py negotiate    plain|sign OUT
  impacket_ntlm.py authenticate plain|sign CHALLENGE_FILE OUT DOMAIN USER PASSWORD

negotiate writes the base64 NEGOTIATE_MESSAGE (type 1). authenticate re-creates the same type 1, reads the
base64 CHALLENGE_MESSAGE and writes three lines: the base64 AUTHENTICATE_MESSAGE (type 3), impacket's
exported session key in hex, and the MsvAvNbComputerName impacket reads from the challenge.
"""
import base64
import sys

from impacket import ntlm


def negotiate_message(mode):
    return ntlm.getNTLMSSPType1(workstation='NOTEBOOK', domain='', signingRequired=(mode == 'sign'))


def main(argv):
    command, mode = argv[1], argv[2]
    if command == 'negotiate':
        with open(argv[3], 'w') as out:
            out.write(base64.b64encode(negotiate_message(mode).getData()).decode('ascii'))
        return 0
    if command == 'authenticate':
        challenge_file, out_file, domain, user, password = argv[3:8]
        with open(challenge_file) as f:
            challenge = base64.b64decode(f.read())
        authenticate, exported_key = ntlm.getNTLMSSPType3(negotiate_message(mode), challenge, user, password, domain)
        target_info = ntlm.AV_PAIRS(ntlm.NTLMAuthChallenge(challenge)['TargetInfoFields'])
        computer_name = target_info[ntlm.NTLMSSP_AV_HOSTNAME][1].decode('utf-16le')
        with open(out_file, 'w') as out:
            out.write(base64.b64encode(authenticate.getData()).decode('ascii') + '\n')
            out.write(exported_key.hex() + '\n')
            out.write(computer_name + '\n')
        return 0
    print('unknown command: ' + command, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
