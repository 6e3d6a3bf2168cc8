package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.server.gateway.ListenerLimits;
import dev.anywhere.server.gateway.TlsPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The listener and TLS flags of {@code anywhere gateway}: their defaults are the gateway's, bad values exact errors. */
class GatewayCommandTest extends CommandTestBase {

    @TempDir
    Path tmp;


    @Test
    void theFlagsDefaultsAreTheGatewaysDefaults() {
        GatewayCommand command = new GatewayCommand();
        new CommandLine(command).parseArgs("--data-dir", tmp.toString());
        assertThat(command.limits()).isEqualTo(ListenerLimits.defaults());
        assertThat(command.tlsPolicy()).isEqualTo(TlsPolicy.intermediate());
    }

    @Test
    void flagsSetTheLimitsAndThePolicy() {
        GatewayCommand command = new GatewayCommand();
        new CommandLine(command).parseArgs("--data-dir", tmp.toString(), "--tls-handshake-timeout", "5s", "--request-header-timeout",
                "1m", "--keep-alive-timeout", "250ms", "--max-connections", "7", "--io-threads", "3", "--tls-protocols", "TLSv1.3", "--tls-ciphers",
                "TLS_AES_256_GCM_SHA384, TLS_AES_128_GCM_SHA256");
        assertThat(command.limits()).isEqualTo(new ListenerLimits(java.time.Duration.ofSeconds(5), java.time.Duration.ofMinutes(1),
                java.time.Duration.ofMillis(250), 7, 3));
        assertThat(command.tlsPolicy()).isEqualTo(new TlsPolicy(java.util.List.of("TLSv1.3"),
                java.util.List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256")));
        assertThat(command.tlsPolicy().sessionTickets()).isFalse();

        GatewayCommand withTickets = new GatewayCommand();
        new CommandLine(withTickets).parseArgs("--data-dir", tmp.toString(), "--tls-session-tickets");
        assertThat(withTickets.tlsPolicy()).isEqualTo(TlsPolicy.intermediate().withSessionTickets(true));
    }

    @Test
    void badValuesAreClearUsageErrors() throws Exception {
        assertThat(run("gateway", "--data-dir", tmp.toString(), "--keep-alive-timeout", "0")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --keep-alive-timeout: 0 (expected: more than 0 s)\n");
        assertThat(run("gateway", "--data-dir", tmp.toString(), "--request-header-timeout", "soon")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --request-header-timeout: duration: 'soon' (expected: a number with ms, s, m, h or d, e.g. 15m)\n");
        assertThat(run("gateway", "--data-dir", tmp.toString(), "--max-connections", "0")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --max-connections: 0 (expected: 1 or more)\n");
        assertThat(run("gateway", "--data-dir", tmp.toString(), "--io-threads=-1")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --io-threads: -1 (expected: 0 for one per CPU, or 1 to 256)\n");
        assertThat(run("gateway", "--data-dir", tmp.toString(), "--io-threads", "257")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --io-threads: 257 (expected: 0 for one per CPU, or 1 to 256)\n");
        Path pem = Files.writeString(tmp.resolve("x.pem"), "not read: the policy is checked first");
        assertThat(run("gateway", "--data-dir", tmp.toString(), "--cert", pem.toString(), "--key", pem.toString(),
                "--tls-protocols", "TLSv1.3,SSLv3")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --tls-protocols: SSLv3 (expected: TLSv1.3, TLSv1.2, TLSv1.1 or TLSv1)\n");
        assertThat(run("gateway", "--data-dir", tmp.toString(), "--cert", pem.toString(), "--key", pem.toString(), "--tls-ciphers", ","))
                .isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --tls-ciphers: none given\n");
    }

    /** A cipher suite the TLS provider lacks stops the start, before anything listens, naming the provider and the suite. */
    @Test
    void aCipherSuiteTheProviderLacksIsAUsageError() throws Exception {
        var a = BadTlsFiles.in(tmp).a();
        assertThat(run("gateway", "--data-dir", tmp.resolve("data").toString(), "--cert", a.certificateChain().toString(), "--key",
                a.privateKey().toString(), "--tls-ciphers", "TLS_AES_128_GCM_SHA256,TLS_NO_SUCH_SUITE")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: TLS cipher suites not supported by " + dev.anywhere.server.gateway.TlsEngine.describe()
                + ": TLS_NO_SUCH_SUITE\n");
    }

    /** The TLS policy's and durations' errors are keyed: a German locale gets them in German, the value as given. */
    @Test
    void tlsPolicyAndDurationErrorsInGerman() throws Exception {
        Path pem = Files.writeString(tmp.resolve("x.pem"), "not read: the policy is checked first");
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(run("gateway", "--data-dir", tmp.toString(), "--cert", pem.toString(), "--key", pem.toString(),
                    "--tls-protocols", "TLSv1.3,SSLv3")).isEqualTo(2);
            assertThat(err).isEqualTo("anywhere: --tls-protocols: SSLv3 (erwartet: TLSv1.3, TLSv1.2, TLSv1.1 oder TLSv1)\n");
            assertThat(run("gateway", "--data-dir", tmp.toString(), "--request-header-timeout", "soon")).isEqualTo(2);
            assertThat(err).isEqualTo("anywhere: --request-header-timeout: „soon“ (erwartet: eine Zahl mit ms, s, m, h oder d, z. B. 15m)\n");
            assertThat(run("gateway", "--data-dir", tmp.toString(), "--keep-alive-timeout", "5")).isEqualTo(2);
            assertThat(err).isEqualTo("anywhere: --keep-alive-timeout: „5“ hat keine Einheit (erwartet: z. B. 30s oder 15m; nur 0 darf allein stehen)\n");
            assertThat(run("gateway", "--data-dir", tmp.toString(), "--max-connections", "0")).isEqualTo(2);
            assertThat(err).isEqualTo("anywhere: --max-connections: 0 (erwartet: 1 oder mehr)\n");
            assertThat(run("gateway", "--data-dir", tmp.toString(), "--io-threads", "257")).isEqualTo(2);
            assertThat(err).isEqualTo("anywhere: --io-threads: 257 (erwartet: 0 für eine je CPU, oder 1 bis 256)\n");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    /**
     * Certificate and key files the gateway cannot use: one line naming the file (keyed, so German has its own), no
     * reader's class name, before anything listens.
     */
    @Test
    void unusableCertificateAndKeyFilesAreNamed() throws Exception {
        BadTlsFiles files = BadTlsFiles.in(tmp);
        var a = files.a();
        var b = files.b();
        Path junk = files.junk();
        assertThat(gateway(junk, a.privateKey())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: certificate file " + junk + ": no certificate (expected: PEM CERTIFICATE blocks)\n");
        assertThat(gateway(a.certificateChain(), junk)).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: key file " + junk
                + ": no private key that can be read (expected: an unencrypted PRIVATE KEY block)\n");
        assertThat(gateway(a.certificateChain(), b.privateKey())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: key file " + b.privateKey()
                + ": not the key of the certificate (expected: the private key of the chain's first certificate)\n");
    }

    private int gateway(Path certificate, Path key) {
        return run("gateway", "--data-dir", tmp.resolve("data").toString(), "--cert", certificate.toString(), "--key", key.toString());
    }

    @Test
    void aTakenPortIsNamedInOneLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            assertThat(run("gateway", "--data-dir", tmp.toString(), "--listen", listen)).isEqualTo(Anywhere.INTERNAL);
            assertThat(err).endsWith("anywhere: gateway: cannot listen on " + listen
                    + ": the address is already in use by another process" + System.lineSeparator());
        }
    }
}
