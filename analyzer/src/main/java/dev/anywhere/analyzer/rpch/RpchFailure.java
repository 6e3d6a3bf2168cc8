package dev.anywhere.analyzer.rpch;

import dev.anywhere.analyzer.text.Messages;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a virtual connection, echo, bind or call failed: the hop where it happened, the kind of cause, and one line
 * that says both ({@code tls: oa.frankysweb.org: certificate not trusted (…)}). The line is English ({@link #detail()},
 * what {@code rpcping} prints); a failure built from a {@link Text} can also say it in the analyzer's other languages
 * ({@link #detail(Messages)}). Every failure the analyzer's client raises is built from a text; a plain English detail
 * is for callers outside it (a command's own check, tests), and a report then gives only the hop and the kind.
 */
public final class RpchFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** Where on the path the failure happened. */
    public enum Hop {
        /** Resolving the proxy's host name. */
        DNS("dns"),
        /** TCP connection to the proxy. */
        TCP("tcp"),
        /** TLS handshake with the proxy. */
        TLS("tls"),
        /** An HTTP request to the proxy (authentication, echo, IN or OUT channel). */
        HTTP("http"),
        /** The proxy's hop to the RPC server (503 RPC Error, CONN/A1…C2 never completing). */
        PROXY("rpc proxy"),
        /** RTS traffic on the established virtual connection. */
        VIRTUAL_CONNECTION("virtual connection"),
        /** DCE/RPC bind or alter_context. */
        BIND("bind"),
        /** A DCE/RPC call. */
        CALL("call");

        private final String label;

        Hop(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The cause, closed set; each has a stable id for findings. */
    public enum Kind {
        DNS_NAME_NOT_FOUND,
        TCP_REFUSED,
        TCP_UNREACHABLE,
        TLS_UNTRUSTED,
        TLS_NAME_MISMATCH,
        TLS_HANDSHAKE,
        HTTP_UNAUTHORIZED,
        HTTP_FORBIDDEN,
        HTTP_NOT_FOUND,
        HTTP_METHOD_NOT_ALLOWED,
        HTTP_STATUS,
        /** {@code 503 RPC Error: 6ba}: the proxy refused the target (ValidPorts) or could not reach it as ncacn_http. */
        RPC_PROXY_ERROR,
        /** The answer was not an RPC proxy's (no echo PDU, not an RTS stream). */
        NOT_RPC_PROXY,
        TIMEOUT,
        CLOSED,
        PROTOCOL,
        BIND_REJECTED,
        /** DCE/RPC authentication refused: no NTLM challenge in bind_ack, or the server refused the AUTHENTICATE. */
        RPC_AUTH,
        /** A response of a signed or sealed binding whose signature (or sequence number) does not verify. */
        BAD_SIGNATURE,
        /** A call answered with a fault, a failure status, or "not listening". */
        RPC_FAULT,
        UNSUPPORTED;

        /** A stable identifier such as {@code rpch.tls-untrusted}. */
        public String id() {
            return "rpch." + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A detail line as a message of the analyzer's bundle: key {@code rpch.<key>} and its values. A value that is a
     * {@code Text} is rendered in the same language, a {@link Throwable} as the bundle's sentence for it
     * ({@link Messages#cause}), anything else as it is (names, numbers, protocol tokens).
     */
    public record Text(String key, Map<String, ?> values) {

        public Text {
            Objects.requireNonNull(key, "key");
            // A copy that keeps nulls: a value the client did not have reads as the bundle's "(none)", never "null".
            values = java.util.Collections.unmodifiableMap(new HashMap<>(values));
        }

        public static Text of(String key, Object... namesAndValues) {
            Map<String, Object> values = new HashMap<>();
            for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
                values.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
            return new Text(key, values);
        }

        public String render(Messages text) {
            Map<String, Object> filled = new HashMap<>();
            values.forEach((k, v) -> filled.put(k, v == null ? text.get("detail.none") : v instanceof Text t ? t.render(text)
                    : v instanceof Throwable e ? text.cause(e) : String.valueOf(v)));
            return text.get("rpch." + key, filled);
        }
    }

    /**
     * What a bind or call future failed with, as a failure at {@code hop}: a failure stays as it is, a fault keeps its
     * status (and is the cause, for callers that look at it), anything else is said as the bundle's cause.
     */
    public static RpchFailure of(Hop hop, Throwable failure) {
        if (failure instanceof RpchFailure f) {
            return f;
        }
        if (failure instanceof RpcFaultException fault) {
            return new RpchFailure(hop, Kind.RPC_FAULT, Text.of("call.fault", "status", fault.status(), "callId",
                    Integer.toUnsignedString(fault.callId()), "opnum", fault.opnum()), fault);
        }
        return new RpchFailure(hop, Kind.PROTOCOL, Text.of("call.failed", "cause", failure), failure);
    }

    private final Hop hop;
    private final Kind kind;
    private final String detail;
    private final Text text;

    public RpchFailure(Hop hop, Kind kind, String detail) {
        this(hop, kind, detail, (Throwable) null);
    }

    public RpchFailure(Hop hop, Kind kind, String detail, Throwable cause) {
        this(hop, kind, detail, cause, null);
    }

    /** A failure whose detail comes from the bundle, without a cause. */
    public RpchFailure(Hop hop, Kind kind, Text text) {
        this(hop, kind, text, null);
    }

    /** A failure whose detail comes from the bundle: English in the message, any language through {@link #detail(Messages)}. */
    public RpchFailure(Hop hop, Kind kind, Text text, Throwable cause) {
        this(hop, kind, text.render(Messages.of("en")), cause, text);
    }

    private RpchFailure(Hop hop, Kind kind, String detail, Throwable cause, Text text) {
        super(hop.label() + ": " + detail, cause);
        this.hop = Objects.requireNonNull(hop, "hop");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.detail = Objects.requireNonNull(detail, "detail");
        this.text = text;
    }

    public Hop hop() {
        return hop;
    }

    public Kind kind() {
        return kind;
    }

    /** The message without the hop prefix, in English. */
    public String detail() {
        return detail;
    }

    /** The detail as the bundle's text, when it comes from the bundle. */
    public Optional<Text> text() {
        return Optional.ofNullable(text);
    }

    /** The detail in the language of {@code messages}, when this failure's detail comes from the bundle. */
    public Optional<String> detail(Messages messages) {
        return Optional.ofNullable(text).map(t -> t.render(messages));
    }
}
