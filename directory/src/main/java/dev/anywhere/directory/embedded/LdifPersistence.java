package dev.anywhere.directory.embedded;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedDeleteResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedExtendedResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyDNResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyResult;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.ResultCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded directory on disk: after every successful write the whole content (generated operational
 * attributes and the changelog excluded) is exported to {@code directory.ldif.tmp} and atomically renamed over
 * {@code directory.ldif}, before the client sees the result. The site is a few dozen entries, so a full export per
 * write costs well under a millisecond; a crash at any moment leaves either the old or the new file, never a torn one.
 * The file holds password hashes, so it is created owner-only where the file system supports POSIX permissions.
 */
final class LdifPersistence extends com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(LdifPersistence.class);

    private final Path file;
    private volatile InMemoryDirectoryServer server;

    LdifPersistence(Path file) {
        this.file = file;
    }

    void attach(InMemoryDirectoryServer server) {
        this.server = server;
    }

    Path file() {
        return file;
    }

    @Override
    public void processAddResult(InMemoryInterceptedAddResult result) {
        afterWrite(result.getResult());
    }

    @Override
    public void processModifyResult(InMemoryInterceptedModifyResult result) {
        afterWrite(result.getResult());
    }

    @Override
    public void processDeleteResult(InMemoryInterceptedDeleteResult result) {
        afterWrite(result.getResult());
    }

    @Override
    public void processModifyDNResult(InMemoryInterceptedModifyDNResult result) {
        afterWrite(result.getResult());
    }

    @Override
    public void processExtendedResult(InMemoryInterceptedExtendedResult result) {
        afterWrite(result.getResult()); // password modify
    }

    private void afterWrite(LDAPResult result) {
        if (result.getResultCode() == ResultCode.SUCCESS && server != null) {
            try {
                save();
            } catch (RuntimeException e) {
                LOG.error("directory snapshot to {} failed; the change is live but not yet on disk", file, e);
            }
        }
    }

    /** Exports now; the temp file is renamed atomically over the data file. */
    synchronized void save() {
        InMemoryDirectoryServer s = server;
        if (s == null) {
            return;
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            createOwnerOnly(tmp);
            s.exportToLDIF(tmp.toString(), true, true);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("directory snapshot " + file, e);
        } catch (LDAPException e) {
            throw new IllegalStateException("directory snapshot " + file + ": " + e.getResultCode()
                    + " (expected: success)", e);
        }
    }

    private static void createOwnerOnly(Path path) throws IOException {
        try {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(path);
        }
    }
}
