package dev.anywhere.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheFileAndLeavesNoTemporaryFileBehind() throws Exception {
        Path f = dir.resolve("sub").resolve("rpc-vdir.json");
        AtomicFile.write(f, "one".getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(f, "two".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(f)).isEqualTo("two");
        try (var files = Files.list(f.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("rpc-vdir.json");
        }
    }

    @Test
    void secretsAreReadableByTheOwnerOnly() throws Exception {
        Path f = dir.resolve("passwords.json");
        AtomicFile.writeSecret(f, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }
}
