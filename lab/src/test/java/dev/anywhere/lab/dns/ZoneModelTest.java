package dev.anywhere.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** {@link ZoneModel}, {@link ZoneSet}, {@link LabZones} and {@link DnsFault}. */
class ZoneModelTest {

    @TempDir
    Path dir;

    @Test
    void zoneFileIsServed() throws IOException {
        Path file = dir.resolve("frankysweb.org.zone");
        Files.writeString(file, """
                $TTL 600
                @        IN SOA ns1 hostmaster 7 3600 600 86400 300
                         IN NS  ns1
                ns1      IN A   127.0.0.10
                oa       IN A   127.0.0.20
                autodiscover IN CNAME oa
                _autodiscover._tcp IN SRV 0 0 443 autodiscover.frankysweb.org.
                """);
        ZoneModel zone = ZoneModel.fromZoneFile(file, "frankysweb.org");
        assertThat(zone.records()).hasSize(6);
        assertThat(zone.records("oa", Type.A)).singleElement().extracting(Record::getTTL).isEqualTo(600L);
        try (DnsServer server = DnsServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                ZoneSet.of(zone))) {
            SimpleResolver resolver = new SimpleResolver(server.address());
            Message m = resolver.send(DnsServerTest.query("autodiscover.frankysweb.org.", Type.A));
            assertThat(m.getSection(Section.ANSWER)).extracting(Record::rdataToString)
                    .containsExactly("oa.frankysweb.org.", "127.0.0.20");
        }
    }

    @Test
    void masterFileTextRoundTrips() throws IOException {
        ZoneModel zone = LabZones.publicZone(new LabZones.PublicZoneOptions(true, true));
        Path file = Files.writeString(dir.resolve("public.zone"), zone.toMasterFile());
        assertThat(ZoneModel.fromZoneFile(file, "frankysweb.org")).isEqualTo(zone);
    }

    @Test
    void labZonesFollowTheSiteTable() throws IOException {
        DnsResponder provider = new DnsResponder(LabZones.provider());
        DnsResponder dc1 = new DnsResponder(LabZones.internal(true));
        assertThat(answer(provider, "oa.frankysweb.org.")).isEqualTo(LabZones.ROUTER_PUBLIC_ADDRESS);
        assertThat(answer(provider, "autodiscover.frankysweb.org.")).isEqualTo("127.0.0.20");
        assertThat(answer(dc1, "dc1.frankysweb.local.")).isEqualTo("127.0.100.250");
        assertThat(answer(dc1, "ex1.frankysweb.local.")).isEqualTo("127.0.100.251");
        assertThat(answer(dc1, "autodiscover.frankysweb.org.")).isEqualTo("127.0.100.251");
    }

    @Test
    void zoneSetWithReplacesByOrigin() {
        ZoneSet set = LabZones.internal(true);
        ZoneModel broken = DnsFault.MISSING_OA.apply(LabZones.splitBrainZone());
        ZoneSet changed = set.with(broken);
        assertThat(changed.models()).hasSize(2);
        assertThat(changed.model("frankysweb.org")).contains(broken);
        assertThat(set.model("frankysweb.org")).contains(LabZones.splitBrainZone());
    }

    private static String answer(DnsResponder responder, String name) throws IOException {
        Message m = new Message(responder.respond(DnsServerTest.query(name, Type.A).toWire(), Transport.UDP)
                .orElseThrow());
        return m.getSection(Section.ANSWER).get(0).rdataToString();
    }

    @Test
    void zoneFileErrorNamesTheFile() throws IOException {
        Path file = dir.resolve("bad.zone");
        Files.writeString(file, "oa IN A not-an-address\n");
        assertThatThrownBy(() -> ZoneModel.fromZoneFile(file, "frankysweb.org"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("zone file " + file + ": ");
    }

    @Test
    void zoneFileRecordOutsideTheOriginNamesTheFile() throws IOException {
        // found by ZoneFileFuzzTest: this was an IllegalArgumentException without the file name
        Path file = dir.resolve("outside.zone");
        Files.writeString(file, "www.example.com. IN A 127.0.0.1\n");
        assertThatThrownBy(() -> ZoneModel.fromZoneFile(file, "frankysweb.org"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("zone file " + file + ": record owner: www.example.com. (expected: at or below frankysweb.org.)");
    }

    @Test
    void zoneFileRecordOfAnotherClassNamesTheFile() throws IOException {
        Path file = dir.resolve("chaos.zone");
        Files.writeString(file, "oa CH TXT \"x\"\n");
        assertThatThrownBy(() -> ZoneModel.fromZoneFile(file, "frankysweb.org"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("zone file " + file + ": record class: CH of oa.frankysweb.org.")
                .hasMessageEndingWith("(expected: IN)");
    }

    @Test
    void zoneFileLineTheParserTripsOverNamesTheFile() throws IOException {
        // found by ZoneFileFuzzTest (crash-empty-quoted-owner): the parser threw StringIndexOutOfBoundsException
        Path file = dir.resolve("quoted.zone");
        Files.writeString(file, "\u00b9CH TXT\n\"\"x a\u00b9CH TXT \"x\"\n", java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ZoneModel.fromZoneFile(file, "frankysweb.org"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("zone file " + file + ": malformed record (expected: RFC 1035 master file syntax)");
    }

    @Test
    void zoneFileIncludeIsDisabled() throws IOException {
        Path file = dir.resolve("include.zone");
        Files.writeString(file, "$INCLUDE /etc/passwd\n");
        assertThatThrownBy(() -> ZoneModel.fromZoneFile(file, "frankysweb.org"))
                .isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void zoneWithoutNsIsRejectedWhenTheSetIsBuilt() {
        ZoneModel noNs = ZoneModel.builder("frankysweb.org").a("oa", "127.0.0.20").build();
        assertThatThrownBy(() -> ZoneSet.of(noNs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("zone frankysweb.org.: ")
                .hasMessageEndingWith("(expected: one SOA and at least one NS record at the apex)");
    }

    @Test
    void recordOutsideTheOriginIsRejected() {
        assertThatThrownBy(() -> ZoneModel.builder("frankysweb.org").ns("ns1").a("oa.example.com.", "127.0.0.1")
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("record owner: oa.example.com. (expected: at or below frankysweb.org.)");
    }

    @Test
    void builderRejectsWrongAddressFamily() {
        assertThatThrownBy(() -> ZoneModel.builder("frankysweb.org").a("oa", "::1"))
                .hasMessage("A record address: ::1 (expected: an IPv4 literal)");
        assertThatThrownBy(() -> ZoneModel.builder("frankysweb.org").a("oa", "oa.example.com"))
                .hasMessage("address: oa.example.com (expected: an IP literal)");
    }

    @Test
    void duplicateOriginsAreRejected() {
        assertThatThrownBy(() -> ZoneSet.of(LabZones.internalZone(), LabZones.internalZone()))
                .hasMessage("zone origin: frankysweb.local. twice (expected: unique origins)");
    }

    @Test
    void faultsChangeOnlyOa() {
        ZoneModel healthy = LabZones.publicZone(new LabZones.PublicZoneOptions(true, true));
        assertThat(healthy.records("_autodiscover._tcp", Type.SRV)).hasSize(1);
        assertThat(healthy.records("@", Type.A)).hasSize(1);

        ZoneModel missing = DnsFault.ofScenario("dns-missing-oa").apply(healthy);
        assertThat(missing.records("oa", Type.A)).isEmpty();
        assertThat(missing.records()).hasSize(healthy.records().size() - 1);

        ZoneModel wrong = DnsFault.ofScenario("dns-wrong-address").apply(healthy);
        assertThat(wrong.records("oa", Type.A)).singleElement().extracting(Record::rdataToString)
                .isEqualTo(LabZones.WRONG_ADDRESS);
        assertThat(wrong.records("autodiscover", Type.A)).singleElement().extracting(Record::rdataToString)
                .isEqualTo(LabZones.ROUTER_PUBLIC_ADDRESS);

        assertThatThrownBy(() -> DnsFault.ofScenario("dns-gone"))
                .hasMessage("dns fault scenario: dns-gone (expected: one of none, dns-missing-oa, dns-wrong-address)");
    }

    @Test
    void splitBrainAnswersInternalAddress() throws IOException {
        DnsResponder internal = new DnsResponder(LabZones.internal(true));
        Message m = new Message(internal.respond(DnsServerTest.query("oa.frankysweb.org.", Type.A).toWire(),
                Transport.UDP).orElseThrow());
        assertThat(m.getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactly(LabZones.EX1_ADDRESS);
        DnsResponder noSplit = new DnsResponder(LabZones.internal(false));
        Message refused = new Message(noSplit.respond(DnsServerTest.query("oa.frankysweb.org.", Type.A).toWire(),
                Transport.UDP).orElseThrow());
        assertThat(refused.getRcode()).isEqualTo(Rcode.REFUSED);
    }
}
