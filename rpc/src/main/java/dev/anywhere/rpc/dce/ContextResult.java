package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.WireReader;
import java.util.Objects;

/**
 * One element of a bind_ack's result list ({@code p_result_t}): the outcome for the presentation context at
 * the same index in the bind.
 *
 * @see [C706] 12.6.3.1 Declarations (p_result_t)
 * @see [MS-RPCE] 3.3.1.5.3 Bind Time Feature Negotiation (result 3, reason = feature bitmask)
 */
public record ContextResult(Result result, int reason, SyntaxId transferSyntax) {
    /** {@code p_cont_def_result_t}. */
    public enum Result {
        ACCEPTANCE(0),
        USER_REJECTION(1),
        PROVIDER_REJECTION(2),
        /** [MS-RPCE] 3.3.1.5.3: the answer to a bind-time feature negotiation syntax. */
        NEGOTIATE_ACK(3);

        private final int value;

        Result(int value) {
            this.value = value;
        }

        public int value() {
            return value;
        }

        static Result forValue(int value, WireReader r) {
            for (Result x : values()) {
                if (x.value == value) {
                    return x;
                }
            }
            throw r.error("p_result_t result: " + value + " (expected: 0..3)");
        }
    }

    /** provider_reason: reason not specified. */
    public static final int REASON_NOT_SPECIFIED = 0;
    /** provider_reason: abstract syntax not supported. */
    public static final int REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED = 1;
    /** provider_reason: proposed transfer syntaxes not supported. */
    public static final int REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED = 2;

    public ContextResult {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(transferSyntax, "transferSyntax");
        if (reason < 0 || reason > 0xffff) {
            throw new IllegalArgumentException("p_result_t reason: " + reason + " (expected: 0..65535)");
        }
    }

    public static ContextResult accepted(SyntaxId transferSyntax) {
        return new ContextResult(Result.ACCEPTANCE, 0, transferSyntax);
    }

    public static ContextResult rejected(int reason) {
        return new ContextResult(Result.PROVIDER_REJECTION, reason, SyntaxId.NONE);
    }

    public static ContextResult negotiateAck(int featureBitmask) {
        return new ContextResult(Result.NEGOTIATE_ACK, featureBitmask, SyntaxId.NONE);
    }
}
