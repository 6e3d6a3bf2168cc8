package dev.anywhere.server.gateway;

import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.model.Mailbox;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Verifies credentials against the site directory, as IIS verifies them against Active Directory. */
public final class DirectoryCredentials implements CredentialVerifier {

    private static final Logger log = LoggerFactory.getLogger(DirectoryCredentials.class);

    /** Longer than any sAMAccountName may be (20), so it never names an account. */
    static final String PROBE_NAME = "anywhere-gateway-health-probe";

    private final SiteDirectory directory;

    public DirectoryCredentials(SiteDirectory directory) {
        this.directory = directory;
    }

    /** The directory the credentials are checked against (the Autodiscover route reads it too). */
    public SiteDirectory directory() {
        return directory;
    }

    @Override
    public Optional<String> verifyPassword(String logonName, String password) {
        try {
            Optional<Mailbox> m = directory.mailboxByLogonName(logonName);
            if (m.isPresent() && !password.isEmpty() && directory.verifyPassword(m.get(), password)) {
                return Optional.of(directory.site().netbiosDomain() + "\\" + m.get().samAccountName());
            }
        } catch (DirectoryException e) {
            if (e.transientFailure()) {
                throw e; // not a refusal: the gateway answers 503 and marks the directory unreachable
            }
            // The client only learns "401": which part failed is for the server's log, without the password.
            log.warn("gateway: cannot verify the logon of '{}' against the directory: {}", logonName, e.getMessage());
        }
        return Optional.empty();
    }

    @Override
    public Optional<byte[]> ntHash(String domain, String user) {
        String logon = domain == null || domain.isEmpty() ? user : domain + "\\" + user;
        try {
            return directory.mailboxByLogonName(logon).flatMap(directory::ntHash);
        } catch (DirectoryException e) {
            if (e.transientFailure()) {
                throw e;
            }
            // Not '{}\\{}': SLF4J reads a backslash before {} as an escaped placeholder.
            log.warn("gateway: cannot read the NT hash of '{}': {}", logon, e.getMessage());
            return Optional.empty();
        }
    }

    /** A mailbox look-up by a name no account has: the same search a logon starts with. */
    @Override
    public void probe() {
        directory.mailboxByLogonName(PROBE_NAME);
    }
}
