package dev.anywhere.lab.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.analyzer.rpch.BindResult;
import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.RpchFailure;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.analyzer.rpch.VirtualConnection;
import dev.anywhere.rpc.dce.AuthVerifier;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.CallSecurity;
import dev.anywhere.server.endpoints.RpcInterface;
import dev.anywhere.server.testing.SecuredRpcSite;
import dev.anywhere.server.testing.TestAccounts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The analyzer's client binds with NTLM at each level through the real gateway to the real endpoints (with
 * DceAuthentication), signs and seals its requests and verifies the server's responses, fragment by fragment; a
 * relay between gateway and endpoints that alters one response signature is caught.
 */
class SecureBindingEndToEndTest {

    private static final String USER = TestAccounts.FRANKY;
    private static final String PASSWORD = TestAccounts.FRANKY_PASSWORD;
    private static final SyntaxId CLOSED = new SyntaxId(UUID.fromString("5e0b6c3d-1f2a-4b5c-8d9e-0a1b2c3d4e5f"), 1, 0);

    private static final LabTls TLS = LabTls.shared();

    @TempDir
    Path dir;

    private final List<CallSecurity> seen = new CopyOnWriteArrayList<>();
    @AutoClose
    private SecuredRpcSite site;
    @AutoClose
    private TamperingRelay relay;

    @BeforeEach
    void start() throws Exception {
        // Opnum 0 echoes; opnum 1 answers 20,000 bytes, more than one fragment of 5840.
        RpcInterface closed = new RpcInterface(CLOSED, "closed", 2, call -> {
            seen.add(call.security());
            if (call.opnum() == 1) {
                byte[] big = new byte[20_000];
                for (int i = 0; i < big.length; i++) {
                    big[i] = (byte) (i * 31);
                }
                return Octets.of(big);
            }
            return call.stub();
        }).refusingAnonymous();
        relay = new TamperingRelay(() -> site.endpointPort());
        site = SecuredRpcSite.in(dir).credentials(TestAccounts.CREDENTIALS)
                .serving(closed).validPorts(port -> List.of(port, relay.port()))
                .tls(TLS.serverContext()).requireSsl().start();
    }

    private int endpointPort() {
        return site.endpointPort();
    }

    private RpchClientOptions options(int port) {
        return TLS.client(site, port).timeouts(Duration.ofSeconds(5))
                .auth(new ProxyAuth.Ntlm(NtlmCredentials.parse(USER, PASSWORD), "NOTEBOOK")).build();
    }

    private static RpcAuth auth(int level, String password) {
        return new RpcAuth(level, NtlmCredentials.parse(USER, password));
    }

    @ParameterizedTest
    @ValueSource(ints = {AuthVerifier.LEVEL_CONNECT, AuthVerifier.LEVEL_PKT_INTEGRITY, AuthVerifier.LEVEL_PKT_PRIVACY})
    void bindsAtEachLevelAndReassemblesVerifiedFragments(int level) throws Exception {
        Transcript transcript = new Transcript();
        try (VirtualConnection vc = VirtualConnection.open(options(endpointPort()), transcript)) {
            BindResult bind = vc.bind(CLOSED, auth(level, PASSWORD)).get(5, TimeUnit.SECONDS);
            ByteBuf echo = vc.call(bind.contextId(), 0, Unpooled.wrappedBuffer(new byte[] {1, 2, 3})).get(5, TimeUnit.SECONDS);
            assertThat(ByteBufUtil.getBytes(echo)).containsExactly(1, 2, 3);
            echo.release();
            ByteBuf big = vc.call(bind.contextId(), 1, Unpooled.EMPTY_BUFFER).get(5, TimeUnit.SECONDS);
            byte[] bytes = ByteBufUtil.getBytes(big);
            big.release();
            assertThat(bytes).hasSize(20_000);
            assertThat(bytes[19_999]).isEqualTo((byte) (19_999 * 31));
        }
        CallSecurity.Level expected = level == AuthVerifier.LEVEL_CONNECT ? CallSecurity.Level.CONNECT
                : level == AuthVerifier.LEVEL_PKT_INTEGRITY ? CallSecurity.Level.INTEGRITY : CallSecurity.Level.PRIVACY;
        assertThat(seen).hasSize(2).allMatch(s -> s.equals(new CallSecurity(expected, "franky", "FRANKYSWEB")));
        assertThat(String.join("\n", transcript.lines())).contains("rpc_auth_3").doesNotContain(PASSWORD);
    }

