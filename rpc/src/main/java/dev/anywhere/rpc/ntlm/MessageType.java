package dev.anywhere.rpc.ntlm;

/**
 * The MessageType field of the three NTLM messages.
 *
 * @see [MS-NLMP] 2.2.1 NTLM Messages
 */
public enum MessageType {
    /** NtLmNegotiate, 0x00000001. */
    NEGOTIATE_MESSAGE(1),
    /** NtLmChallenge, 0x00000002. */
    CHALLENGE_MESSAGE(2),
    /** NtLmAuthenticate, 0x00000003. */
    AUTHENTICATE_MESSAGE(3);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** The 32-bit wire value. */
    public int code() {
        return code;
    }

    /** The type for a wire value. */
    static MessageType of(long code) {
        for (MessageType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new NtlmProtocolException("message type: " + code + " (expected: 1, 2 or 3)");
    }

    @Override
    public String toString() {
        return name() + "(" + code + ")";
    }
}
