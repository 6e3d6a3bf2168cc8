package dev.anywhere.lab.site;

import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.lab.pki.CertificateAuthority;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.pki.IssuedCertificate;
import dev.anywhere.server.configurator.LocalRoles;
import dev.anywhere.server.configurator.ServiceHost;
import dev.anywhere.server.configurator.ServiceHostSettings;
import dev.anywhere.server.events.EventLog;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The site's servers in one JVM on loopback: DC1's directory, and EX1's service host and gateway with a certificate
 * from the lab CA. The lab issue grows this into the whole topology (DNS, router, endpoints).
 */
public final class LabSite implements AutoCloseable {

    /**
     * Where the site runs.
     *
     * @param dataDir everything the site writes: {@code dc1/} (directory), {@code ex1/} (applied config, events), {@code pki/}
     * @param dc1 DC1's address and LDAP port (0 = any free port)
     * @param ex1 EX1's address and HTTPS port (0 = any free port)
     * @param userPassword the password of every seeded account (the lab's users)
     * @param pollInterval the configurator's poll interval
     */
    public record Options(Path dataDir, InetSocketAddress dc1, InetSocketAddress ex1, String userPassword, Duration pollInterval) {
        public static Options loopback(Path dataDir, String userPassword) throws java.net.UnknownHostException {
            return new Options(dataDir, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0),
                    new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), userPassword, ServiceHostSettings.DEFAULT_POLL_INTERVAL);
        }
    }

    private final List<AutoCloseable> started = new ArrayList<>();
    private final Path ex1Dir;
    private DirectoryServer directoryServer;
    private LdapSiteDirectory directory;
    private Gateway gateway;
    private CertificateAuthority ca;
    private Path trustBundle;

    private LabSite(Options options) {
        this.ex1Dir = options.dataDir().resolve("ex1");
    }

    /** Starts every server, reporting each step to {@code progress}. */
    public static LabSite start(Options options, Consumer<String> progress) throws Exception {
        LabSite site = new LabSite(options);
        try {
            site.startAll(options, progress);
            return site;
        } catch (Exception | Error e) {
            site.close();
            throw e;
        }
    }

    private void startAll(Options options, Consumer<String> progress) throws Exception {
        Path pki = options.dataDir().resolve("pki");
        progress.accept("certificate authority: issuing oa.frankysweb.org + autodiscover.frankysweb.org");
        ca = CertificateAuthority.createLab();
        trustBundle = ca.writeTrustBundle(pki.resolve("lab-ca.pem"));
        IssuedCertificate cert = ca.issueServerCertificate(CertificateRequest.labDefault());
        IssuedCertificate.PemFiles pem = cert.writePem(pki, "ex1");

        SiteSeed seed = new SiteSeed(SiteSeed.FRANKYSWEB, passwords(options.userPassword()), false);
        directoryServer = DirectoryServer.start(options.dataDir().resolve("dc1"), options.dc1().getAddress(), options.dc1().getPort(), seed);
        started.add(directoryServer);
        progress.accept("DC1: directory on " + directoryServer.info().url());

        directory = LdapSiteDirectory.connect(LdapSettings.of(directoryServer.info().url(), seed.serviceBindDn(),
                options.userPassword(), SiteSeed.FRANKYSWEB));
        started.add(directory);

        // The RPC endpoints role arrives with the RPC over HTTP proxy; until then the configurator says it is missing.
        LocalRoles.register(ex1Dir, true, false);
        new ServiceHostSettings(options.pollInterval(), true).write(ex1Dir);
        ServiceHost host = new ServiceHost(directory, "EX1", ex1Dir, new EventLog(ex1Dir), Clock.systemUTC(), ServiceHost.Timing.EXCHANGE);
        host.start();
        started.add(host);
        progress.accept("EX1: service host (configurator) running, poll interval " + options.pollInterval().toMinutes() + " min + change notifications");

        MeterRegistry metrics = new SimpleMeterRegistry();
        gateway = Gateway.start(new Gateway.Options(ex1Dir, "EX1", options.ex1(),
                Optional.of(SslContextBuilder.forServer(pem.certificateChain().toFile(), pem.privateKey().toFile()).build()),
                new DirectoryCredentials(directory), CertificateRequest.OA_NAME, Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB)), metrics);
        started.add(gateway);
        progress.accept("EX1: gateway on https://" + gateway.address().getHostString() + ":" + gateway.address().getPort() + "/rpc/rpcproxy.dll");
    }

    private static java.util.Map<String, String> passwords(String password) {
        java.util.Map<String, String> all = new java.util.HashMap<>();
        SiteSeed.USERS.forEach(u -> all.put(u, password));
        return all;
    }

    public LdapSiteDirectory directory() {
        return directory;
    }

    public Gateway gateway() {
        return gateway;
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public Path trustBundle() {
        return trustBundle;
    }

    public Path ex1DataDir() {
        return ex1Dir;
    }

    public EventLog ex1Events() {
        return new EventLog(ex1Dir);
    }

    @Override
    public void close() {
        List<AutoCloseable> reverse = new ArrayList<>(started);
        Collections.reverse(reverse);
        for (AutoCloseable c : reverse) {
            try {
                c.close();
            } catch (Exception e) {
                // Stop the rest regardless.
            }
        }
        started.clear();
    }
}
