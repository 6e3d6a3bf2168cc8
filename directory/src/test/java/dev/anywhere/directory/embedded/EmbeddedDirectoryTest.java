package dev.anywhere.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteDirectoryContract;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDirectoryTest extends SiteDirectoryContract {

    @TempDir
    Path dataDir;

    private EmbeddedDirectory embedded;

    @Override
    protected void startServer() {
        embedded = EmbeddedDirectory.start(dataDir, InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb(PASSWORD));
    }

    @Override
    protected void stopServer() {
        embedded.close();
    }

    @Override
    protected LdapSettings serviceSettings() {
        return embedded.settings(embedded.serviceBindDn(), PASSWORD);
    }

    @Override
    protected ChangeMechanism expectedMechanism() {
        return ChangeMechanism.CHANGELOG;
    }

    @Test
    void changesSurviveARestart() throws Exception {
        assertThat(embedded.seededNow()).isTrue();
        RpcHttpVirtualDirectory negotiate = directory.rpcVirtualDirectory("EX1").orElseThrow()
                .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NEGOTIATE)
                .withExternalHostname("mail.frankysweb.org");
        directory.putRpcVirtualDirectory(negotiate);
        directory.setPassword("franky", "After-Restart-1");
        directory.close();
        int port = embedded.port();
        embedded.close();
        assertThat(Files.readString(embedded.dataFile())).contains("msExchExternalHostName: https://mail.frankysweb.org/rpc")
                .doesNotContain("After-Restart-1");

        embedded = EmbeddedDirectory.start(dataDir, InetAddress.getLoopbackAddress(), port,
                SiteSeed.frankysweb("ignored-on-restart"));
        assertThat(embedded.seededNow()).isFalse();
        try (LdapSiteDirectory again = embedded.connect(PASSWORD)) {
            assertThat(again.rpcVirtualDirectory("EX1")).contains(negotiate);
            assertThat(again.verifyPassword(again.mailboxByLogonName("franky").orElseThrow(), "After-Restart-1")).isTrue();
        }
        directory = embedded.connect(PASSWORD); // for @AfterEach
    }

    /** A port another socket holds: the failure is keyed (the operating system's reason as a value), nothing is left running. */
    @Test
    void aTakenPortIsAKeyedFailure(@TempDir Path other) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> EmbeddedDirectory.start(other, InetAddress.getLoopbackAddress(),
                    taken.getLocalPort(), SiteSeed.frankysweb(PASSWORD)));
            assertThat(t).isInstanceOf(dev.anywhere.directory.DirectoryException.class);
            dev.anywhere.directory.DirectoryText text = ((dev.anywhere.directory.DirectoryException) t).text().orElseThrow();
            assertThat(text.key()).isEqualTo(dev.anywhere.directory.DirectoryText.Key.EMBEDDED_LISTEN);
            assertThat(text.values()).containsEntry("address", InetAddress.getLoopbackAddress().getHostAddress() + ":" + taken.getLocalPort());
            assertThat(t.getMessage()).startsWith("embedded directory on " + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                    + taken.getLocalPort() + ": ");
        }
    }

    @Test
    void writesAreOnDiskBeforeTheResultReturns() throws Exception {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", embedded.port(), embedded.serviceBindDn(), PASSWORD)) {
            c.modify(embedded.layout().providerDn("EXPR"), new com.unboundid.ldap.sdk.Modification(
                    com.unboundid.ldap.sdk.ModificationType.REPLACE, "msExchAutoDiscoverCertPrincipalName",
                    "msstd:oa.frankysweb.org"));
        }
        assertThat(Files.readString(embedded.dataFile()))
                .contains("msExchAutoDiscoverCertPrincipalName: msstd:oa.frankysweb.org");
        assertThat(Files.exists(dataDir.resolve("directory.ldif.tmp"))).isFalse();
        if (Files.getFileStore(dataDir).supportsFileAttributeView("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(embedded.dataFile())))
                    .isEqualTo("rw-------");
        }
    }
}
