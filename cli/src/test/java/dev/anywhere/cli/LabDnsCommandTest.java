package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab dns} with a zone file it cannot serve: one usage error naming the file, in English the words the reader
 * always said (their German in {@link CliInGermanTest}). Each is refused before anything listens.
 */
class LabDnsCommandTest extends CommandTestBase {

    @TempDir
    Path tmp;

    @Test
    void zoneFilesItCannotServeAreUsageErrors() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside.zone"), "www.example.com. IN A 127.0.0.1\n");
        assertThat(run(labDns(outside))).isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo("anywhere: zone file " + outside + ": record owner: www.example.com. (expected: at or below frankysweb.org.)\n");

        Path chaos = Files.writeString(tmp.resolve("chaos.zone"), "oa CH TXT \"x\"\n");
        assertThat(run(labDns(chaos))).isEqualTo(Anywhere.USAGE);
        assertThat(err).startsWith("anywhere: zone file " + chaos + ": record class: CH of oa.frankysweb.org.").endsWith(" (expected: IN)\n");

        Path malformed = tmp.resolve("malformed.zone");
        Files.writeString(malformed, "\u00b9CH TXT\n\"\"x a\u00b9CH TXT \"x\"\n", StandardCharsets.ISO_8859_1);
        assertThat(run(labDns(malformed))).isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo("anywhere: zone file " + malformed + ": malformed record (expected: RFC 1035 master file syntax)\n");

        Path parse = Files.writeString(tmp.resolve("parse.zone"), "oa IN A not-an-address\n");
        assertThat(run(labDns(parse))).isEqualTo(Anywhere.USAGE);
        assertThat(err).startsWith("anywhere: zone file " + parse + ": ").doesNotContain("Exception");

        // without NS records at the apex: was an internal error (exit 3), now a usage error like the others
        Path noNs = Files.writeString(tmp.resolve("no-ns.zone"), "$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\nns1 IN A 127.0.0.10\n");
        assertThat(run(labDns(noNs))).isEqualTo(Anywhere.USAGE);
        assertThat(err).startsWith("anywhere: zone frankysweb.org.: ").endsWith(" (expected: one SOA and at least one NS record at the apex)\n");
    }

    /** {@code lab dns} serving {@code zone} as frankysweb.org on a loopback port it never reaches. */
    static String[] labDns(Path zone) {
        return new String[] {"lab", "dns", "--zone-file", zone.toString(), "--origin", "frankysweb.org", "--listen", "127.0.0.10:35059"};
    }
}
