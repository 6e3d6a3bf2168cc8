package dev.anywhere.lab.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.rpch.AddressBookClient;
import dev.anywhere.analyzer.rpch.MailboxLogon;
import dev.anywhere.analyzer.rpch.OutlookSequence;
import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.Referral;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.directory.ldap.SiteLayout;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Topology;
import dev.anywhere.rpc.emsmdb.EcDoConnectEx;
import dev.anywhere.rpc.emsmdb.EcDoRpcExt2;
import dev.anywhere.rpc.emsmdb.RopBuffer;
import dev.anywhere.rpc.emsmdb.RopLogon;
import dev.anywhere.rpc.emsmdb.RpcHeaderExt;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.testing.Pcap;
import dev.anywhere.rpc.testing.Tshark;
import dev.anywhere.rpc.wire.Octets;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outlook's calls after the tunnel, through the lab's router and gateway to EX1's endpoints, sealed at PKT_PRIVACY:
 * the referral service, the user's own address book entry, and the whole sequence of {@code anywhere profile connect}.
 * EX1 sits on an address of its own and the ports are shifted, so the test runs beside a lab; still run it under
 * {@code flock /tmp/anywhere-ports.lock}.
 */
class OutlookSequenceOnLabTest {

    static final PortPolicy POLICY = PortPolicy.shifted(39000);
    static final String EX1_ADDRESS = "127.0.139.251";
    static final String PASSWORD = "Outlook-Lab-Pass-1";
    static final String USER = "FRANKYSWEB\\franky";
    static final SiteLayout LAYOUT = new SiteLayout(SiteSeed.FRANKYSWEB);
    static final String FRANKY_DN = LAYOUT.legacyRecipientDn("franky");
    static final String EX1_DN = LAYOUT.legacyServerDn("EX1");

    @TempDir
    static Path tmp;
    static LabSite site;
    static PortMap ports;

