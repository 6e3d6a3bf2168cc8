package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.Octets;

/**
 * Inputs and results of the [MS-NLMP] section 4.2 examples, transcribed as hex with the section each comes
 * from. The spec's hex dumps were cross-checked against the same bytes quoted in several independent
 * NTLM test suites; no code was taken from them.
 */
final class SpecVectors {

    private SpecVectors() {
    }

    // 4.2.1 Common Values
    static final String USER = "User";
    static final String DOMAIN = "Domain";
    static final String PASSWORD = "Password";
    static final String SERVER_NAME = "Server";
    static final String WORKSTATION = "COMPUTER";
    static final Octets RANDOM_SESSION_KEY = Octets.ofHex("55555555555555555555555555555555");
    static final long TIME = 0L;
    static final Octets CLIENT_CHALLENGE = Octets.ofHex("aaaaaaaaaaaaaaaa");
    static final Octets SERVER_CHALLENGE = Octets.ofHex("0123456789abcdef");

    // 4.2.4.1.1 NTOWFv2() and LMOWFv2()
    static final Octets RESPONSE_KEY_NT = Octets.ofHex("0c868a403bfd7a93a3001ef22ef02e3f");
    // 4.2.4.1.2 Session Base Key
    static final Octets SESSION_BASE_KEY = Octets.ofHex("8de40ccadbc14a82f15cb0ad0de95ca3");
    // 4.2.4.1.3 temp
    static final Octets TEMP = Octets.ofHex(
            "0101000000000000 0000000000000000 aaaaaaaaaaaaaaaa 00000000"
            + " 02000c0044006f006d00610069006e00" // MsvAvNbDomainName "Domain"
            + " 01000c00530065007200760065007200" // MsvAvNbComputerName "Server"
            + " 00000000" // MsvAvEOL
            + " 00000000"); // Z(4)
    // 4.2.4.2.1 LMv2 Response
    static final Octets LMV2_RESPONSE = Octets.ofHex("86c35097ac9cec102554764a57cccc19 aaaaaaaaaaaaaaaa");
    // 4.2.4.2.2 NTLMv2 Response (NTProofStr)
    static final Octets NT_PROOF_STR = Octets.ofHex("68cd0ab851e51c96aabc927bebef6a1c");
    // 4.2.4.2.3 Encrypted Session Key
    static final Octets ENCRYPTED_SESSION_KEY = Octets.ofHex("c5dad2544fc9799094ce1ce90bc9d03e");

    /** 4.2.4.3 the CHALLENGE_MESSAGE, 104 bytes. */
    static final Octets CHALLENGE_MESSAGE = Octets.ofHex(
            "4e544c4d53535000" // Signature
            + "02000000" // MessageType
            + "0c000c0038000000" // TargetNameFields: 12 bytes at 0x38
            + "33828ae2" // NegotiateFlags 0xe28a8233
            + "0123456789abcdef" // ServerChallenge
            + "0000000000000000" // Reserved
            + "2400240044000000" // TargetInfoFields: 36 bytes at 0x44
            + "060070170000000f" // Version 6.0.6000 rev 15
            + "530065007200760065007200" // TargetName "Server"
            + "02000c0044006f006d00610069006e00" // MsvAvNbDomainName "Domain"
            + "01000c00530065007200760065007200" // MsvAvNbComputerName "Server"
            + "00000000"); // MsvAvEOL

    /** 4.2.4.3 the AUTHENTICATE_MESSAGE, 232 bytes: a Version and no MIC. */
    static final Octets AUTHENTICATE_MESSAGE = Octets.ofHex(
            "4e544c4d53535000" // Signature
            + "03000000" // MessageType
            + "180018006c000000" // LmChallengeResponseFields: 24 bytes at 0x6c
            + "5400540084000000" // NtChallengeResponseFields: 84 bytes at 0x84
            + "0c000c0048000000" // DomainNameFields: 12 bytes at 0x48
            + "0800080054000000" // UserNameFields: 8 bytes at 0x54
            + "100010005c000000" // WorkstationFields: 16 bytes at 0x5c
            + "10001000d8000000" // EncryptedRandomSessionKeyFields: 16 bytes at 0xd8
            + "358288e2" // NegotiateFlags 0xe2888235
            + "0501280a0000000f" // Version 5.1.2600 rev 15
            + "44006f006d00610069006e00" // DomainName "Domain"
            + "5500730065007200" // UserName "User"
            + "43004f004d0050005500540045005200" // Workstation "COMPUTER"
            + "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa" // LmChallengeResponse
            + "68cd0ab851e51c96aabc927bebef6a1c" // NtChallengeResponse: NTProofStr, then temp:
            + "0101000000000000" // RespType, HiRespType, Reserved1, Reserved2
            + "0000000000000000" // TimeStamp
            + "aaaaaaaaaaaaaaaa" // ChallengeFromClient
            + "00000000" // Reserved3
            + "02000c0044006f006d00610069006e00" // MsvAvNbDomainName "Domain"
            + "01000c00530065007200760065007200" // MsvAvNbComputerName "Server"
            + "00000000" // MsvAvEOL
            + "00000000" // Z(4)
            + "c5dad2544fc9799094ce1ce90bc9d03e"); // EncryptedRandomSessionKey
}
