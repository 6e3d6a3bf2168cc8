package dev.anywhere.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * What a file looks like from the outside: identity (inode), modification time and size. Configuration files are
 * replaced by an atomic rename (new identity) or edited in place (new time and usually size), so comparing stamps
 * tells cheaply whether a file must be read again.
 *
 * @param key the file system's identity of the file; null where it has none
 */
public record FileStamp(Object key, FileTime modified, long size) {

    /** The stamp of {@code file}; empty when it does not exist. */
    public static Optional<FileStamp> of(Path file) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new FileStamp(a.fileKey(), a.lastModifiedTime(), a.size()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
