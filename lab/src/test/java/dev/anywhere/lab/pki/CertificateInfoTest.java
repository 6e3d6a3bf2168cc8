package dev.anywhere.lab.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CertificateInfo} and {@link TlsChainFetcher}, against chains read from files and from a loopback Netty TLS
 * server configured the way the gateway will be: {@code SslContextBuilder.forServer(chainFile, keyFile)}.
 */
class CertificateInfoTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static CertificateAuthority ca;
    private static EventLoopGroup group;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        ca = CertificateAuthority.createLab().withIntermediate(CertificateAuthority.LAB_INTERMEDIATE_SUBJECT,
                Validity.days(365), KeyType.RSA_2048);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void describesAHealthyChainFromANettyServer() throws Exception {
        IssuedCertificate cert = ca.issueServerCertificate(CertificateRequest.labDefault());
        IssuedCertificate.PemFiles files = cert.writePem(dir, "ex1");
        SslContext context = SslContextBuilder.forServer(files.certificateChain().toFile(), files.privateKey().toFile())
                .build();
        Channel server = tlsServer(context);
        try {
            List<X509Certificate> chain = TlsChainFetcher.fetch((InetSocketAddress) server.localAddress(),
                    "oa.frankysweb.org", TIMEOUT);
            assertThat(chain).containsExactlyElementsOf(cert.chain());

            CertificateInfo info = CertificateInfo.describe(chain, ca);
            assertThat(info.subject()).isEqualTo("CN=oa.frankysweb.org");
            assertThat(info.dnsNames()).containsExactly("oa.frankysweb.org", "autodiscover.frankysweb.org");
            assertThat(info.issuer()).isEqualTo("CN=Anywhere Lab Issuing CA 1,O=Anywhere Lab");
            assertThat(info.issuerChain()).containsExactly("CN=Anywhere Lab Issuing CA 1,O=Anywhere Lab");
            assertThat(info.extendedKeyUsages()).containsExactly("serverAuth");
            assertThat(info.keyAlgorithm()).isEqualTo("RSA");
            assertThat(info.keyBits()).isEqualTo(2048);
            assertThat(info.signatureAlgorithm()).isEqualTo("SHA256withRSA");
            assertThat(info.validAt(Instant.now())).isTrue();
            assertThat(info.trust().trusted()).isTrue();
            assertThat(info.trust().reason()).isEqualTo(
                    "chains to CN=Anywhere Lab Issuing CA 1,O=Anywhere Lab -> CN=Anywhere Lab Root CA,O=Anywhere Lab");
            assertThat(info.warnings()).isEmpty();

            String opensslFingerprint = Openssl.run("x509", "-in", files.certificateChain().toString(), "-noout",
                    "-fingerprint", "-sha256").output().strip();
            assertThat(opensslFingerprint).isEqualTo("sha256 Fingerprint=" + info.sha256Fingerprint());
            assertThat(info.toText()).contains("trusted:             yes - chains to");

            // the two entry points of "cert show": HOST:PORT and FILE describe the same certificate
            assertThat(CertificateInfo.describe((InetSocketAddress) server.localAddress(), "oa.frankysweb.org",
                    TIMEOUT, ca.trustAnchors()).sha256Fingerprint()).isEqualTo(info.sha256Fingerprint());
            assertThat(CertificateInfo.describe(files.certificateChain(), ca.trustAnchors()).trust())
                    .isEqualTo(info.trust());
        } finally {
            server.close().syncUninterruptibly();
        }
    }

    @Test
    void missingIntermediateIsExplainedFromANettyServer() throws Exception {
        IssuedCertificate cert = ca.issueServerCertificate(
                CertificateRequest.labDefault(CertificateFault.MISSING_INTERMEDIATE));
        // the key manager route (SslContextBuilder.forServer(KeyManager)) presents the same chain as the files
        SslContext context = SslContextBuilder.forServer(cert.toKeyManager()).build();
        Channel server = tlsServer(context);
        try {
            List<X509Certificate> chain = TlsChainFetcher.fetch((InetSocketAddress) server.localAddress(),
                    "oa.frankysweb.org", TIMEOUT);
            assertThat(chain).hasSize(1);
            CertificateInfo info = CertificateInfo.describe(chain, ca);
            assertThat(info.trust().trusted()).isFalse();
            assertThat(info.trust().reason()).isEqualTo("issuer: CN=Anywhere Lab Issuing CA 1,O=Anywhere Lab is"
                    + " neither in the chain nor trusted (expected: the server to send this intermediate certificate,"
                    + " or a chain to CN=Anywhere Lab Root CA,O=Anywhere Lab)");
        } finally {
            server.close().syncUninterruptibly();
        }
    }

    @Test
    void weakAndEcKeysAreFetchedToo() throws Exception {
        for (CertificateRequest request : List.of(CertificateRequest.labDefault(CertificateFault.WEAK_KEY),
                CertificateRequest.builder("oa.frankysweb.org").keyType(KeyType.EC_P256).build())) {
            IssuedCertificate cert = ca.issueServerCertificate(request);
            IssuedCertificate.PemFiles files = cert.writePem(dir, "k");
            Channel server = tlsServer(SslContextBuilder.forServer(files.certificateChain().toFile(),
                    files.privateKey().toFile()).build());
            try {
                List<X509Certificate> chain = TlsChainFetcher.fetch((InetSocketAddress) server.localAddress(),
                        "oa.frankysweb.org", TIMEOUT);
                CertificateInfo info = CertificateInfo.describe(chain, ca);
                assertThat(info.keyBits()).isEqualTo(request.faults().isEmpty() ? 256 : 1024);
                assertThat(info.trust().trusted()).isTrue();
            } finally {
                server.close().syncUninterruptibly();
            }
        }
    }

    @Test
    void untrustedReasons() {
        Instant now = Instant.now();
        IssuedCertificate selfSigned = ca.issueServerCertificate(
                CertificateRequest.labDefault(CertificateFault.SELF_SIGNED));
        assertThat(CertificateInfo.describe(selfSigned.chain(), ca).trust().reason())
                .isEqualTo("issuer: self-signed CN=oa.frankysweb.org (expected: issued by a trusted CA such as"
                        + " CN=Anywhere Lab Root CA,O=Anywhere Lab)");

        IssuedCertificate expired = ca.issueServerCertificate(CertificateRequest.labDefault(CertificateFault.EXPIRED));
        CertificateInfo.Trust trust = CertificateInfo.describe(expired.chain(), ca.trustAnchors(), now).trust();
        assertThat(trust.trusted()).isFalse();
        assertThat(trust.reason()).isEqualTo("validity: CN=oa.frankysweb.org expired at "
                + expired.certificate().getNotAfter().toInstant() + " (expected: valid at " + now + ")");

        IssuedCertificate future = ca.issueServerCertificate(
                CertificateRequest.labDefault(CertificateFault.NOT_YET_VALID));
        assertThat(CertificateInfo.describe(future.chain(), ca.trustAnchors(), now).trust().reason())
                .startsWith("validity: CN=oa.frankysweb.org not valid before ");

        CertificateAuthority stranger = CertificateAuthority.create("CN=Stranger Root", Validity.days(2),
                KeyType.EC_P256);
        IssuedCertificate foreign = stranger.issueServerCertificate(CertificateRequest.labDefault());
        List<X509Certificate> withRoot = List.of(foreign.certificate(), stranger.rootCertificate());
        assertThat(CertificateInfo.describe(withRoot, ca).trust().reason())
                .isEqualTo("root: CN=Stranger Root is not trusted (expected: CN=Anywhere Lab Root CA,O=Anywhere Lab)");

        assertThat(CertificateInfo.describe(foreign.chain(), List.of(), now).trust().reason())
                .isEqualTo("trust anchors: none given (expected: the lab CA certificate)");
    }

    @Test
    void weakSignatureIsAWarning() {
        IssuedCertificate cert = ca.issueServerCertificate(
                CertificateRequest.labDefault(CertificateFault.WEAK_SIGNATURE));
        CertificateInfo info = CertificateInfo.describe(cert.chain(), ca);
        assertThat(info.warnings()).containsExactly("weak signature: SHA1withRSA (expected: SHA-256 or stronger)");
    }

    @Test
    void wildcardMatchesOneLabel() {
        IssuedCertificate cert = ca.issueServerCertificate(CertificateRequest.builder("*.frankysweb.org")
                .dnsNames("*.frankysweb.org").build());
        CertificateInfo info = CertificateInfo.describe(cert.chain(), ca);
        assertThat(info.matchesHost("OA.frankysweb.org.")).isTrue();
        assertThat(info.matchesHost("a.b.frankysweb.org")).isFalse();
        assertThat(info.matchesHost("frankysweb.org")).isFalse();
    }

    @Test
    void fetchFromAClosedPortFailsWithTheAddress() throws IOException {
        InetSocketAddress closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = (InetSocketAddress) socket.getLocalSocketAddress();
        }
        InetSocketAddress target = closed;
        assertThatThrownBy(() -> TlsChainFetcher.fetch(target, "oa.frankysweb.org", Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("tls fetch: " + target + " (sni oa.frankysweb.org): ");
    }

    @Test
    void fetchFromASilentServerTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> TlsChainFetcher.fetch((InetSocketAddress) silent.getLocalSocketAddress(),
                    "oa.frankysweb.org", Duration.ofMillis(500)))
                    .isInstanceOf(IOException.class).hasMessageContaining("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private static Channel tlsServer(SslContext context) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(context.newHandler(ch.alloc()));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
    }
}
