package dev.anywhere.bench.load;

import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.lab.router.Router;
import dev.anywhere.lab.router.RouterRule;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.configurator.LocalRoles;
import dev.anywhere.server.configurator.ServiceHost;
import dev.anywhere.server.configurator.ServiceHostSettings;
import dev.anywhere.server.events.EventLog;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The soak's site on loopback, every part restartable on the port it had: DC1's embedded directory (in this JVM,
 * stopped and started on the same port and data), EX1's configurator (the service host, in this JVM, writing
 * {@code events.jsonl}), EX1's RPC endpoints (a process of their own), EX1's gateway (a process of its own, so it can be
 * killed with SIGKILL) and the lab's router in front of the gateway (DNAT), so clients always connect to the same
 * address and reach whichever gateway process runs. Only free ports chosen at start are used (below the ephemeral
 * range, see {@link #freePort}): no fixed lab addresses.
 */
final class SoakTopology implements AutoCloseable {

    static final String PROXY_HOST = "oa.frankysweb.org";
    static final String PASSWORD = "Soak-Pass-1";
    static final String DOMAIN = "FRANKYSWEB";
    static final String USER = "franky";
    static final String EMAIL = "franky@frankysweb.org";

    private final Path dir;
    private final Path ex1;
    private final long channelLifetime;
    private final Duration timeout;
    private final InetAddress lo;
    private final SiteSeed seed = SiteSeed.frankysweb(PASSWORD);
    private final int ldapPort;
    private final int endpointPort;
    private final int gatewayPort;
    private final int routerPort;
    private final Path passwordFile;
    private DirectoryServer directory;
    private LdapSiteDirectory configuratorDirectory;
    private ServiceHost serviceHost;
    private ChildJvm endpoints;
    private ChildJvm gateway;
    private Router router;
    private int starts;

    private SoakTopology(Path dir, long channelLifetime, Duration timeout) throws IOException {
        this.dir = dir;
        this.ex1 = dir.resolve("ex1");
        this.channelLifetime = channelLifetime;
        this.timeout = timeout;
        this.lo = InetAddress.getByName("127.0.0.1");
        this.ldapPort = freePort(lo);
        this.endpointPort = freePort(lo);
        this.gatewayPort = freePort(lo);
        this.routerPort = freePort(lo);
        this.passwordFile = dir.resolve("bind.password");
    }

    /**
     * Starts the site in {@code dir}: the gateway announces {@code channelLifetime} (small, so channels recycle), the
     * configurator retries a failed pass after {@code transientRetry} and polls every {@code pollInterval}.
     */
    static SoakTopology start(Path dir, long channelLifetime, Duration transientRetry, Duration pollInterval, Duration timeout)
            throws Exception {
        SoakTopology t = new SoakTopology(dir, channelLifetime, timeout);
        try {
            t.startAll(transientRetry, pollInterval);
            return t;
        } catch (Exception | Error e) {
            t.close();
            throw e;
        }
    }

    private void startAll(Duration transientRetry, Duration pollInterval) throws Exception {
        startDirectory();
        Files.writeString(passwordFile, PASSWORD, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        configuratorDirectory = LdapSiteDirectory.open(LdapSettings.of(directory.info().url(), seed.serviceBindDn(), PASSWORD,
                SiteSeed.FRANKYSWEB));
        LocalRoles.register(ex1, true, true);
        new ServiceHostSettings(pollInterval, true).write(ex1);
        serviceHost = new ServiceHost(configuratorDirectory, "EX1", ex1, new EventLog(ex1), Clock.systemUTC(),
                new ServiceHost.Timing(transientRetry, ServiceHost.DISABLED_RECHECK));
        serviceHost.start();
        // oa enable --external-hostname oa.frankysweb.org --client-auth ntlm --iis-auth basic,ntlm --ssl-offloading
        configuratorDirectory.putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 0, 0)
                .withExternalHostname(PROXY_HOST).withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM)
                .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM)).withSslOffloading(true));
        awaitApplied();
        startEndpoints();
        startGateway();
        router = Router.start(lo, List.of(RouterRule.forward(routerPort, new InetSocketAddress(lo, gatewayPort))), Optional.empty(), 80);
    }

    private void awaitApplied() throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<AppliedConfigFile.Snapshot> s = new AppliedConfigFile(ex1).read();
            if (s.isPresent() && s.get().config().enabled()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("the configurator did not apply Outlook Anywhere within " + timeout.toSeconds() + " s");
    }

    /**
     * A free port on {@code address} now, below the kernel's ephemeral range: a part restarted on it must find it free
     * again, and no outgoing connection (of the load, of other programs) is given a port from outside that range.
     */
    static int freePort(InetAddress address) throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            try (ServerSocket s = new ServerSocket(port, 1, address)) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // another one
            }
        }
        throw new IOException("no free port in 20000..31999 on " + address.getHostAddress());
    }

    /** The router's address: where every client connects (RPC over HTTP and Autodiscover). */
    InetSocketAddress clientAddress() {
        return new InetSocketAddress(lo, routerPort);
    }

    Path ex1DataDir() {
        return ex1;
    }

    void startDirectory() {
        directory = DirectoryServer.start(dir.resolve("dc1"), lo, ldapPort, seed);
    }

    void stopDirectory() {
        directory.close();
        directory = null;
    }

    /** Stops the endpoints' process as a service restart would (orderly), and starts it again on the same port. */
    void restartEndpoints() throws IOException {
        endpoints.close();
        startEndpoints();
    }

    /** SIGKILL to the gateway's process: no orderly close of anything. */
    void killGateway() {
        gateway.kill();
    }

    void startGateway() throws IOException {
        gateway = started(ChildJvm.start("gateway-" + ++starts, dir, List.of(), List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC"),
                SoakGatewayMain.class, List.of(ex1.toString(), directoryUrl(), seed.serviceBindDn(), passwordFile.toString(),
                        Integer.toString(gatewayPort), Integer.toString(endpointPort), Long.toString(channelLifetime))));
    }

    private void startEndpoints() throws IOException {
        endpoints = started(ChildJvm.start("endpoints-" + ++starts, dir, List.of(), List.of("-Xms64m", "-Xmx256m", "-XX:+UseG1GC"),
                EndpointsMain.class, List.of(Integer.toString(endpointPort))));
    }

    private String directoryUrl() {
        return "ldap://127.0.0.1:" + ldapPort;
    }

    private ChildJvm started(ChildJvm jvm) throws IOException {
        try {
            jvm.next("LISTENING", timeout.plusSeconds(20));
            return jvm;
        } catch (IOException | RuntimeException e) {
            jvm.close();
            throw e;
        }
    }

    /** One process of the site, measured: open file descriptors and used heap after full GCs. */
    record ProcessSample(String role, long pid, long fds, long heapBytes) {
    }

    /** The gateway, the endpoints and this JVM (client, directory, configurator, router), measured now. */
    List<ProcessSample> sample() throws Exception {
        List<ProcessSample> all = new ArrayList<>();
        all.add(new ProcessSample("gateway", gateway.pid(), fds(gateway.pid()), Long.parseLong(gateway.ask("HEAP", "HEAP", timeout)[0])));
        all.add(new ProcessSample("endpoints", endpoints.pid(), fds(endpoints.pid()),
                Long.parseLong(endpoints.ask("HEAP", "HEAP", timeout)[0])));
        long self = ProcessHandle.current().pid();
        all.add(new ProcessSample("client+directory+configurator", self, fds(self), IdleProbe.usedHeapAfterGc()));
        return all;
    }

    /** Entries in /proc/PID/fd, or -1 (not Linux, or gone). */
    static long fds(long pid) {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>();
        parts.add(router);
        parts.add(gateway);
        parts.add(endpoints);
        parts.add(serviceHost);
        parts.add(configuratorDirectory);
        parts.add(directory);
        for (AutoCloseable c : parts) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // stop the rest regardless
            }
        }
    }
}
