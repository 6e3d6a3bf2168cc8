package dev.anywhere.lab.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.directory.SiteInfo;
import dev.anywhere.lab.pki.CertificateAuthority;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.pki.IssuedCertificate;
import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.endpoints.RpcEndpoints;
import dev.anywhere.server.gateway.BackendResolver;
import dev.anywhere.server.gateway.CredentialVerifier;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.gateway.rpch.ProxySettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analyzer's idle probe against the real gateway and endpoints: a proxy that drops channels after a second of
 * silence is named (proxy.idle-cutoff); one that keeps them passes. Manual mode, over HTTPS with the lab CA.
 */
class AnalyzerIdleProbeTest {

    static final String PASSWORD = "Secret-1";

    @TempDir
    Path dir;

    private static final CredentialVerifier CREDENTIALS = new CredentialVerifier() {
        @Override
        public Optional<String> verifyPassword(String logonName, String password) {
            return logonName.equalsIgnoreCase("FRANKYSWEB\\franky") && password.equals(PASSWORD) ? Optional.of("FRANKYSWEB\\franky") : Optional.empty();
        }

        @Override
        public Optional<byte[]> ntHash(String domain, String user) {
            return user.equalsIgnoreCase("franky") ? Optional.of(NtHash.of(PASSWORD)) : Optional.empty();
        }
    };

    private Report analyze(Duration proxyIdleTimeout) throws Exception {
        CertificateAuthority ca = CertificateAuthority.createLab();
        IssuedCertificate certificate = ca.issueServerCertificate(CertificateRequest.labDefault());
        Path trust = ca.writeTrustBundle(dir.resolve("ca-" + System.nanoTime() + ".pem"));
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (RpcEndpoints endpoints = RpcEndpoints.start(RpcEndpoints.Options.defaults(loopback).withPorts(List.of(0)))) {
            int p = endpoints.ports().get(0);
            Path data = dir.resolve("ex1-" + System.nanoTime());
            new AppliedConfigFile(data).write(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.NTLM, HttpAuthScheme.BASIC), true,
                    ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001, 6002, 6004, 593))), 1, Instant.now());
            try (Gateway gateway = Gateway.start(new Gateway.Options(data, "EX1", new InetSocketAddress(loopback, 0),
                    Optional.of(SslContextBuilder.forServer(certificate.privateKey(), certificate.chain().toArray(X509Certificate[]::new)).build()),
                    CREDENTIALS, CertificateRequest.OA_NAME,
                    Gateway.ntlmIdentity("EX1", new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org")))
                    .withBackendResolver(BackendResolver.system().withOverride(loopback, "ex1", "ex1.frankysweb.local")
                            .withPortTranslation(Map.of(6001, p, 6002, p, 6004, p, 593, p)))
                    .withProxySettings(ProxySettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), proxyIdleTimeout)),
                    new SimpleMeterRegistry())) {
                int port = gateway.address().getPort();
                AnalyzeOptions o = new AnalyzeOptions("franky@frankysweb.org", Optional.of("FRANKYSWEB\\franky"), Optional.of(PASSWORD),
                        List.of(CertificateRequest.OA_NAME + ":" + port + ":127.0.0.1"), Optional.empty(), List.of(trust), Vantage.OUTSIDE,
                        Duration.ofSeconds(5), "en", Optional.of(new AnalyzeOptions.ManualSettings(CertificateRequest.OA_NAME + ":" + port,
                                "ex1.frankysweb.local", Optional.empty(), "ntlm", true)), 443, 80, List.of(), false)
                        .withIdleProbe(Optional.of(Duration.ofSeconds(3)));
                return new Analyzer(o).run(CheckListener.NONE);
            }
        }
    }

    static CheckResult step(CheckResult r, String id) {
        return r.find(id).orElseThrow(() -> new AssertionError("no step " + id));
    }

    @Test
    void aHopThatCutsIdleChannelsIsNamed() throws Exception {
        Report r = analyze(Duration.ofSeconds(1));
        assertThat(r.root().allFindings()).extracting(Finding::id).containsExactly("proxy.idle-cutoff");
        assertThat(step(r.root(), "rpc-proxy.idle").status()).isEqualTo(CheckStatus.WARNING);
        assertThat(step(r.root(), "rpc-proxy.ping-6001").status()).isEqualTo(CheckStatus.PASSED);
    }

    @Test
    void aProxyThatKeepsIdleChannelsPasses() throws Exception {
        Report r = analyze(Duration.ofMinutes(15));
        assertThat(r.root().allFindings()).extracting(Finding::id).isEmpty();
        assertThat(step(r.root(), "rpc-proxy.idle").summary()).isEqualTo("still answers after 3 s without traffic");
    }
}
