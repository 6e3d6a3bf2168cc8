package dev.anywhere.server.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.wire.Octets;
import java.net.InetAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a stub learns about its caller ({@link RpcCall#security()}) and how an interface refuses anonymous ones. */
class AnonymousCallersTest {

    static final SyntaxId OPEN = new SyntaxId(UUID.fromString("11111111-2222-3333-4444-555555555555"), 1, 0);
    static final SyntaxId CLOSED = new SyntaxId(UUID.fromString("66666666-2222-3333-4444-555555555555"), 1, 0);

    private final List<CallSecurity> seen = new CopyOnWriteArrayList<>();
    private RpcEndpoints endpoints;

    @BeforeEach
    void start() throws Exception {
        InterfaceRegistry extra = new InterfaceRegistry()
                .register(new RpcInterface(OPEN, "open", 1, call -> {
                    seen.add(call.security());
                    return Octets.EMPTY;
                }))
                .register(new RpcInterface(CLOSED, "closed", 1, call -> {
                    seen.add(call.security());
                    return Octets.EMPTY;
                }).refusingAnonymous());
        endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                .withPorts(List.of()).withTcpPort(0).withExtra(extra));
    }

    @AfterEach
    void stop() {
        endpoints.close();
    }

    @Test
    void unauthenticatedCallerIsSeenAsNoneAndRefusedByAnInterfaceThatRequiresAnAccount() throws Exception {
        try (Peer c = new Peer(endpoints.tcpPort().getAsInt(), false)) {
            c.send(RpcEndpointsTest.bind(1, PresentationContext.ndr(0, OPEN), PresentationContext.ndr(1, CLOSED)));
            assertThat(c.readDce()).isInstanceOf(DcePdu.BindAck.class);

            c.send(new DcePdu.Request(2, 0, 0, Octets.EMPTY));
            assertThat(c.readDce()).isInstanceOf(DcePdu.Response.class);
            assertThat(seen).containsExactly(CallSecurity.NONE);
            assertThat(seen.get(0).anonymous()).isTrue();
            assertThat(seen.get(0).level()).isEqualTo(CallSecurity.Level.NONE);

            c.send(new DcePdu.Request(3, 1, 0, Octets.EMPTY));
            RpcEndpointsTest.assertFault(c.readDce(), 3, DceStatus.ACCESS_DENIED, true);
            assertThat(seen).hasSize(1); // the refused call never reached the stub

            c.send(new DcePdu.Request(4, 0, 0, Octets.EMPTY)); // the association goes on
            assertThat(c.readDce()).isInstanceOf(DcePdu.Response.class);
        }
    }

    @Test
    void levelNoneCarriesNoAccount() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new CallSecurity(CallSecurity.Level.NONE, "alice", ""))
                .hasMessage("user: \"alice\" (expected: empty at level NONE)");
        assertThat(new CallSecurity(CallSecurity.Level.PRIVACY, "alice", "FRANKYSWEB").anonymous()).isFalse();
        assertThat(new CallSecurity(CallSecurity.Level.PRIVACY, "", "").anonymous()).isTrue();
    }
}
