package dev.anywhere.rpc.rpch.client;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why the client engine ended a virtual connection; the I/O adapter turns it into its own failure type (the analyzer's
 * {@code RpchFailure} names a hop, the bench's lean client a one-line message).
 *
 * @param kind what went wrong
 * @param opened whether CONN/C2 had arrived (before it, the proxy is at fault; after it, the virtual connection)
 * @param reason which sentence says it; its {@link Reason#key() key} lets an adapter with a message bundle say it in
 *        another language, {@link #message()} is the English line
 * @param values the sentence's named values (PDU names, byte counts, the target), as text
 */
public record ClientFault(Kind kind, boolean opened, Reason reason, Map<String, String> values) {

    public enum Kind {
        /** The peer sent a PDU the state does not allow. */
        PROTOCOL,
        /** A channel's connection ended when the protocol did not expect it. */
        CLOSED,
        /** The IN channel's byte budget ran out and this client does not recycle channels. */
        LIFETIME,
        /** The server asked for OUT channel recycling and this client does not recycle channels. */
        RECYCLING_UNSUPPORTED
    }

    /**
     * The sentences, English, with named placeholders. The analyzer's bundle has each as {@code rpch.fault.<key>} in
     * English (the same words, checked by its tests) and German.
     */
    public enum Reason {
        /** A decoded RTS PDU the state does not allow; {@code detail} names it and what was expected. */
        PROTOCOL("protocol", "{detail}"),
        UNEXPECTED_PDU("unexpected-pdu", "OUT channel: {type} PDU (expected: {expected})"),
        LIFETIME("lifetime", "IN channel: its lifetime of {bytes} bytes is used up (this client does not recycle channels)"),
        RECYCLING_UNSUPPORTED("recycling-unsupported", "OUT channel: the server asked to recycle the OUT channel after {bytes}"
                + " RPC bytes (OUT_R1/A2; this client does not recycle channels)"),
        CLOSED_BEFORE_ANSWER("closed-before-answer", "the proxy closed the {channel} channel before answering the channel request"),
        CLOSED_AFTER_200("closed-after-200", "the proxy closed the {channel} channel after 200, before CONN/A3"),
        CLOSED_BEFORE_C2("closed-before-c2", "the proxy closed the {channel} channel after CONN/A3, before CONN/C2 (the RPC"
                + " server did not complete the virtual connection; is {target} an ncacn_http listener?)"),
        CLOSED_WHILE_OPEN("closed-while-open", "the proxy closed the {channel} channel while open");

        private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");

        private final String key;
        private final String english;

        Reason(String key, String english) {
            this.key = key;
            this.english = english;
        }

        /** A stable key, e.g. {@code closed-before-c2}. */
        public String key() {
            return key;
        }

        /** The English sentence with its placeholders. */
        public String english() {
            return english;
        }

        String fill(Map<String, String> values) {
            Matcher m = PLACEHOLDER.matcher(english);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(b, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
            }
            return m.appendTail(b).toString();
        }
    }

    public ClientFault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        values = Map.copyOf(values);
    }

    /** One English line, e.g. {@code RTS PDU: CONN/C1|CONN/C2 (expected: CONN/A3)}. */
    public String message() {
        return reason.fill(values);
    }
}
