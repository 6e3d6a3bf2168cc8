package dev.anywhere.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Wire-level tests of {@link DnsResponder}: golden bytes, EDNS, truncation and a corpus of malformed queries. */
class DnsResponderTest {

    private static final HexFormat HEX = HexFormat.of();

    private final DnsResponder responder = new DnsResponder(TestZones.richSet());

    @Test
    void goldenAnswerForOaA() throws IOException {
        byte[] query = HEX.parseHex(""
                + "1234" // ID
                + "0100" // QR=0 OPCODE=QUERY RD=1
                + "0001" // QDCOUNT
                + "0000" + "0000" + "0000" // ANCOUNT NSCOUNT ARCOUNT
                + "026f61" + "0a6672616e6b7973776562" + "036f7267" + "00" // QNAME oa.frankysweb.org.
                + "0001" + "0001"); // QTYPE=A QCLASS=IN
        byte[] expected = HEX.parseHex(""
                + "1234" // ID echoed
                + "8500" // QR=1 AA=1 RD=1, RCODE=NOERROR
                + "0001" + "0001" + "0000" + "0000" // QD AN NS AR
                + "026f61" + "0a6672616e6b7973776562" + "036f7267" + "00" + "0001" + "0001" // question echoed
                + "c00c" // NAME: pointer to the QNAME at offset 12
                + "0001" + "0001" // TYPE=A CLASS=IN
                + "00000e10" // TTL 3600
                + "0004" + "7f000014"); // RDLENGTH 4, 127.0.0.20
        assertThat(HEX.formatHex(responder.respond(query, Transport.UDP).orElseThrow()))
                .isEqualTo(HEX.formatHex(expected));
        // decode and re-encode with dnsjava: identical bytes, so the vector itself is well-formed
        assertThat(new Message(expected).toWire()).isEqualTo(expected);
        assertThat(new Message(query).toWire()).isEqualTo(query);
    }

    @Test
    void goldenNxdomainCarriesSoaWithNegativeTtl() throws IOException {
        byte[] query = HEX.parseHex(""
                + "beef" + "0000" + "0001" + "0000" + "0000" + "0000" // ID, no RD, QDCOUNT=1
                + "046e6f7065" + "0a6672616e6b7973776562" + "036f7267" + "00" // nope.frankysweb.org.
                + "0001" + "0001");
        byte[] expected = HEX.parseHex(""
                + "beef"
                + "8403" // QR=1 AA=1, RCODE=NXDOMAIN(3)
                + "0001" + "0000" + "0001" + "0000" // QD AN NS AR
                + "046e6f7065" + "0a6672616e6b7973776562" + "036f7267" + "00" + "0001" + "0001"
                + "c011" // NAME: pointer to frankysweb.org. at offset 17
                + "0006" + "0001" // TYPE=SOA CLASS=IN
                + "0000012c" // TTL: min(SOA TTL 3600, MINIMUM 300), RFC 2308 3
                + "0027" // RDLENGTH 39
                + "036e7331" + "c011" // MNAME ns1.frankysweb.org.
                + "0a686f73746d6173746572" + "c011" // RNAME hostmaster.frankysweb.org.
                + "78c275f5" // SERIAL 2026010101
                + "00000e10" + "00000258" + "00015180" + "0000012c"); // REFRESH RETRY EXPIRE MINIMUM
        assertThat(HEX.formatHex(responder.respond(query, Transport.UDP).orElseThrow()))
                .isEqualTo(HEX.formatHex(expected));
        assertThat(new Message(expected).toWire()).isEqualTo(expected);
    }

