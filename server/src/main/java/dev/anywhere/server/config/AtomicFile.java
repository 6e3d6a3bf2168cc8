package dev.anywhere.server.config;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that a reader sees the old content or the new, never half of either: a temporary file in the same
 * directory, then a rename over the target. Every configuration, status and secret file of Anywhere is written so.
 */
public final class AtomicFile {

    private AtomicFile() {
    }

    /** Replaces {@code target} with {@code bytes}, creating the directory if needed. */
    public static Path write(Path target, byte[] bytes) throws IOException {
        return write(target, bytes, false);
    }

    /** As {@link #write}, readable and writable by the owner only where the file system has POSIX permissions. */
    public static Path writeSecret(Path target, byte[] bytes) throws IOException {
        return write(target, bytes, true);
    }

    private static Path write(Path target, byte[] bytes, boolean ownerOnly) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            if (ownerOnly && Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
