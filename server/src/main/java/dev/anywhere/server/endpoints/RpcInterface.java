package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.dce.SyntaxId;
import java.util.Objects;
import java.util.Optional;

/**
 * An RPC interface served by the endpoints: its abstract syntax (UUID and version), the endpoint mapper's
 * annotation, how many operations it has, and its stub.
 *
 * @param id interface UUID and version; a bind for the same UUID and major version with a minor version
 *     {@code <=} this one is accepted ([C706] 3.1.1 version compatibility)
 * @param annotation the endpoint mapper annotation (ASCII, at most 63 characters)
 * @param opnumCount opnums {@code 0 .. opnumCount-1} are dispatched; others get {@code nca_s_op_rng_error}
 * @param httpPort the ncacn_http port the endpoint mapper advertises for it; empty = every ncacn_http port
 * @param handler the server stub
 * @param refusesAnonymous if true, calls from an unauthenticated or NTLM-anonymous association are answered with
 *     the fault {@code ERROR_ACCESS_DENIED (5)} without reaching the handler (the bind itself succeeds, as on
 *     Windows, so the client learns of it on its first request); the endpoint mapper and MGMT accept anonymous
 *     callers, Exchange's RFR, NSPI and EMSMDB do not
 */
public record RpcInterface(SyntaxId id, String annotation, int opnumCount, Optional<Integer> httpPort,
        RpcHandler handler, boolean refusesAnonymous) {

    public RpcInterface {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(annotation, "annotation");
        Objects.requireNonNull(httpPort, "httpPort");
        Objects.requireNonNull(handler, "handler");
        if (annotation.length() > 63 || !annotation.chars().allMatch(c -> c > 0 && c < 0x80)) {
            throw new IllegalArgumentException("annotation: \"" + annotation + "\" (expected: ASCII without NUL, <= 63 characters)");
        }
        if (opnumCount < 0 || opnumCount > 0x10000) {
            throw new IllegalArgumentException("opnumCount: " + opnumCount + " (expected: 0..65536)");
        }
    }

    /** An interface that accepts anonymous callers. */
    public RpcInterface(SyntaxId id, String annotation, int opnumCount, Optional<Integer> httpPort,
            RpcHandler handler) {
        this(id, annotation, opnumCount, httpPort, handler, false);
    }

    /** An interface advertised on every ncacn_http port, accepting anonymous callers. */
    public RpcInterface(SyntaxId id, String annotation, int opnumCount, RpcHandler handler) {
        this(id, annotation, opnumCount, Optional.empty(), handler, false);
    }

    /** This interface, answering calls from anonymous callers with {@code ERROR_ACCESS_DENIED}. */
    public RpcInterface refusingAnonymous() {
        return new RpcInterface(id, annotation, opnumCount, httpPort, handler, true);
    }

    /** True if a bind for {@code abstractSyntax} selects this interface (same UUID and major, minor not newer). */
    public boolean accepts(SyntaxId abstractSyntax) {
        return abstractSyntax.uuid().equals(id.uuid()) && abstractSyntax.major() == id.major()
                && abstractSyntax.minor() <= id.minor();
    }
}
