package dev.anywhere.server.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.AuthVerifier;
import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.PduSecurity;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.ntlm.AuthenticateMessage;
import dev.anywhere.rpc.ntlm.NegotiateFlag;
import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.rpc.ntlm.NtHashLookup;
import dev.anywhere.rpc.ntlm.NtlmClient;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.ntlm.NtlmSession;
import dev.anywhere.rpc.ntlm.ServerIdentity;
import dev.anywhere.rpc.testing.Tshark;
import dev.anywhere.rpc.wire.Octets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Authenticated, signed and sealed binds on the endpoints (ncacn_ip_tcp; the v1/v2 transports share the association). */
class DceSecurityTest {

    static final SyntaxId CLOSED = new SyntaxId(UUID.fromString("66666666-2222-3333-4444-555555555555"), 1, 0);
    static final SyntaxId MGMT = RpcEndpoints.mgmtInterface();
    static final ServerIdentity EX1 = new ServerIdentity("EX1", "FRANKYSWEB", "ex1.frankysweb.local",
            "frankysweb.local", "frankysweb.local");
    static final int CTX = 79231;

    private final List<CallSecurity> seen = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final CountDownLatch lookupMayAnswer = new CountDownLatch(0);
    private volatile CountDownLatch gate = lookupMayAnswer;
    private RpcEndpoints endpoints;

    private final NtHashLookup accounts = (domain, user) -> {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return user.equalsIgnoreCase("alice") ? Optional.of(NtHash.of("Passw0rd!")) : Optional.empty();
    };

