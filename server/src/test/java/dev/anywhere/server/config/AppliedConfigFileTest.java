package dev.anywhere.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppliedConfigFileTest {

    @TempDir
    Path dir;

    private static RpcVdirConfig sample() {
        return new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC, HttpAuthScheme.NTLM), true,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001, 6002, 6004, 593)));
    }

    @Test
    void writeThenReadRoundTripsAndIsMarkedOurs() throws Exception {
        AppliedConfigFile f = new AppliedConfigFile(dir);
        f.write(sample(), 7, Instant.parse("2026-11-26T10:00:00Z"));
        AppliedConfigFile.Snapshot s = f.read().orElseThrow();
        assertThat(s.config()).isEqualTo(sample());
        assertThat(s.writtenByConfigurator()).isTrue();
        assertThat(s.generation()).isEqualTo(7);
        assertThat(Files.readString(f.path())).contains("\"authentication\" : [ \"NTLM\", \"Basic\" ]");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("rpc-vdir.json");
        }
    }

    @Test
    void aHandEditIsRecognised() throws Exception {
        AppliedConfigFile f = new AppliedConfigFile(dir);
        f.write(sample(), 1, Instant.now());
        String edited = Files.readString(f.path()).replace("\"requireSsl\" : true", "\"requireSsl\" : false");
        Files.writeString(f.path(), edited);
        AppliedConfigFile.Snapshot s = f.read().orElseThrow();
        assertThat(s.config().requireSsl()).isFalse();
        assertThat(s.writtenByConfigurator()).isFalse();
    }

    @Test
    void unreadableFilesSayWhy() throws Exception {
        AppliedConfigFile f = new AppliedConfigFile(dir);
        Files.writeString(f.path(), "{ not json");
        assertThatThrownBy(f::read).isInstanceOf(AppliedConfigFile.InvalidConfigException.class)
                .hasMessageStartingWith("rpc-vdir.json: not JSON: ");
        Files.writeString(f.path(), "{\"server\":\"EX1\",\"enabled\":\"yes\"}");
        assertThatThrownBy(f::read).hasMessage("enabled: \"yes\" (expected: true or false)");
        Files.writeString(f.path(), "{\"server\":\"EX1\",\"enabled\":true,\"requireSsl\":true,\"authentication\":[\"Digest\"],\"validPorts\":\"\"}");
        assertThatThrownBy(f::read).hasMessage("authentication: unknown scheme 'Digest' (expected: Negotiate, NTLM or Basic)");
    }

    @Test
    void bytesJacksonCannotDecodeAreInvalidNotAnIoError() throws Exception {
        // found by AppliedConfigFileFuzzTest: "\0\0\0{..." is taken for UTF-32 and failed with CharConversionException,
        // which the configurator reported as a permanent failure instead of rewriting the file
        AppliedConfigFile f = new AppliedConfigFile(dir);
        Files.write(f.path(), new byte[] {0, 0, 0, '{', 't', 'n', 'd', 'm', 0, 0, 0, 0});
        assertThatThrownBy(f::read).isInstanceOf(AppliedConfigFile.InvalidConfigException.class)
                .hasMessageStartingWith("rpc-vdir.json: not JSON: Invalid UTF-32 character 0x");
    }

    @Test
    void appliedAtThatIsNoInstantIsInvalid() throws Exception {
        AppliedConfigFile f = new AppliedConfigFile(dir);
        f.write(sample(), 1, Instant.parse("2026-11-26T10:00:00Z"));
        Files.writeString(f.path(), Files.readString(f.path()).replace("2026-11-26T10:00:00Z", "yesterday"));
        assertThatThrownBy(f::read).isInstanceOf(AppliedConfigFile.InvalidConfigException.class)
                .hasMessage("appliedAt: \"yesterday\" (expected: an instant such as 2026-11-26T10:00:00Z)");
    }

    @Test
    void missingFileIsEmpty() throws Exception {
        assertThat(new AppliedConfigFile(dir).read()).isEmpty();
    }
}
