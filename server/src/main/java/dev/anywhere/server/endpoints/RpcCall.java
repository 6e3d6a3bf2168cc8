package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.wire.Octets;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One reassembled request as a handler sees it.
 *
 * @param iface the interface of the presentation context the request names
 * @param opnum the operation number (already checked against the interface's opnum count)
 * @param stub the NDR 2.0 stub data of all fragments
 * @param object the object UUID, if the request carried one
 * @param callId the call_id
 * @param transport how the request arrived
 * @param local our end of the TCP connection (for v2: of the IN leg)
 * @param remote the peer (for v2: the inbound proxy)
 * @param security the authenticated caller and the association's authentication level
 * @param association state kept for the association the call arrived on (context handles' sessions)
 */
public record RpcCall(SyntaxId iface, int opnum, Octets stub, Optional<UUID> object, int callId, Transport transport,
        InetSocketAddress local, InetSocketAddress remote, CallSecurity security, AssociationScope association) {

    /** The transport a call arrived on. */
    public enum Transport {
        /** RPC over HTTP v1: plain connection-oriented RPC after the {@code ncacn_http/1.0} banner. */
        NCACN_HTTP_V1,
        /** RPC over HTTP v2: a virtual connection of an IN and an OUT leg, paired by cookie. */
        NCACN_HTTP_V2,
        /** Plain {@code ncacn_ip_tcp}. */
        NCACN_IP_TCP
    }

    public RpcCall {
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(stub, "stub");
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(association, "association");
    }

    /** A call on an unauthenticated association ({@link CallSecurity#NONE}) of its own (tests, stateless stubs). */
    public RpcCall(SyntaxId iface, int opnum, Octets stub, Optional<UUID> object, int callId, Transport transport,
            InetSocketAddress local, InetSocketAddress remote) {
        this(iface, opnum, stub, object, callId, transport, local, remote, CallSecurity.NONE);
    }

    /** A call on an association of its own with {@code security} (tests, stateless stubs). */
    public RpcCall(SyntaxId iface, int opnum, Octets stub, Optional<UUID> object, int callId, Transport transport,
            InetSocketAddress local, InetSocketAddress remote, CallSecurity security) {
        this(iface, opnum, stub, object, callId, transport, local, remote, security, new AssociationScope());
    }
}