    void start(Duration deadline) throws Exception {
        InterfaceRegistry extra = new InterfaceRegistry().register(new RpcInterface(CLOSED, "closed", 2, call -> {
            seen.add(call.security());
            if (call.opnum() == 1) {
                byte[] big = new byte[20_000];
                for (int i = 0; i < big.length; i++) {
                    big[i] = (byte) (i * 31);
                }
                return Octets.of(big);
            }
            return call.stub();
        }).refusingAnonymous()).register(dev.anywhere.server.rfr.Rfr.iface(() -> "ex1.frankysweb.local",
                dev.anywhere.server.rfr.ServerNames.of(List.of(
                        new dev.anywhere.directory.model.ExchangeServer("EX1", "ex1.frankysweb.local", true)))));
        endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(InetAddress.getByName("127.0.0.1"))
                .withPorts(List.of()).withTcpPort(0).withExtra(extra)
                .withAuthentication(DceAuthentication.of(EX1, accounts).withDeadline(deadline).withMetrics(metrics)));
    }

    @AfterEach
    void stop() {
        gate = new CountDownLatch(0);
        if (endpoints != null) {
            endpoints.close();
        }
    }

    /** A client association: bind with NEGOTIATE, auth3 with AUTHENTICATE, then protected requests. */
    final class Client {
        final Peer peer;
        final PduSecurity security;
        final DcePdu.BindAck ack;

        Client(int level, NtlmCredentials credentials, boolean headerSign) throws Exception {
            peer = new Peer(endpoints.tcpPort().getAsInt(), false);
            dev.anywhere.rpc.dce.NtlmBindHandshake handshake = new dev.anywhere.rpc.dce.NtlmBindHandshake(credentials,
                    level, CTX);
            EnumSet<PfcFlag> flags = EnumSet.copyOf(PfcFlag.SINGLE_FRAGMENT);
            if (headerSign) {
                flags.add(PfcFlag.SUPPORT_HEADER_SIGN);
            }
            peer.send(new DcePdu.Bind(flags, 1, 4280, 4280, 0,
                    List.of(PresentationContext.ndr(0, CLOSED), PresentationContext.ndr(1, MGMT),
                            PresentationContext.ndr(2, dev.anywhere.server.rfr.Rfr.ID)),
                    Optional.of(handshake.bindVerifier())));
            ack = (DcePdu.BindAck) peer.readDce();
            peer.send(new DcePdu.Auth3(PfcFlag.SINGLE_FRAGMENT, 1, Octets.zeros(4),
                    Optional.of(handshake.auth3Verifier(ack.auth().orElseThrow()))));
            security = handshake.security();
        }

        Client(int level, byte[] anonymousAuthenticate, byte[] exportedKey) throws Exception {
            peer = new Peer(endpoints.tcpPort().getAsInt(), false);
            NtlmClient ntlm = new NtlmClient(NtlmCredentials.ofPassword("", "x", "y"));
            peer.send(new DcePdu.Bind(PfcFlag.SINGLE_FRAGMENT, 1, 4280, 4280, 0,
                    List.of(PresentationContext.ndr(0, CLOSED), PresentationContext.ndr(1, MGMT)),
                    Optional.of(new AuthVerifier(AuthVerifier.AUTHN_WINNT, level, 0, CTX, Octets.of(ntlm.negotiate())))));
            ack = (DcePdu.BindAck) peer.readDce();
            sendAuth3(level, anonymousAuthenticate);
            security = new PduSecurity(level, CTX, NtlmSession.of(NtlmSession.Role.CLIENT,
                    Octets.of(exportedKey), EnumSet.allOf(NegotiateFlag.class)));
        }

        private void sendAuth3(int level, byte[] authenticate) throws java.io.IOException {
            peer.send(new DcePdu.Auth3(PfcFlag.SINGLE_FRAGMENT, 1, Octets.zeros(4),
                    Optional.of(new AuthVerifier(AuthVerifier.AUTHN_WINNT, level, 0, CTX, Octets.of(authenticate)))));
        }

        byte[] request(int callId, int context, int opnum, Octets stub) {
            ByteBuf b = security.protect(new DcePdu.Request(callId, context, opnum, stub), ByteBufAllocator.DEFAULT);
            try {
                return ByteBufUtil.getBytes(b);
            } finally {
                b.release();
            }
        }

        DcePdu call(int callId, int context, int opnum, Octets stub) throws Exception {
            peer.send(request(callId, context, opnum, stub));
            return read();
        }

        DcePdu read() throws Exception {
            byte[] pdu = peer.readPdu();
            if (pdu[2] == 2) {
                return security.unprotect(Unpooled.wrappedBuffer(pdu));
            }
            return DceCodec.decode(Unpooled.wrappedBuffer(pdu));
        }
    }

    static NtlmCredentials alice(String password) {
        return NtlmCredentials.ofPassword("FRANKYSWEB", "alice", password);
    }

    @ParameterizedTest
    @ValueSource(ints = {AuthVerifier.LEVEL_CONNECT, AuthVerifier.LEVEL_PKT_INTEGRITY, AuthVerifier.LEVEL_PKT_PRIVACY})
    void aUserBindsAtEachLevelAndTheStubSeesWhoAndHow(int level) throws Exception {
        start(Duration.ofSeconds(5));
        Client c = new Client(level, alice("Passw0rd!"), true);
        try (Peer p = c.peer) {
            assertThat(c.ack.results()).containsExactly(ContextResult.accepted(SyntaxId.NDR), ContextResult.accepted(SyntaxId.NDR),
                    ContextResult.accepted(SyntaxId.NDR));
            AuthVerifier challenge = c.ack.auth().orElseThrow();
            assertThat(challenge.authLevel()).isEqualTo(level);
            assertThat(challenge.contextId()).isEqualTo(CTX);
            assertThat(challenge.padLength()).isZero();
            assertThat(c.ack.flags()).contains(PfcFlag.SUPPORT_HEADER_SIGN);

            DcePdu.Response r = (DcePdu.Response) c.call(2, 0, 0, Octets.ofHex("cafebabe"));
            assertThat(r.stub()).isEqualTo(Octets.ofHex("cafebabe"));
            CallSecurity.Level expected = level == 2 ? CallSecurity.Level.CONNECT
                    : level == 5 ? CallSecurity.Level.INTEGRITY : CallSecurity.Level.PRIVACY;
            assertThat(seen).containsExactly(new CallSecurity(expected, "alice", "FRANKYSWEB"));

            // A response larger than max_xmit_frag: each fragment signed (and sealed) on its own, in sequence.
            c.peer.send(c.request(3, 0, 1, Octets.EMPTY));
            Optional<DcePdu.CallFragment> whole = Optional.empty();
            dev.anywhere.rpc.dce.FragmentAssembler assembler = new dev.anywhere.rpc.dce.FragmentAssembler();
            int fragments = 0;
            while (whole.isEmpty()) {
                whole = assembler.add((DcePdu.CallFragment) c.read());
                fragments++;
            }
            assertThat(fragments).isGreaterThanOrEqualTo(5);
            assertThat(whole.get().stub().length()).isEqualTo(20_000);
            assertThat(whole.get().stub().get(19_999)).isEqualTo((19_999 * 31) & 0xff);
        }
        assertThat(metrics.counter("anywhere.endpoints.security.binds", "level", expectedName(level)).count()).isEqualTo(1);
    }

    private static String expectedName(int level) {
        return level == 2 ? "connect" : level == 5 ? "integrity" : "privacy";
    }

    @Test
    void anonymousNtlmReachesMgmtButNotAnInterfaceThatRefusesAnonymousCallers() throws Exception {
        start(Duration.ofSeconds(5));
        byte[] random = new byte[16];
        java.util.Arrays.fill(random, (byte) 0x24);
        EnumSet<NegotiateFlag> flags = EnumSet.of(NegotiateFlag.NTLMSSP_NEGOTIATE_UNICODE,
                NegotiateFlag.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY, NegotiateFlag.NTLMSSP_NEGOTIATE_128,
                NegotiateFlag.NTLMSSP_NEGOTIATE_KEY_EXCH, NegotiateFlag.NTLMSSP_NEGOTIATE_SEAL,
                NegotiateFlag.NTLMSSP_NEGOTIATE_SIGN, NegotiateFlag.NTLMSSP_NEGOTIATE_NTLM);
        byte[] anonymous = new AuthenticateMessage(flags, Octets.EMPTY,
                Octets.EMPTY, "", "", "",
                Octets.of(dev.anywhere.rpc.ntlm.Ntlmv2.rc4k(new byte[16], random)),
                Optional.empty(), Optional.empty()).encode();
        Client c = new Client(AuthVerifier.LEVEL_PKT_PRIVACY, anonymous, random);
        try (Peer p = c.peer) {
            DcePdu.Response listening = (DcePdu.Response) c.call(2, 1, 2, Octets.EMPTY); // MGMT is_server_listening
            assertThat(listening.stub()).isEqualTo(Octets.ofHex("00000000 01000000"));
            RpcEndpointsTest.assertFault(c.call(3, 0, 0, Octets.EMPTY), 3, DceStatus.ACCESS_DENIED, true);
            assertThat(seen).isEmpty();
            DcePdu.Response again = (DcePdu.Response) c.call(4, 1, 2, Octets.EMPTY); // the association goes on
            assertThat(again.callId()).isEqualTo(4);
        }
        assertThat(metrics.counter("anywhere.endpoints.security.failures", "reason", "anonymous_refused").count()).isEqualTo(1);
    }

    @Test
    void aWrongPasswordIsRefusedOnTheFirstRequestAndTheAssociationEnds() throws Exception {
        start(Duration.ofSeconds(5));
        Client c = new Client(AuthVerifier.LEVEL_PKT_PRIVACY, alice("wrong"), false);
        assertThat(c.ack.flags()).doesNotContain(PfcFlag.SUPPORT_HEADER_SIGN);
        expectRefused(c, c.request(2, 0, 0, Octets.ofHex("01")), "wrong_password");
        assertThat(seen).isEmpty();
        // One refused handshake, one failure: the request it refuses is not counted again as bad_verifier.
        assertThat(failures()).isEqualTo(1);
    }

    private double failures() {
        return metrics.find("anywhere.endpoints.security.failures").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    @Test
    void alteredReplayedAndBadlyPaddedRequestsEndTheirAssociationOnly() throws Exception {
        start(Duration.ofSeconds(5));
        Client bystander = new Client(AuthVerifier.LEVEL_PKT_PRIVACY, alice("Passw0rd!"), false);

        Client c = new Client(AuthVerifier.LEVEL_PKT_PRIVACY, alice("Passw0rd!"), false);
        byte[] altered = c.request(2, 0, 0, Octets.ofHex("cafebabe"));
        altered[25] ^= 0x40;
        expectRefused(c, altered, "bad_signature");

        Client r = new Client(AuthVerifier.LEVEL_PKT_PRIVACY, alice("Passw0rd!"), false);
        byte[] first = r.request(2, 0, 0, Octets.ofHex("cafebabe"));
        r.peer.send(first);
        assertThat(((DcePdu.Response) r.read()).stub()).isEqualTo(Octets.ofHex("cafebabe"));
        expectRefused(r, first, "out_of_sequence");

        Client pad = new Client(AuthVerifier.LEVEL_PKT_INTEGRITY, alice("Passw0rd!"), false);
        byte[] padded = pad.request(2, 0, 0, Octets.ofHex("cafebabe"));
        padded[padded.length - 22] = 40; // auth_pad_length beyond the stub
        expectRefused(pad, padded, "bad_padding");

        try (Peer p = bystander.peer) {
            assertThat(((DcePdu.Response) bystander.call(2, 0, 0, Octets.ofHex("01"))).stub()).isEqualTo(Octets.ofHex("01"));
        }
        assertThat(failures()).isEqualTo(3); // after good handshakes, each bad request is a failure of its own
    }

    private void expectRefused(Client c, byte[] pdu, String metric) throws Exception {
        try (Peer p = c.peer) {
            p.send(pdu);
            RpcEndpointsTest.assertFault(DceCodec.decode(Unpooled.wrappedBuffer(p.readPdu())), 2, DceStatus.ACCESS_DENIED,
                    false);
            assertThat(p.closedByServer()).isTrue();
        }
        assertThat(metrics.counter("anywhere.endpoints.security.failures", "reason", metric).count()).isEqualTo(1);
    }

    /** Requests pipelined behind auth3 wait for the directory, then run in order. */
    @Test
    void requestsSentBeforeTheVerificationFinishesWaitInOrder() throws Exception {
        start(Duration.ofSeconds(5));
        gate = new CountDownLatch(1);
        Client c = new Client(AuthVerifier.LEVEL_PKT_PRIVACY, alice("Passw0rd!"), false);
        try (Peer p = c.peer) {
            for (int i = 0; i < 3; i++) {
                p.send(c.request(10 + i, 0, 0, Octets.of((byte) i)));
            }
            assertThat(p.silentFor(200)).isTrue(); // nothing answered while the look-up waits
            gate.countDown();
            for (int i = 0; i < 3; i++) {
                DcePdu.Response r = (DcePdu.Response) c.read();
                assertThat(r.callId()).isEqualTo(10 + i);
                assertThat(r.stub()).isEqualTo(Octets.of((byte) i));
            }
        }
    }

    @Test
    void aDirectoryThatDoesNotAnswerInTimeRefusesTheAssociation() throws Exception {
        start(Duration.ofMillis(300));
        gate = new CountDownLatch(1);
        Client c = new Client(AuthVerifier.LEVEL_PKT_PRIVACY, alice("Passw0rd!"), false);
        expectRefused(c, c.request(2, 0, 0, Octets.ofHex("01")), "unanswered");
        assertThat(failures()).isEqualTo(1);
    }

    @Test
    void withoutAuthenticationConfiguredOrForAnotherProviderTheBindIsRefused() throws Exception {
        start(Duration.ofSeconds(5));
        try (Peer p = new Peer(endpoints.tcpPort().getAsInt(), false)) {
            p.send(new DcePdu.Bind(PfcFlag.SINGLE_FRAGMENT, 1, 4280, 4280, 0, List.of(PresentationContext.ndr(0, MGMT)),
                    Optional.of(new AuthVerifier(16 /* RPC_C_AUTHN_GSS_KERBEROS */, 6, 0, 1, Octets.ofHex("6082")))));
            DcePdu.BindNak nak = (DcePdu.BindNak) p.readDce();
            assertThat(nak.rejectReason()).isEqualTo(DcePdu.BindNak.AUTHENTICATION_TYPE_NOT_RECOGNIZED);
        }
        try (Peer p = new Peer(endpoints.tcpPort().getAsInt(), false)) {
            // SPNEGO is accepted, but this token is cut short
            p.send(new DcePdu.Bind(PfcFlag.SINGLE_FRAGMENT, 1, 4280, 4280, 0, List.of(PresentationContext.ndr(0, MGMT)),
                    Optional.of(new AuthVerifier(AuthVerifier.AUTHN_GSS_NEGOTIATE, 6, 0, 1, Octets.ofHex("6082")))));
            DcePdu.BindNak nak = (DcePdu.BindNak) p.readDce();
            assertThat(nak.rejectReason()).isEqualTo(DcePdu.BindNak.REASON_NOT_SPECIFIED);
        }
        try (Peer p = new Peer(endpoints.tcpPort().getAsInt(), false)) {
            p.send(new DcePdu.Bind(PfcFlag.SINGLE_FRAGMENT, 1, 4280, 4280, 0, List.of(PresentationContext.ndr(0, MGMT)),
                    Optional.of(new AuthVerifier(AuthVerifier.AUTHN_WINNT, 4, 0, 1,
                            Octets.of(new NtlmClient(alice("x")).negotiate())))));
            DcePdu.BindNak nak = (DcePdu.BindNak) p.readDce();
            assertThat(nak.rejectReason()).isEqualTo(DcePdu.BindNak.REASON_NOT_SPECIFIED); // PKT (4) is not offered
        }
    }

    /**
     * tshark (Wireshark's NTLMSSP, DCE/RPC and RFR dissectors, written by nobody here), given alice's password, decrypts
     * a loopback capture of our sealed association: a PKT_PRIVACY bind, auth3 and RfrGetNewDSA over ncacn_ip_tcp. The
     * decrypted response must dissect as RFR with the server name, and nothing may be malformed. Skipped without
     * tshark unless {@code CI=true}.
     */
    @Test
    void tsharkDecryptsOurSealedPdusGivenThePassword(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Tshark.require();
        start(Duration.ofSeconds(5));
        int port = endpoints.tcpPort().getAsInt();
        java.nio.file.Path pcap = dir.resolve("sealed.pcapng");
        try (Tshark.Capture capture = Tshark.Capture.start("tcp port " + port, pcap)) {
            Client c = new Client(AuthVerifier.LEVEL_PKT_PRIVACY, alice("Passw0rd!"), false);
            try (Peer p = c.peer) {
                DcePdu.Response answer = (DcePdu.Response) c.call(2, 2, 0,
                        Octets.ofHex(dev.anywhere.server.rfr.RfrTest.GET_NEW_DSA));
                assertThat(answer.stub().length()).isPositive();
            }
        }
        if (System.getenv("SEALED_PCAP") != null) {
            java.nio.file.Files.copy(pcap, java.nio.file.Path.of(System.getenv("SEALED_PCAP")),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> decode = List.of("-r", pcap.toString(), "-d", "tcp.port==" + port + ",dcerpc",
                "-o", "ntlmssp.nt_password:Passw0rd!");
        List<String> server = new java.util.ArrayList<>(decode);
        server.addAll(List.of("-Y", "rfr", "-T", "fields", "-e", "rfr.opnum", "-e", "rfr.RfrGetNewDSA.ppszServer",
                "-e", "rfr.RfrGetNewDSA.pUserDN"));
        String rfr = Tshark.run(server);
        List<String> bad = new java.util.ArrayList<>(decode);
        bad.addAll(List.of("-Y", "_ws.malformed || _ws.expert.severity >= \"error\""));
        List<String> expert = new java.util.ArrayList<>(decode);
        expert.addAll(List.of("-q", "-z", "expert"));
        assertThat(rfr).as("decrypted RFR; capture:%n%s", Tshark.run(decode)).contains("ex1.frankysweb.local").contains("cn=franky");
        assertThat(Tshark.run(bad)).as("malformed or error expert items; expert summary:%n%s", Tshark.run(expert)).isBlank();
    }
}
