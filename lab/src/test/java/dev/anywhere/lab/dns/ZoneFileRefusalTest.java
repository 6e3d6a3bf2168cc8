package dev.anywhere.lab.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.anywhere.rpc.input.InvalidValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zone file {@code lab dns} cannot serve is refused with a key (the reader's exception stays an
 * {@link UncheckedIOException}, the keyed refusal below it), so the command line says it in its reader's language; the
 * English sentences are {@link ZoneModelTest}'s. Nothing here listens.
 */
class ZoneFileRefusalTest {

    @TempDir
    Path dir;

    @Test
    void eachRefusalOfAZoneFileIsKeyedBelowTheReadersException() throws IOException {
        Path parse = write("bad.zone", "oa IN A not-an-address\n");
        InvalidValue v = refusal(parse);
        assertThat(v.key()).isEqualTo("zone-file.unreadable");
        assertThat(v.value()).isEqualTo(parse.toString());
        assertThat(v.details()).containsEntry("file", parse.toString()).containsKey("detail");
        assertThat(v).hasMessage("zone file " + parse + ": " + v.details().get("detail"));
        assertThat(v.getCause()).isInstanceOf(IOException.class); // the parser's own failure, for logs

        Path outside = write("outside.zone", "www.example.com. IN A 127.0.0.1\n");
        v = refusal(outside);
        assertThat(v.key()).isEqualTo("zone-file.owner");
        assertThat(v.values()).containsEntry("value", "www.example.com.").containsEntry("origin", "frankysweb.org.")
                .containsEntry("file", outside.toString());
        assertThat(v).hasMessage("zone file " + outside + ": record owner: www.example.com. (expected: at or below frankysweb.org.)");

        Path chaos = write("chaos.zone", "oa CH TXT \"x\"\n");
        v = refusal(chaos);
        assertThat(v.key()).isEqualTo("zone-file.class");
        assertThat(v.value()).isEqualTo("CH");
        assertThat(v.details().get("record")).startsWith("oa.frankysweb.org.");

        Path quoted = dir.resolve("quoted.zone");
        Files.writeString(quoted, "\u00b9CH TXT\n\"\"x a\u00b9CH TXT \"x\"\n", StandardCharsets.ISO_8859_1);
        v = refusal(quoted);
        assertThat(v.key()).isEqualTo("zone-file.malformed");
        assertThat(v.value()).isEqualTo(quoted.toString());
    }

    @Test
    void aZoneWithoutItsApexRecordsIsAKeyedRefusal() {
        ZoneModel noNs = ZoneModel.builder("frankysweb.org").a("oa", "127.0.0.20").build();
        assertThatThrownBy(() -> ZoneSet.of(noNs)).isInstanceOfSatisfying(InvalidValue.class, e -> {
            assertThat(e.key()).isEqualTo("zone.apex");
            assertThat(e.value()).isEqualTo("frankysweb.org.");
            assertThat(e).hasMessage("zone frankysweb.org.: " + e.details().get("detail")
                    + " (expected: one SOA and at least one NS record at the apex)");
        });
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static InvalidValue refusal(Path file) {
        Throwable t = catchThrowable(() -> ZoneModel.fromZoneFile(file, "frankysweb.org"));
        assertThat(t).isInstanceOf(UncheckedIOException.class);
        assertThat(t.getCause()).isInstanceOf(IOException.class);
        assertThat(t.getCause().getCause()).isInstanceOf(InvalidValue.class).hasMessage(t.getMessage());
        return (InvalidValue) t.getCause().getCause();
    }
}
