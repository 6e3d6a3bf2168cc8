package dev.anywhere.lab.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.router.HaproxyBalancer;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Topology;
import io.micrometer.core.instrument.Counter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cas-array} topology: router → HAProxy (TCP, round robin, health-checked through each gateway's
 * {@code /health}) → the gateways of EX1 and EX2 → their RPC endpoints. impacket 0.10, a client nobody here wrote,
 * opens its virtual connections through the single public address; round robin puts each IN channel on one member
 * and its OUT channel on the other, and the calls still succeed because the RPC server pairs the channels by cookie.
 */
class CasArrayTest {

    /** Shifted by this much: 443 → 37443, 53 → 37053 (a lab on the usual ports may run beside it). */
    static final PortPolicy POLICY = PortPolicy.shifted(37000);
    /** The password impacket_rpcproxy.py logs on with. */
    static final String PASSWORD = "Secret-1";
    static final Path SCRIPT = Path.of("..", "server", "src", "test", "resources", "rpcproxy", "impacket_rpcproxy.py");
    static final String MGMT = "afa8bd80-7d8a-11c9-bef4-08002b102989";
    static final String EPM = "e1af8308-5d1f-11c9-91a4-08002b14a0fa";

    @TempDir
    Path tmp;

    static LabSite startArray(Path dir, Duration idleTimeout) throws Exception {
        return startArray(Topology.casArray(), dir, idleTimeout);
    }