    @Test
    void anUnauthenticatedBindIsRefusedByTheInterface() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options(endpointPort()), new Transcript())) {
            int ctx = vc.bind(CLOSED).get(5, TimeUnit.SECONDS).contextId();
            assertThatThrownBy(() -> vc.call(ctx, 0, Unpooled.wrappedBuffer(new byte[] {1})).get(5, TimeUnit.SECONDS))
                    .hasMessageContaining("ERROR_ACCESS_DENIED");
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void aTamperedResponseSignatureIsNamed() throws Exception {
        relay.tamper.set(true);
        try (VirtualConnection vc = VirtualConnection.open(options(relay.port()), new Transcript())) {
            int ctx = vc.bind(CLOSED, auth(AuthVerifier.LEVEL_PKT_PRIVACY, PASSWORD)).get(5, TimeUnit.SECONDS).contextId();
            assertThatThrownBy(() -> vc.call(ctx, 0, Unpooled.wrappedBuffer(new byte[] {1})).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RpchFailure.class)
                    .hasMessage("call: response to call_id 2 (opnum 0): signature checksum of message 0: no match (expected: hmac-md5 under the peer's signing key)")
                    .extracting(e -> ((RpchFailure) e).kind()).isEqualTo(RpchFailure.Kind.BAD_SIGNATURE);
        }
        assertThat(relay.tampered.get()).isTrue();
    }

    @Test
    void withoutTamperingTheRelayIsTransparent() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options(relay.port()), new Transcript())) {
            int ctx = vc.bind(CLOSED, auth(AuthVerifier.LEVEL_PKT_INTEGRITY, PASSWORD)).get(5, TimeUnit.SECONDS).contextId();
            ByteBuf echo = vc.call(ctx, 0, Unpooled.wrappedBuffer(new byte[] {9})).get(5, TimeUnit.SECONDS);
            assertThat(ByteBufUtil.getBytes(echo)).containsExactly(9);
            echo.release();
        }
    }

    @Test
    void aWrongPasswordAtTheRpcLevelIsRefusedOnTheFirstCall() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options(endpointPort()), new Transcript())) {
            int ctx = vc.bind(CLOSED, auth(AuthVerifier.LEVEL_PKT_PRIVACY, "wrong")).get(5, TimeUnit.SECONDS).contextId();
            // The server faults the call and ends the association: the fault arrives before either channel closes.
            assertThatThrownBy(() -> vc.call(ctx, 0, Unpooled.wrappedBuffer(new byte[] {1})).get(5, TimeUnit.SECONDS))
                    .hasMessageContaining("ERROR_ACCESS_DENIED");
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void onlyTheFirstBindAuthenticates() throws Exception {
        try (VirtualConnection vc = VirtualConnection.open(options(endpointPort()), new Transcript())) {
            vc.bind(CLOSED).get(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> vc.bind(CLOSED, auth(AuthVerifier.LEVEL_PKT_PRIVACY, PASSWORD)).get(5, TimeUnit.SECONDS))
                    .cause().hasMessage("bind: authenticated bind after the first bind (expected: the first bind of a"
                            + " virtual connection authenticates)");
        }
    }

    /**
     * Relays the gateway's backend connections to the endpoints; with {@link #tamper} set, flips the last byte of
     * the first response PDU that carries an auth verifier (its signature's sequence-number-free checksum part).
     */
    static final class TamperingRelay implements AutoCloseable {
        final AtomicBoolean tamper = new AtomicBoolean();
        final AtomicBoolean tampered = new AtomicBoolean();
        private final ServerSocket server;
        /** The endpoints' port, asked at each connection: the relay is up before the site it relays to. */
        private final IntSupplier target;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        TamperingRelay(IntSupplier target) throws IOException {
            this.target = target;
            this.server = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
            Thread t = new Thread(this::accept, "tampering-relay");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket(InetAddress.getByName("127.0.0.1"), target.getAsInt());
                    sockets.add(in);
                    sockets.add(out);
                    pump(in.getInputStream(), out.getOutputStream());
                    Thread back = new Thread(() -> relayPdus(out, in), "tampering-relay-back");
                    back.setDaemon(true);
                    back.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(InputStream from, OutputStream to) {
            Thread t = new Thread(() -> {
                try {
                    from.transferTo(to);
                } catch (IOException e) {
                    // one side closed
                }
            }, "tampering-relay-forth");
            t.setDaemon(true);
            t.start();
        }

        /** Server to gateway: the 14-byte ncacn_http/1.0 banner, then whole PDUs (frag_length at offset 8). */
        private void relayPdus(Socket from, Socket to) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                out.write(in.readNBytes(14));
                out.flush();
                while (true) {
                    byte[] header = in.readNBytes(16);
                    if (header.length < 16) {
                        return;
                    }
                    int fragLength = (header[8] & 0xff) | (header[9] & 0xff) << 8;
                    byte[] pdu = new byte[fragLength];
                    System.arraycopy(header, 0, pdu, 0, 16);
                    if (in.readNBytes(pdu, 16, fragLength - 16) < fragLength - 16) {
                        return;
                    }
                    boolean signed = pdu[2] == 2 && ((header[10] & 0xff) | (header[11] & 0xff) << 8) != 0;
                    if (signed && tamper.get() && tampered.compareAndSet(false, true)) {
                        pdu[fragLength - 5] ^= 0x01; // within the checksum, before the 4-byte sequence number
                    }
                    out.write(pdu);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
