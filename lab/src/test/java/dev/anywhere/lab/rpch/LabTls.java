package dev.anywhere.lab.rpch;

import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.lab.pki.CertificateAuthority;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.pki.IssuedCertificate;
import dev.anywhere.server.gateway.TlsEngine;
import dev.anywhere.server.testing.SecuredRpcSite;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;

/**
 * HTTPS for the end-to-end tests of the analyzer's client against {@link SecuredRpcSite}: a lab CA's certificate for
 * oa.frankysweb.org as the gateway's TLS, and the CA as the client's trust file. One per test run (a CA costs RSA key
 * generation), shared by the tests.
 *
 * @param serverContext the gateway's TLS context (the lab's default server certificate and its chain)
 * @param trust the lab CA as a PEM trust bundle
 */
record LabTls(SslContext serverContext, Path trust) {

    private static LabTls shared;

    /** The run's lab CA and server certificate (created on first use; the trust bundle in a temporary directory). */
    static synchronized LabTls shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("lab-tls");
                dir.toFile().deleteOnExit();
                CertificateAuthority ca = CertificateAuthority.createLab();
                IssuedCertificate certificate = ca.issueServerCertificate(CertificateRequest.labDefault());
                Path trust = ca.writeTrustBundle(dir.resolve("lab-ca.pem"));
                trust.toFile().deleteOnExit();
                shared = new LabTls(TlsEngine.server(certificate.privateKey(),
                        certificate.chain().toArray(X509Certificate[]::new)), trust);
            } catch (SSLException e) {
                throw new IllegalStateException("lab TLS context: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** The client's options for EX1:{@code endpointPort} through the site's gateway as oa.frankysweb.org, trusting the CA. */
    RpchClientOptions.Builder client(SecuredRpcSite site, int endpointPort) {
        return RpchClientOptions.builder("oa.frankysweb.org", site.gateway().address().getPort(), "EX1", endpointPort)
                .addressOverride(InetAddress.getLoopbackAddress()).trustPem(trust);
    }
}