    /** {@code array} (the cas-array topology, perhaps with a member's certificate changed) started with OA enabled. */
    static LabSite startArray(Topology array, Path dir, Duration idleTimeout) throws Exception {
        Topology t = array.withPortPolicy(POLICY).withFaultsApplied();
        LabSite site = LabSite.start(new LabSite.Plan(t, PortMap.of(t.portPolicy()), dir, Passwords.same(PASSWORD),
                Duration.ofMinutes(15), idleTimeout), s -> { });
        for (LabSite.Member m : site.members()) {
            site.directory().putRpcVirtualDirectory(new RpcHttpVirtualDirectory(m.server(), 0, Optional.empty(), Optional.empty(), 0, 0)
                    .withExternalHostname(CertificateRequest.OA_NAME)
                    .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.BASIC)
                    .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM)));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!site.members().stream().allMatch(m -> m.gateway().config().current().enabled()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        try {
            assertThat(site.members()).allMatch(m -> m.gateway().config().current().enabled());
        } catch (AssertionError e) {
            site.close(); // or its slapd and haproxy processes outlive the test and hold the lab's addresses
            throw e;
        }
        return site;
    }

    static double bytes(LabSite.Member m, String direction) {
        Counter c = m.metrics().find("anywhere.rpcproxy.bytes").tag("direction", direction).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void inAndOutChannelsOfOneVirtualConnectionOnDifferentMembersThroughHaproxy() throws Exception {
        dev.anywhere.rpc.testing.Peers.require(HaproxyBalancer.find().isPresent(), "haproxy");
        dev.anywhere.rpc.testing.Peers.requireImpacket("impacket.dcerpc.v5.rpch");
        try (LabSite site = startArray(tmp.resolve("site"), Duration.ofHours(3))) {
            assertThat(site.members()).extracting(LabSite.Member::server).containsExactly("EX1", "EX2");
            // EX2's mailbox server is named by the client; EX1's gateway reaches it through ValidPorts.
            assertThat(site.gateway().config().current().validPorts().permits("ex2.frankysweb.local", 6001)).isTrue();
            String url = "https://127.0.0.20:" + site.plan().orElseThrow().ports().port(443) + "/rpc/rpcproxy.dll";
            String output = impacket(url, tmp.resolve("impacket.out"));
            assertThat(output).contains(MGMT, EPM);
            // The address book on EX2's 6004, sealed with NTLM (as Outlook binds it), through the same split channels.
            String nspi = impacket("nspi", url, "6004", tmp.resolve("nspi.out"));
            assertThat(nspi).contains("\"All Users\"", "\"Sales\"", "\"unbind\": 1");
            // Round robin: the IN channels (client to server only) on one member, the OUT channels on the other.
            LabSite.Member in = bytes(site.members().get(0), "server_to_client") == 0 ? site.members().get(0) : site.members().get(1);
            LabSite.Member outMember = in == site.members().get(0) ? site.members().get(1) : site.members().get(0);
            assertThat(bytes(in, "server_to_client")).as("server to client through %s", in.server()).isZero();
            assertThat(bytes(in, "client_to_server")).as("client to server through %s", in.server()).isPositive();
            assertThat(bytes(outMember, "server_to_client")).as("server to client through %s", outMember.server()).isPositive();
        }
    }

    static java.util.Set<dev.anywhere.server.config.HttpAuthScheme> authentication(LabSite.Member m) {
        return m.gateway().config().current().authentication();
    }

    static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    static void setIisAuthentication(dev.anywhere.directory.ldap.LdapSiteDirectory d, String server, EnumSet<AuthenticationMethod> methods) {
        d.putRpcVirtualDirectory(d.rpcVirtualDirectory(server).orElseThrow().withIisAuthenticationMethods(methods));
    }

    static long events(LabSite.Member m, int id) {
        return new dev.anywhere.server.events.EventLog(m.dataDir()).readAll().stream().filter(e -> e.id().id() == id).count();
    }

    /**
     * DC1 and DC2 replicate each other; EX1 uses DC1, then DC2; EX2 uses DC2, then DC1. A change written on DC2 reaches
     * both gateways. With DC1 stopped, EX1 moves to DC2 (3905) and changes written on DC2 still reach both gateways
     * within seconds (timed: the first write, then 20 more, median and p90). When DC1 is back and has caught up, EX1
     * moves back to it (3905 again), and neither gateway applies anything older than DC2's last change meanwhile.
     */
    @Test
    void withOneProviderStoppedChangesOnTheOtherReachEveryGatewayAndNothingOlderIsAppliedAfterItsReturn() throws Exception {
        dev.anywhere.rpc.testing.Peers.require(HaproxyBalancer.find().isPresent(), "haproxy");
        dev.anywhere.rpc.testing.Peers.require(dev.anywhere.directory.slapd.Slapd.available(), "slapd");
        try (LabSite site = startArray(tmp.resolve("site"), Duration.ofHours(3));
                var dc2 = dev.anywhere.directory.ldap.LdapSiteDirectory.connect(dev.anywhere.directory.ldap.LdapSettings.of(
                        site.replicas().get("dc2").url(), "CN=svc-anywhere,CN=Users,DC=frankysweb,DC=local", PASSWORD,
                        dev.anywhere.directory.ldap.SiteSeed.FRANKYSWEB))) {
            assertThat(site.replicas()).containsOnlyKeys("dc1", "dc2");
            LabSite.Member ex1 = site.members().get(0);
            LabSite.Member ex2 = site.members().get(1);
            var basic = EnumSet.of(dev.anywhere.server.config.HttpAuthScheme.BASIC);
            long t0 = System.nanoTime();
            setIisAuthentication(dc2, "EX1", EnumSet.of(AuthenticationMethod.BASIC));
            setIisAuthentication(dc2, "EX2", EnumSet.of(AuthenticationMethod.BASIC));
            await(() -> authentication(ex1).equals(basic) && authentication(ex2).equals(basic), "DC2's change on both gateways");
            System.out.printf("DC2 write to applied on EX1 (via DC1) and EX2 (via DC2): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(events(ex1, 3905)).isZero();

            site.replicas().get("dc1").close();
            t0 = System.nanoTime();
            var both = EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM);
            setIisAuthentication(dc2, "EX1", both);
            setIisAuthentication(dc2, "EX2", both);
            await(() -> authentication(ex1).size() == 2 && authentication(ex2).size() == 2,
                    "DC2's change on both gateways while DC1 is down");
            System.out.printf("DC1 stopped, first DC2 write to applied on EX1 and EX2: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(events(ex1, 3905)).as("EX1's event 3905 (moved to DC2)").isEqualTo(1);
            assertThat(events(ex2, 3905)).isZero();

            // Propagation with DC1 stopped: DC2 write to applied on both gateways, 20 writes alternating the methods.
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                var methods = i % 2 == 0 ? EnumSet.of(AuthenticationMethod.BASIC) : both;
                int expected = methods.size();
                long start = System.nanoTime();
                setIisAuthentication(dc2, "EX1", methods);
                setIisAuthentication(dc2, "EX2", methods);
                await(() -> authentication(ex1).size() == expected && authentication(ex2).size() == expected, "write " + i);
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
            List<Long> sorted = millis.stream().sorted().toList();
            System.out.printf("DC1 stopped, DC2 write to applied on EX1 and EX2 over %d writes: median %d ms, p90 %d ms, max %d ms%n",
                    sorted.size(), (sorted.get(9) + sorted.get(10)) / 2, sorted.get(17), sorted.get(19));

            // The last state written on DC2 while DC1 was down: both methods. Nothing older may be applied from now on.
            java.util.concurrent.atomic.AtomicReference<String> older = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    for (LabSite.Member m : List.of(ex1, ex2)) {
                        if (authentication(m).size() != 2) {
                            older.compareAndSet(null, m.server() + " applied " + authentication(m));
                        }
                    }
                    LockSupport.parkNanos(2_000_000);
                }
            }, "older-configuration-sampler");
            sampler.start();
            try {
                site.replicas().get("dc1").restart();
                await(() -> events(ex1, 3905) == 2, "EX1's event 3905 (back on DC1, caught up)");
                Thread.sleep(1_000); // a pass on DC1 has run (the switch asks for one) and would have applied anything older
            } finally {
                sampling.set(false);
                sampler.join();
            }
            assertThat(older.get()).as("an older configuration applied after DC1's return").isNull();
            assertThat(authentication(ex1)).hasSize(2);
            try (var dc1 = dev.anywhere.directory.ldap.LdapSiteDirectory.connect(dev.anywhere.directory.ldap.LdapSettings.of(
                    site.replicas().get("dc1").url(), "CN=svc-anywhere,CN=Users,DC=frankysweb,DC=local", PASSWORD,
                    dev.anywhere.directory.ldap.SiteSeed.FRANKYSWEB))) {
                assertThat(dc1.rpcVirtualDirectory("EX1").orElseThrow().iisAuthenticationMethods()).isEqualTo(both);
            }
            assertThat(events(ex2, 3905)).isZero();
        }
    }

    /** Runs impacket's Basic scenario (MGMT, then EPM on a second virtual connection) to EX2's store; its output. */
    static String impacket(String url, Path out) throws Exception {
        return impacket("basic", url, "6001", out);
    }

    /** Runs one scenario of impacket_rpcproxy.py against EX2's {@code port} through {@code url}; its output. */
    static String impacket(String scenario, String url, String port, Path out) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), scenario, url, url, "ex2.frankysweb.local", port)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(out);
        assertThat(done && p.exitValue() == 0).as(output).isTrue();
        return output;
    }

    /**
     * A member's gateway dies between two health checks: HAProxy still counts it up, so round robin hands it the next
     * connections; their refused connect is redispatched to the other member ({@code option redispatch}), and a new
     * client's virtual connections work at once, both channels through the surviving member.
     */
    @Test
    void aDeadMemberBeforeItsChecksFailCostsNewClientsNothing() throws Exception {
        dev.anywhere.rpc.testing.Peers.require(HaproxyBalancer.find().isPresent(), "haproxy");
        dev.anywhere.rpc.testing.Peers.requireImpacket("impacket.dcerpc.v5.rpch");
        try (LabSite site = startArray(tmp.resolve("site"), Duration.ofHours(3))) {
            String url = "https://127.0.0.20:" + site.plan().orElseThrow().ports().port(443) + "/rpc/rpcproxy.dll";
            LabSite.Member ex1 = site.members().get(0);
            LabSite.Member ex2 = site.members().get(1);
            long t0 = System.nanoTime();
            ex1.gateway().close();
            String output = impacket(url, tmp.resolve("after-kill.out"));
            System.out.printf("member killed to impacket's calls answered through the other: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(output).contains(MGMT, EPM);
            assertThat(bytes(ex2, "client_to_server")).isPositive();
            assertThat(bytes(ex2, "server_to_client")).isPositive();
            assertThat(Files.readString(site.balancer().orElseThrow().directory().resolve("haproxy.cfg")))
                    .contains("option redispatch 1", "retries 2");
        }
    }

    @Test
    void everyListenerClosesWithTheArray() throws Exception {
        dev.anywhere.rpc.testing.Peers.require(HaproxyBalancer.find().isPresent(), "haproxy");
        List<InetSocketAddress> listeners = new ArrayList<>();
        long haproxyPid;
        try (LabSite site = startArray(tmp.resolve("site"), Duration.ofHours(3))) {
            for (LabSite.Member m : site.members()) {
                listeners.add(m.gateway().address());
                listeners.add(m.admin().orElseThrow().address());
            }
            listeners.add(site.balancer().orElseThrow().address());
            haproxyPid = site.balancer().orElseThrow().pid();
            assertThat(Files.readString(site.balancer().orElseThrow().directory().resolve("haproxy.cfg")))
                    .contains("mode tcp", "balance roundrobin", "http-check send meth GET uri /health",
                            "server ex1 127.0.100.251:37443 check port 8081", "server ex2 127.0.100.253:37443 check port 8081");
        }
        for (InetSocketAddress a : listeners) {
            assertThat(LabSiteTest.listening(a)).as("%s after close", a).isFalse();
        }
        assertThat(ProcessHandle.of(haproxyPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
