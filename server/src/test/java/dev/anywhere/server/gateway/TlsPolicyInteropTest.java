package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.SiteInfo;
import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.server.testing.TestCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.OpenSsl;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway's default TLS policy as {@code openssl s_client} (the system's OpenSSL 3) sees it, with BoringSSL and
 * with the JDK behind the listener: TLS 1.3 and TLS 1.2 ECDHE with AES-GCM are served; static-RSA key exchange, CBC
 * with SHA-1 and TLS 1.1 are refused by the gateway (an alert from the server, not a client-side refusal).
 */
class TlsPolicyInteropTest {

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static TestCertificate certificate;

    @TempDir
    Path dataDir;

    private Gateway gateway;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestCertificate.rsa("oa.frankysweb.org");
    }

    @AfterEach
    void stop() {
        System.clearProperty(TlsEngine.PROPERTY);
        if (gateway != null) {
            gateway.close();
        }
    }

    private void start(String provider) throws Exception {
        start(provider, TlsPolicy.intermediate());
    }

    private void start(String provider, TlsPolicy policy) throws Exception {
        Peers.requireExecutable(OPENSSL, "openssl");
        if (provider.equals("openssl")) {
            Peers.require(OpenSsl.isAvailable(), "netty-tcnative BoringSSL");
        }
        System.setProperty(TlsEngine.PROPERTY, provider);
        gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0),
                Optional.of(TlsEngine.server(policy, certificate.keys().getPrivate(), certificate.certificate())), CredentialVerifier.NONE,
                "oa.frankysweb.org", Gateway.ntlmIdentity("EX1", new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization",
                        "frankysweb.org"))), new SimpleMeterRegistry());
    }

    /** s_client's exit code and output (stdout and stderr); it ends when stdin (empty) ends. */
    private String sClient(int[] exit, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString(), "s_client", "-connect", "127.0.0.1:" + gateway.address().getPort(),
                "-servername", "oa.frankysweb.org", "-brief"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("openssl s_client did not end within 20 s");
            }
            in.transferTo(out);
        }
        exit[0] = p.exitValue();
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * One request over TLS 1.3 without {@code -brief}, so that s_client reports tickets; the gateway answers a request
     * for an unknown path with 404 and closes, so s_client has read everything the server sent.
     */
    private String tls13Request(Path dir) throws Exception {
        Path request = dir.resolve("request.txt");
        java.nio.file.Files.writeString(request, "GET /nothing-here HTTP/1.1\r\nHost: oa.frankysweb.org\r\n\r\n");
        Process p = new ProcessBuilder(OPENSSL.toString(), "s_client", "-connect", "127.0.0.1:" + gateway.address().getPort(),
                "-servername", "oa.frankysweb.org", "-tls1_3", "-ign_eof").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(request.toFile())).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("openssl s_client did not end within 20 s");
            }
            in.transferTo(out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Samba's RPC over HTTP client stalls on a NewSessionTicket after the TLS 1.3 handshake: BoringSSL sends none by
     * default. (The JDK, the fallback provider, has no per-context switch.)
     */
    @org.junit.jupiter.api.Test
    void noSessionTicketsByDefaultAndTicketsWhenAskedFor() throws Exception {
        String provider = "openssl";
        start(provider);
        String without = tls13Request(dataDir);
        assertThat(without).contains("HTTP/1.1 404").doesNotContain("New Session Ticket");
        gateway.close();

        start(provider, TlsPolicy.intermediate().withSessionTickets(true));
        String with = tls13Request(dataDir);
        assertThat(with).contains("HTTP/1.1 404").contains("Post-Handshake New Session Ticket arrived");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openssl", "jdk"})
    void onlyTls13AndTls12EcdheAeadAreServed(String provider) throws Exception {
        start(provider);
        int[] exit = new int[1];

        String tls13 = sClient(exit, "-tls1_3");
        assertThat(exit[0]).as(tls13).isZero();
        assertThat(tls13).contains("Protocol version: TLSv1.3");

        String ecdheGcm = sClient(exit, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
        assertThat(exit[0]).as(ecdheGcm).isZero();
        assertThat(ecdheGcm).contains("Protocol version: TLSv1.2").contains("Ciphersuite: ECDHE-RSA-AES128-GCM-SHA256");

        // static RSA key exchange with CBC-SHA1; ECDHE but CBC-SHA1: no suite in common
        for (String suite : new String[] {"AES128-SHA", "ECDHE-RSA-AES128-SHA"}) {
            String refused = sClient(exit, "-tls1_2", "-cipher", suite);
            assertThat(exit[0]).as(refused).isNotZero();
            assertThat(refused).as(suite).contains("alert handshake failure");
        }

        // SECLEVEL=0 lets the client offer TLS 1.1 at all: the refusal is the gateway's
        String tls11 = sClient(exit, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
        assertThat(exit[0]).as(tls11).isNotZero();
        assertThat(tls11).contains("alert protocol version");
    }
}
