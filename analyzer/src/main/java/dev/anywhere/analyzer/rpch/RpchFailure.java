package dev.anywhere.analyzer.rpch;

import java.util.Objects;

/**
 * Why a virtual connection, echo, bind or call failed: the hop where it happened, the kind of cause, and one line
 * that says both ({@code tls: oa.frankysweb.org: certificate not trusted (…)}).
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

    private final Hop hop;
    private final Kind kind;
    private final String detail;

    public RpchFailure(Hop hop, Kind kind, String detail) {
        this(hop, kind, detail, null);
    }

    public RpchFailure(Hop hop, Kind kind, String detail, Throwable cause) {
        super(hop.label() + ": " + detail, cause);
        this.hop = Objects.requireNonNull(hop, "hop");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public Hop hop() {
        return hop;
    }

    public Kind kind() {
        return kind;
    }

    /** The message without the hop prefix. */
    public String detail() {
        return detail;
    }
}
