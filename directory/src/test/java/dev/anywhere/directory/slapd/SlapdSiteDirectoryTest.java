package dev.anywhere.directory.slapd;

import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.SiteDirectoryContract;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.testing.SlapdServer;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link SiteDirectoryContract} against OpenLDAP slapd with syncprov: interop with a server nobody here wrote. */
class SlapdSiteDirectoryTest extends SiteDirectoryContract {

    @TempDir
    Path dir;

    private SlapdServer slapd;

    @Override
    protected void startServer() throws Exception {
        SlapdServer.assumeAvailable();
        slapd = SlapdServer.start(dir, SiteSeed.frankysweb(PASSWORD));
    }

    @Override
    protected void stopServer() {
        if (slapd != null) {
            slapd.close();
        }
    }

    @Override
    protected LdapSettings serviceSettings() {
        return slapd.serviceSettings(PASSWORD);
    }

    @Override
    protected ChangeMechanism expectedMechanism() {
        return ChangeMechanism.CONTENT_SYNC;
    }
}
