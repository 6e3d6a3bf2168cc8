package dev.anywhere.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Loopback tests of {@link DnsServer} with dnsjava's {@link SimpleResolver} as the client, over UDP and over TCP.
 */
class DnsServerTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private DnsServer server;

    @BeforeEach
    void start() {
        server = DnsServer.start(ANY_PORT, TestZones.richSet());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void answersEveryRecordType(Transport transport) throws IOException {
        Message a = ask(transport, "oa.frankysweb.org.", Type.A);
        assertThat(a.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(((ARecord) a.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress())
                .isEqualTo("127.0.0.20");

        Message aaaa = ask(transport, "oa.frankysweb.org.", Type.AAAA);
        assertThat(((AAAARecord) aaaa.getSection(Section.ANSWER).get(0)).getAddress())
                .isEqualTo(InetAddress.getByName("::1"));

        Message cname = ask(transport, "www.frankysweb.org.", Type.A);
        assertThat(cname.getSection(Section.ANSWER)).hasSize(2);
        assertThat(((CNAMERecord) cname.getSection(Section.ANSWER).get(0)).getTarget())
                .isEqualTo(Name.fromString("oa.frankysweb.org."));
        assertThat(cname.getSection(Section.ANSWER).get(1)).isInstanceOf(ARecord.class);

        Message cnameItself = ask(transport, "www.frankysweb.org.", Type.CNAME);
        assertThat(cnameItself.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);

        Message srv = ask(transport, "_autodiscover._tcp.frankysweb.org.", Type.SRV);
        SRVRecord record = (SRVRecord) srv.getSection(Section.ANSWER).get(0);
        assertThat(List.of(record.getPriority(), record.getWeight(), record.getPort())).containsExactly(0, 0, 443);
        assertThat(record.getTarget()).isEqualTo(Name.fromString("autodiscover.frankysweb.org."));
        assertThat(srv.getSection(Section.ADDITIONAL)).extracting(Record::rdataToString).contains("127.0.0.20");

        Message soa = ask(transport, "frankysweb.org.", Type.SOA);
        assertThat(((SOARecord) soa.getSection(Section.ANSWER).get(0)).getSerial()).isEqualTo(2026010101L);

        Message ns = ask(transport, "frankysweb.org.", Type.NS);
        assertThat(((NSRecord) ns.getSection(Section.ANSWER).get(0)).getTarget())
                .isEqualTo(Name.fromString("ns1.frankysweb.org."));

        Message txt = ask(transport, "frankysweb.org.", Type.TXT);
        assertThat(((TXTRecord) txt.getSection(Section.ANSWER).get(0)).getStrings()).containsExactly("v=spf1 -all");

        Message internal = ask(transport, "EX1.FrankysWeb.Local.", Type.A);
        assertThat(internal.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("127.0.100.251");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nxdomainHasSoaInAuthority(Transport transport) throws IOException {
        Message m = ask(transport, "nope.frankysweb.org.", Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nodataForExistingNameWithoutThatType(Transport transport) throws IOException {
        Message m = ask(transport, "autodiscover.frankysweb.org.", Type.AAAA);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void refusedOutsideServedZones(Transport transport) throws IOException {
        Message m = ask(transport, "www.example.com.", Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void truncatedOverUdpAndWholeOverTcp() throws IOException {
        SimpleResolver udp = resolver(Transport.UDP);
        udp.setEDNS(-1, 0, 0, List.of()); // no EDNS: the classic 512-byte limit applies
        udp.setIgnoreTruncation(true); // show the truncated answer instead of retrying over TCP
        Message truncated = udp.send(query("big.frankysweb.org.", Type.A));
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.getSection(Section.ANSWER)).isEmpty();

        Message whole = resolver(Transport.TCP).send(query("big.frankysweb.org.", Type.A));
        assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(whole.getSection(Section.ANSWER)).hasSize(TestZones.BIG_COUNT);

        // and a resolver that follows TC by itself ends with the whole answer
        SimpleResolver following = resolver(Transport.UDP);
        following.setEDNS(-1, 0, 0, List.of());
        assertThat(following.send(query("big.frankysweb.org.", Type.A)).getSection(Section.ANSWER))
                .hasSize(TestZones.BIG_COUNT);
    }

    @Test
    void malformedDatagramsDoNotStopTheServer() throws IOException {
        HexFormat hex = HexFormat.of();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(1000);
            for (String junk : List.of("", "00", "1234010000010000000000", "123401000001000000000000c00c00010001",
                    "123401000005000000000000", "ffffffffffffffffffffffffffffffffffff")) {
                byte[] bytes = hex.parseHex(junk);
                socket.send(new DatagramPacket(bytes, bytes.length, server.address()));
            }
            // the two with a query header get FORMERR; the others nothing
            for (int i = 0; i < 2; i++) {
                DatagramPacket reply = new DatagramPacket(new byte[512], 512);
                socket.receive(reply);
                Message m = new Message(java.util.Arrays.copyOf(reply.getData(), reply.getLength()));
                assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
            }
            assertThatThrownBy(() -> socket.receive(new DatagramPacket(new byte[512], 512)))
                    .isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(ask(Transport.UDP, "oa.frankysweb.org.", Type.A).getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void tcpConnectionServesSeveralQueriesAndSurvivesGarbage() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server.address(), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int id = 1; id <= 3; id++) {
                Message q = query("oa.frankysweb.org.", Type.A);
                q.getHeader().setID(id);
                writeFrame(out, q.toWire());
                Message r = new Message(readFrame(in));
                assertThat(r.getHeader().getID()).isEqualTo(id);
                assertThat(r.getSection(Section.ANSWER)).hasSize(1);
            }
            writeFrame(out, HexFormat.of().parseHex("123401000001000000000000c00c00010001"));
            assertThat(new Message(readFrame(in)).getRcode()).isEqualTo(Rcode.FORMERR);
            writeFrame(out, new byte[] {1, 2, 3}); // no header: the connection is closed
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(ask(Transport.TCP, "oa.frankysweb.org.", Type.A).getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void replaceZonesAppliesFaultScenarios() throws IOException {
        server.replaceZones(LabZones.provider(LabZones.PublicZoneOptions.DEFAULT, DnsFault.MISSING_OA));
        assertThat(ask(Transport.UDP, "oa.frankysweb.org.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask(Transport.UDP, "autodiscover.frankysweb.org.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);

        server.replaceZones(LabZones.provider(LabZones.PublicZoneOptions.DEFAULT, DnsFault.WRONG_ADDRESS));
        assertThat(ask(Transport.TCP, "oa.frankysweb.org.", Type.A).getSection(Section.ANSWER))
                .extracting(Record::rdataToString).containsExactly(LabZones.WRONG_ADDRESS);

        server.replaceZones(LabZones.provider());
        assertThat(ask(Transport.UDP, "oa.frankysweb.org.", Type.A).getSection(Section.ANSWER))
                .extracting(Record::rdataToString).containsExactly(LabZones.ROUTER_PUBLIC_ADDRESS);
    }

    @Test
    void replaceZonesUnderLoadNeverMixesSnapshots() throws Exception {
        ZoneSet healthy = LabZones.provider();
        ZoneSet broken = LabZones.provider(LabZones.PublicZoneOptions.DEFAULT, DnsFault.WRONG_ADDRESS);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> swapper = pool.submit(() -> {
                while (!stop.get()) {
                    server.replaceZones(healthy);
                    server.replaceZones(broken);
                }
            });
            for (int i = 0; i < 200; i++) {
                Message m = ask(Transport.UDP, "oa.frankysweb.org.", Type.A);
                assertThat(m.getSection(Section.ANSWER)).singleElement().extracting(Record::rdataToString)
                        .isIn(LabZones.ROUTER_PUBLIC_ADDRESS, LabZones.WRONG_ADDRESS);
            }
            stop.set(true);
            swapper.get();
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void secondServerOnTheSamePortFailsWithTheAddress() {
        assertThatThrownBy(() -> DnsServer.start(server.address(), ZoneSet.empty()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("dns server bind: tcp " + server.address());
    }

    @Test
    void emptyZoneSetRefusesEverything() throws IOException {
        server.replaceZones(ZoneSet.empty());
        assertThat(ask(Transport.UDP, "oa.frankysweb.org.", Type.A).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    private Message ask(Transport transport, String name, int type) throws IOException {
        return resolver(transport).send(query(name, type));
    }

    private SimpleResolver resolver(Transport transport) {
        SimpleResolver resolver = new SimpleResolver(server.address());
        resolver.setTCP(transport == Transport.TCP);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver;
    }

    static Message query(String name, int type) throws IOException {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    private static void writeFrame(OutputStream out, byte[] message) throws IOException {
        out.write(message.length >> 8);
        out.write(message.length & 0xFF);
        out.write(message);
        out.flush();
    }

    private static byte[] readFrame(InputStream in) throws IOException {
        int hi = in.read();
        int lo = in.read();
        if (hi < 0 || lo < 0) {
            throw new IOException("tcp frame length: end of stream (expected: 2 bytes)");
        }
        return in.readNBytes((hi << 8) | lo);
    }
}