    @BeforeAll
    static void start() throws Exception {
        Topology t = Topology.frankysweb().withPortPolicy(POLICY).withHostAddress("ex1", EX1_ADDRESS).withFaultsApplied();
        ports = PortMap.of(t.portPolicy());
        site = LabSite.start(new LabSite.Plan(t, ports, tmp, Passwords.same(PASSWORD), Duration.ofMinutes(15)), s -> { });
        site.directory().putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 0, 0)
                .withExternalHostname(CertificateRequest.OA_NAME)
                .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM)
                .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM)));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!site.gateway().config().current().enabled() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    /** Through the router's public address to the gateway, NTLM over HTTPS with the lab CA. */
    static RpchClientOptions options(String server, int port) {
        try {
            return RpchClientOptions.builder(CertificateRequest.OA_NAME, ports.port(443), server, port).trustPem(site.trustBundle())
                    .addressOverride(InetAddress.getByName("127.0.0.20")).timeouts(Duration.ofSeconds(5))
                    .auth(new ProxyAuth.Ntlm(NtlmCredentials.parse(USER, PASSWORD), "NOTEBOOK")).build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static RpcAuth privacy() {
        return RpcAuth.privacy(NtlmCredentials.parse(USER, PASSWORD));
    }

    @Test
    void theReferralServiceAnswersThroughTheGateway() throws Exception {
        try (Referral referral = Referral.open(options("EX1", 6002), privacy(), new Transcript())) {
            assertThat(referral.newDsa(FRANKY_DN).describe()).isEqualTo("ex1.frankysweb.local");
            assertThat(referral.fqdn(EX1_DN).describe()).isEqualTo("ex1.frankysweb.local");
            assertThat(referral.fqdn(LAYOUT.legacyDatabaseDn("EX1")).describe()).isEqualTo("ex1.frankysweb.local");
            assertThat(referral.fqdn(LAYOUT.legacyServerDn("EX9")).describe())
                    .isEqualTo("NotFound(0x8004010f): no Exchange server has that DN");
            assertThat(referral.fqdn(FRANKY_DN).outcome()).isEqualTo(Referral.Outcome.NOT_A_SERVER_DN);
        }
    }

    @Test
    void theUsersOwnEntryNamesItsHomeServer() throws Exception {
        try (AddressBookClient book = AddressBookClient.open(options("ex1.frankysweb.local", 6004), privacy(), new Transcript())) {
            AddressBookClient.Mailbox m = book.mailbox(FRANKY_DN).orElseThrow();
            assertThat(m.entry().smtpAddress()).isEqualTo("franky@frankysweb.org");
            assertThat(m.entry().legacyExchangeDn()).isEqualTo(FRANKY_DN);
            assertThat(m.homeDatabaseDn()).contains(LAYOUT.legacyDatabaseDn("EX1"));
            assertThat(m.homeServerDn()).contains(EX1_DN);
            assertThat(book.mailbox(LAYOUT.legacyRecipientDn("nobody"))).isEmpty();
        }
    }

    @Test
    void outlooksSequencePassesEveryStep() {
        List<OutlookSequence.StepResult> steps = OutlookSequence.run(new OutlookSequence.Plan(OutlookSequenceOnLabTest::options,
                privacy(), FRANKY_DN, "ex1.frankysweb.local"), new Transcript());
        assertThat(steps).extracting(OutlookSequence.StepResult::step).containsExactly(OutlookSequence.Step.values());
        assertThat(steps).allSatisfy(s -> assertThat(s.cause()).as(s.step().id()).isEmpty());
        assertThat(steps.get(0).values()).containsEntry("server", "ex1.frankysweb.local");
        assertThat(steps.get(1).values()).containsEntry("smtpAddress", "franky@frankysweb.org").containsEntry("homeServerDn", EX1_DN);
        assertThat(steps.get(2).target()).isEqualTo("ex1.frankysweb.local:6002");
        assertThat(steps.get(3).target()).isEqualTo("ex1.frankysweb.local:6001");
        assertThat(steps.get(3).values()).containsKey("mailboxGuid");
    }

    @Test
    void withoutEncryptionTheStoreRefusesTheLogonAsExchange2010Does() {
        List<OutlookSequence.StepResult> steps = OutlookSequence.run(new OutlookSequence.Plan(OutlookSequenceOnLabTest::options,
                new RpcAuth(dev.anywhere.rpc.dce.AuthVerifier.LEVEL_PKT_INTEGRITY, NtlmCredentials.parse(USER, PASSWORD)), FRANKY_DN,
                "ex1.frankysweb.local"), new Transcript());
        assertThat(steps).hasSize(4);
        assertThat(steps.get(3).cause()).contains(new OutlookSequence.Cause("emsmdb.ecNotEncrypted",
                "connect: ecNotEncrypted (0x00000970)"));
    }

    @Test
    void aMailboxTheAddressBookDoesNotKnowStopsAtTheAddressBook() {
        List<OutlookSequence.StepResult> steps = OutlookSequence.run(new OutlookSequence.Plan(OutlookSequenceOnLabTest::options,
                privacy(), LAYOUT.legacyRecipientDn("nobody"), "ex1.frankysweb.local"), new Transcript());
        assertThat(steps).extracting(OutlookSequence.StepResult::passed).containsExactly(true, false);
        assertThat(steps.get(1).cause().orElseThrow().id()).isEqualTo("nspi.user-not-found");
    }

    /**
     * tshark (Wireshark's NTLMSSP, DCE/RPC, RFR, NSPI and EMSMDB dissectors, written by nobody here), given franky's
     * password, decrypts the sealed calls of Outlook's sequence captured on the gateway's ncacn_http legs to EX1.
     * Wireshark keeps NTLMSSP state per TCP connection, and RPC over HTTP carries one association on two: the IN
     * channel's leg (bind, rpc_auth_3, requests) and the OUT channel's (bind_ack with the CHALLENGE, responses). So each
     * server port's two legs are merged, PDU by PDU in capture order and byte for byte, into one conversation (the
     * 14-byte {@code ncacn_http/1.0} banner dropped) before tshark reads them. Skipped without tshark unless
     * {@code CI=true}.
     */
    @Test
    void tsharkDecryptsTheSealedSequenceOnTheNcacnHttpLegs() throws Exception {
        Tshark.require();
        Path capture = tmp.resolve("legs.pcapng");
        List<OutlookSequence.StepResult> steps;
        try (Tshark.Capture c = Tshark.Capture.start("host " + EX1_ADDRESS + " and (tcp port 6001 or tcp port 6002 or tcp port 6004)",
                capture)) {
            steps = OutlookSequence.run(new OutlookSequence.Plan(OutlookSequenceOnLabTest::options, privacy(), FRANKY_DN,
                    "ex1.frankysweb.local"), new Transcript());
        }
        assertThat(steps).allMatch(OutlookSequence.StepResult::passed);
        Path merged = tmp.resolve("merged.pcap");
        java.nio.file.Files.write(merged, NcacnHttpLegs.merge(capture, java.util.Set.of(6001, 6002, 6004)));
        if (System.getenv("SEALED_PCAP") != null) {
            java.nio.file.Files.copy(merged, Path.of(System.getenv("SEALED_PCAP")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> decode = List.of("-r", merged.toString(), "-d", "tcp.port==6001,dcerpc", "-d", "tcp.port==6002,dcerpc",
                "-d", "tcp.port==6004,dcerpc", "-o", "ntlmssp.nt_password:" + PASSWORD);
        String rfr = Tshark.run(concat(decode, "-Y", "rfr", "-T", "fields", "-e", "rfr.opnum", "-e", "rfr.RfrGetNewDSA.pUserDN",
                "-e", "rfr.RfrGetNewDSA.ppszServer", "-e", "rfr.RfrGetFQDNFromLegacyDN.szMailboxServerDN",
                "-e", "rfr.RfrGetFQDNFromLegacyDN.ppszServerFQDN"));
        assertThat(rfr).as("decrypted RFR; capture:%n%s", Tshark.run(decode)).contains(FRANKY_DN, EX1_DN, "ex1.frankysweb.local");
        String nspi = Tshark.run(concat(decode, "-Y", "nspi", "-T", "fields", "-e", "nspi.opnum"));
        assertThat(nspi.lines().map(String::strip).toList()).containsExactly("0", "0", "7", "7", "9", "9", "1", "1");
        String nspiDetail = Tshark.run(concat(decode, "-Y", "nspi", "-V"));
        assertThat(nspiDetail).contains(FRANKY_DN, "franky@frankysweb.org");
        String store = Tshark.run(concat(decode, "-Y", "mapi", "-T", "fields", "-e", "dcerpc.pkt_type", "-e", "mapi.opnum"));
        assertThat(store.lines().map(String::strip).toList()).containsExactly("0\t10", "2\t10", "0\t11", "2\t11", "0\t1", "2\t1");
        // Wireshark 4.0 has no layout for EcDoConnectEx and EcDoRpcExt2: the stubs it decrypted must be ours, byte for byte
        // (the request as MailboxLogon encodes it) and meaning what the client read (the display name, the mailbox GUID).
        List<String> stubs = Tshark.run(concat(decode, "-Y", "mapi.opnum == 10 || mapi.opnum == 11", "-T", "fields",
                "-e", "dcerpc.decrypted_stub_data")).lines().map(String::strip).toList();
        assertThat(stubs).hasSize(4);
        assertThat(stubs.get(0)).isEqualTo(EcDoConnectEx.Request.outlook(FRANKY_DN, MailboxLogon.CLIENT_VERSION).encode().hex());
        EcDoConnectEx.Response connected = EcDoConnectEx.Response.decode(Octets.ofHex(stubs.get(1)));
        assertThat(connected.displayName()).isEqualTo(steps.get(3).values().get("displayName"));
        assertThat(EcDoRpcExt2.Request.decode(Octets.ofHex(stubs.get(2))).cxh()).isEqualTo(connected.cxh());
        Octets rgbOut = EcDoRpcExt2.Response.decode(Octets.ofHex(stubs.get(3))).rgbOut();
        RopLogon.Success logon = (RopLogon.Success) RopLogon.readResponse(RopBuffer.decode(RpcHeaderExt.unwrap(rgbOut)).rops());
        assertThat(logon.mailboxGuid()).hasToString(steps.get(3).values().get("mailboxGuid"));
        assertThat(Tshark.run(concat(decode, "-Y", "_ws.malformed || _ws.expert.severity >= \"error\"")))
                .as("malformed or error items; expert summary:%n%s", Tshark.run(concat(decode, "-q", "-z", "expert"))).isBlank();
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }

    /**
     * The RPC server side of a capture of ncacn_http legs, one TCP conversation per server port: every PDU the proxy
     * sent (to the server port) and every PDU the server sent back, in the order their last byte was captured.
     */
    static final class NcacnHttpLegs {
        static final byte[] BANNER = "ncacn_http/1.0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        static byte[] merge(Path capture, java.util.Set<Integer> serverPorts) throws Exception {
            String fields = Tshark.run(List.of("-r", capture.toString(), "-Y", "tcp.len > 0", "-T", "fields", "-E", "separator=,",
                    "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.seq", "-e", "tcp.payload"));
            java.util.Map<String, java.io.ByteArrayOutputStream> pending = new java.util.HashMap<>();
            // A loaded machine's loopback can drop a segment and TCP send it again: the capture then holds those bytes
            // twice. Each direction's bytes count once, by their (relative) sequence number.
            java.util.Map<String, Long> nextSeq = new java.util.HashMap<>();
            java.util.Set<String> bannerChecked = new java.util.HashSet<>();
            List<Pcap.Segment> segments = new java.util.ArrayList<>();
            for (String line : fields.lines().filter(l -> !l.isBlank()).toList()) {
                String[] f = line.split(",");
                int src = Integer.parseInt(f[1]);
                int dst = Integer.parseInt(f[2]);
                boolean fromClient = serverPorts.contains(dst);
                int serverPort = fromClient ? dst : src;
                String key = f[0] + (fromClient ? ">" : "<");
                java.io.ByteArrayOutputStream buffer = pending.computeIfAbsent(key, k -> new java.io.ByteArrayOutputStream());
                byte[] payload = java.util.HexFormat.of().parseHex(f[4].replace(":", ""));
                long seq = Long.parseLong(f[3]);
                long expected = nextSeq.getOrDefault(key, seq);
                if (seq + payload.length <= expected) {
                    continue; // a retransmission of bytes already taken
                }
                int skip = (int) Math.max(0, expected - seq);
                buffer.write(payload, skip, payload.length - skip);
                nextSeq.put(key, seq + payload.length);
                byte[] bytes = buffer.toByteArray();
                int at = 0;
                if (!fromClient && !bannerChecked.contains(key)) {
                    if (bytes.length < BANNER.length) {
                        continue; // the banner is still arriving
                    }
                    bannerChecked.add(key);
                    if (java.util.Arrays.equals(bytes, 0, BANNER.length, BANNER, 0, BANNER.length)) {
                        at = BANNER.length;
                    }
                }
                while (bytes.length - at >= 10) {
                    int fragLength = (bytes[at + 8] & 0xff) | (bytes[at + 9] & 0xff) << 8;
                    if (fragLength < 16 || bytes.length - at < fragLength) {
                        break;
                    }
                    segments.add(new Pcap.Segment(fromClient, 40000 + serverPort, serverPort,
                            java.util.Arrays.copyOfRange(bytes, at, at + fragLength)));
                    at += fragLength;
                }
                buffer.reset();
                buffer.write(bytes, at, bytes.length - at);
            }
            return Pcap.of(segments);
        }
    }
}