    @Test
    void cnameChainIsChasedInsideTheZone() throws IOException {
        Message response = ask("mail.frankysweb.org.", Type.A, Transport.UDP);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType)
                .containsExactly(Type.CNAME, Type.CNAME, Type.A);
    }

    @Test
    void anyQueryReturnsEveryRrsetAtTheName() throws IOException {
        Message response = ask("oa.frankysweb.org.", Type.ANY, Transport.TCP);
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType)
                .containsExactlyInAnyOrder(Type.A, Type.AAAA);
    }

    @Test
    void answerOrderIsStableAcrossQueries() throws IOException {
        // dnsjava's RRset.rrs() rotates records round-robin; the server must not, so answers are reproducible
        List<Record> first = ask("big.frankysweb.org.", Type.A, Transport.TCP).getSection(Section.ANSWER);
        List<Record> second = ask("big.frankysweb.org.", Type.A, Transport.TCP).getSection(Section.ANSWER);
        assertThat(second).containsExactlyElementsOf(first);
    }

    @Test
    void cnameLoopEndsWithTheChainSoFar() throws IOException {
        Message response = ask("loop1.frankysweb.org.", Type.A, Transport.UDP);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType)
                .containsExactly(Type.CNAME, Type.CNAME);
    }

    @Test
    void cnameOutOfZoneIsNotFollowed() throws IOException {
        Message response = ask("outside.frankysweb.org.", Type.A, Transport.UDP);
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME);
    }

    @Test
    void emptyNonTerminalIsNodataNotNxdomain() throws IOException {
        Message response = ask("_tcp.frankysweb.org.", Type.SRV, Transport.UDP);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @Test
    void delegationIsAReferralWithGlueAndNoAa() throws IOException {
        Message response = ask("host.sub.frankysweb.org.", Type.A, Transport.UDP);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(response.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.NS);
        assertThat(response.getSection(Section.ADDITIONAL)).extracting(Record::rdataToString)
                .containsExactly("127.0.0.53");
    }

    @Test
    void zoneTransferAndChaosClassAreRefused() throws IOException {
        assertThat(ask("frankysweb.org.", Type.AXFR, Transport.TCP).getRcode()).isEqualTo(Rcode.REFUSED);
        Message chaos = Message.newQuery(Record.newRecord(Name.fromString("version.bind."), Type.TXT, DClass.CH));
        Message response = new Message(responder.respond(chaos.toWire(), Transport.UDP).orElseThrow());
        assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void unknownOpcodeIsNotImplemented() throws IOException {
        Message query = query("oa.frankysweb.org.", Type.A);
        query.getHeader().setOpcode(Opcode.UPDATE);
        Message response = new Message(responder.respond(query.toWire(), Transport.UDP).orElseThrow());
        assertThat(response.getRcode()).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void ednsVersionOneGetsBadvers() throws IOException {
        Message query = query("oa.frankysweb.org.", Type.A);
        query.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
        Message response = new Message(responder.respond(query.toWire(), Transport.UDP).orElseThrow());
        assertThat(response.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(response.getOPT().getVersion()).isZero();
    }

    @Test
    void ednsQueryGetsOptWithAdvertisedPayload() throws IOException {
        Message query = query("oa.frankysweb.org.", Type.A);
        query.addRecord(new OPTRecord(4096, 0, 0, 0), Section.ADDITIONAL);
        Message response = new Message(responder.respond(query.toWire(), Transport.UDP).orElseThrow());
        assertThat(response.getOPT().getPayloadSize()).isEqualTo(DnsResponder.ADVERTISED_UDP_PAYLOAD);
    }

    @Test
    void bigAnswerIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
        Message udp = ask("big.frankysweb.org.", Type.A, Transport.UDP);
        assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(udp.getSection(Section.ANSWER)).isEmpty();
        assertThat(udp.getQuestion().getName()).isEqualTo(Name.fromString("big.frankysweb.org."));

        Message tcp = ask("big.frankysweb.org.", Type.A, Transport.TCP);
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(TestZones.BIG_COUNT);
    }

    @Test
    void ednsPayloadSizeLiftsTheUdpLimit() throws IOException {
        Message query = query("big.frankysweb.org.", Type.A);
        query.addRecord(new OPTRecord(4096, 0, 0, 0), Section.ADDITIONAL);
        Message response = new Message(responder.respond(query.toWire(), Transport.UDP).orElseThrow());
        assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(response.getSection(Section.ANSWER)).hasSize(TestZones.BIG_COUNT);
    }

    @Test
    void replacedZonesAreServedFromTheNextQuery() throws IOException {
        responder.replaceZones(ZoneSet.of(DnsFault.MISSING_OA.apply(TestZones.rich())));
        assertThat(ask("oa.frankysweb.org.", Type.A, Transport.UDP).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("dc1.frankysweb.local.", Type.A, Transport.UDP).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    // ---- malformed input: RFC 1035 4.1.1 FORMERR when the header parses, nothing otherwise ----

    static Stream<Arguments> malformed() {
        String oaQuestion = "026f61" + "0a6672616e6b7973776562" + "036f7267" + "00" + "0001" + "0001";
        return Stream.of(
                Arguments.of("empty", "", null),
                Arguments.of("truncated header", "12340100", null),
                Arguments.of("eleven bytes", "1234010000010000000000", null),
                Arguments.of("a response (QR=1)", "123481000001000000000000" + oaQuestion, null),
                Arguments.of("qdcount 0", "123401000000000000000000", Rcode.FORMERR),
                Arguments.of("qdcount 5, one question", "123401000005000000000000" + oaQuestion, Rcode.FORMERR),
                Arguments.of("qdcount 2, two questions", "123401000002000000000000" + oaQuestion + oaQuestion,
                        Rcode.FORMERR),
                Arguments.of("header only, qdcount 1", "123401000001000000000000", Rcode.FORMERR),
                // found by DnsResponderFuzzTest: with TC set dnsjava drops the cut question; this was a SERVFAIL
                Arguments.of("TC set, question cut short", "123403000001000000000000" + "03636f7a" + "79", Rcode.FORMERR),
                Arguments.of("TC set, header only, qdcount 1", "123403000001000000000000", Rcode.FORMERR),
                Arguments.of("label longer than the packet", "123401000001000000000000" + "3f6f61", Rcode.FORMERR),
                Arguments.of("reserved label type 0x40", "123401000001000000000000" + "4061" + "00" + "00010001",
                        Rcode.FORMERR),
                Arguments.of("compression pointer to itself", "123401000001000000000000" + "c00c" + "00010001",
                        Rcode.FORMERR),
                Arguments.of("compression pointer past the end", "123401000001000000000000" + "c0ff" + "00010001",
                        Rcode.FORMERR),
                Arguments.of("question without type and class", "123401000001000000000000" + "026f6100",
                        Rcode.FORMERR),
                Arguments.of("arcount 1 without record", "123401000001000000000001" + oaQuestion, Rcode.FORMERR),
                Arguments.of("two OPT records", "123401000001000000000002" + oaQuestion
                        + "00" + "0029" + "1000" + "00000000" + "0000"
                        + "00" + "0029" + "1000" + "00000000" + "0000", Rcode.FORMERR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedQueryGetsFormerrOrNothing(String description, String hex, Integer rcode) throws IOException {
        for (Transport transport : Transport.values()) {
            Optional<byte[]> response = responder.respond(HEX.parseHex(hex), transport);
            if (rcode == null) {
                assertThat(response).as(description).isEmpty();
            } else {
                Message m = new Message(response.orElseThrow());
                assertThat(m.getHeader().getID()).isEqualTo(0x1234);
                assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
                assertThat(m.getRcode()).as(description).isEqualTo(rcode);
                assertThat(m.getSection(Section.QUESTION)).isEmpty();
            }
        }
        assertThat(ask("oa.frankysweb.org.", Type.A, Transport.UDP).getSection(Section.ANSWER)).hasSize(1);
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(20261126L);
        for (int i = 0; i < 5000; i++) {
            byte[] junk = new byte[random.nextInt(600)];
            random.nextBytes(junk);
            if (junk.length > 2 && random.nextBoolean()) {
                junk[2] &= 0x7F; // make many of them queries, so they get past the QR check
            }
            Optional<byte[]> response = responder.respond(junk, Transport.UDP);
            response.ifPresent(bytes -> assertThat(bytes.length).isLessThanOrEqualTo(512));
        }
    }

    @Test
    void everyPrefixOfAGoodQueryIsHandled() {
        byte[] good = query("_autodiscover._tcp.frankysweb.org.", Type.SRV).toWire();
        for (int n = 0; n < good.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(good, n);
            Optional<byte[]> response = responder.respond(prefix, Transport.TCP);
            assertThat(response.isPresent()).as("prefix of %d bytes", n).isEqualTo(n >= 12);
        }
    }

    private Message ask(String name, int type, Transport transport) throws IOException {
        byte[] wire = responder.respond(query(name, type).toWire(), transport).orElseThrow();
        return new Message(wire);
    }

    private static Message query(String name, int type) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
