package dev.anywhere.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DC1 over LDAPS with a throw-away certificate made by the JDK's keytool (IP SAN 127.0.0.1). */
class LdapsTest {

    private static final String PASSWORD = "Tls-Secret-1";

    @TempDir
    Path dir;

    @Test
    void ldapsWithHostNameVerification() throws Exception {
        char[] storePassword = "changeit".toCharArray();
        Path store = dir.resolve("dc1.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", "dc1", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=dc1.frankysweb.local", "-ext", "san=ip:127.0.0.1,dns:dc1.frankysweb.local")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, storePassword);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, storePassword);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);

        try (DirectoryServer dc1 = DirectoryServer.startLdaps(dir.resolve("data"), InetAddress.getByName("127.0.0.1"), 0,
                SiteSeed.frankysweb(PASSWORD), server, client.getSocketFactory())) {
            assertThat(dc1.info().url().getScheme()).isEqualTo("ldaps");
            LdapSettings settings = dc1.directory().settings(dc1.info().serviceBindDn(), PASSWORD);
            try (LdapSiteDirectory directory = LdapSiteDirectory.connect(settings)) {
                assertThat(directory.servers()).hasSize(2);
                assertThat(directory.verifyPassword(directory.mailboxByLogonName("franky").orElseThrow(), PASSWORD)).isTrue();
            }
            // the JVM's default trust does not know this certificate: the handshake fails, which is worth a retry
            LdapSettings untrusted = LdapSettings.of(settings.url(), settings.bindDn(), PASSWORD, settings.site());
            assertThatThrownBy(() -> LdapSiteDirectory.connect(untrusted)).isInstanceOf(DirectoryException.class);
        }
    }
}
