package dev.anywhere.rpc.spnego;

/** NegTokenResp's negState ([RFC 4178] 4.2.2). */
public enum NegState {
    ACCEPT_COMPLETED,
    ACCEPT_INCOMPLETE,
    REJECT,
    REQUEST_MIC;

    static NegState of(byte[] enumerated) {
        if (enumerated.length != 1 || enumerated[0] < 0 || enumerated[0] >= values().length) {
            throw new SpnegoException("negState: " + java.util.HexFormat.of().formatHex(enumerated) + " (expected: 0 to 3)");
        }
        return values()[enumerated[0]];
    }
}
