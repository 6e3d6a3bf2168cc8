package dev.anywhere.lab.rpch;

import dev.anywhere.directory.SiteInfo;
import dev.anywhere.lab.pki.IssuedCertificate;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.gateway.BackendResolver;
import dev.anywhere.server.gateway.CredentialVerifier;
import dev.anywhere.server.gateway.Gateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** The real gateway for EX1 over HTTPS (NTLM and Basic, SSL required), relaying to loopback ports in ValidPorts. */
final class TestGateway {

    private TestGateway() {
    }

    static Gateway start(Path data, IssuedCertificate certificate, CredentialVerifier credentials, List<Integer> validPorts)
            throws Exception {
        new AppliedConfigFile(data).write(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.NTLM, HttpAuthScheme.BASIC),
                true, ValidPorts.forServer("EX1", "ex1.frankysweb.local", validPorts)), 1, Instant.now());
        X509Certificate[] chain = certificate.chain().toArray(X509Certificate[]::new);
        return Gateway.start(new Gateway.Options(data, "EX1", new InetSocketAddress("127.0.0.1", 0),
                Optional.of(SslContextBuilder.forServer(certificate.privateKey(), chain).build()), credentials, "oa.frankysweb.org",
                Gateway.ntlmIdentity("EX1", new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org")))
                .withBackendResolver(BackendResolver.system().withOverride(InetAddress.getByName("127.0.0.1"), "ex1",
                        "ex1.frankysweb.local")), new SimpleMeterRegistry());
    }
}
