package dev.anywhere.lab.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.lab.topology.Middlebox;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.router.NginxMiddlebox;
import dev.anywhere.lab.topology.Passwords;
import dev.anywhere.lab.topology.PortMap;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.lab.topology.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * impacket 0.10, a client nobody here wrote, through the router and a real nginx in front of EX1: the stock reverse-proxy
 * configuration breaks the RPC over HTTP tunnel, the configuration the lab generates for RPC over HTTP carries it.
 */
class ImpacketThroughNginxTest {

    static final PortPolicy POLICY = PortPolicy.shifted(36000);
    static final String PASSWORD = "Secret-1";
    static final Path SCRIPT = Path.of("..", "server", "src", "test", "resources", "rpcproxy", "impacket_rpcproxy.py");

    @TempDir
    Path tmp;

    static void assumePeers() {
        dev.anywhere.rpc.testing.Peers.require(NginxMiddlebox.find().isPresent(), "nginx");
        dev.anywhere.rpc.testing.Peers.requireImpacket("impacket.dcerpc.v5.rpch");
    }

    /** Runs impacket's Basic scenario (MGMT inq_if_ids, then an EPM lookup) through the router; returns exit code and output. */
    private Object[] impacket(Middlebox middlebox) throws Exception {
        Topology t = Topology.frankysweb().withFaults(new Topology.Faults(List.of(), List.of(), List.of(), middlebox))
                .withPortPolicy(POLICY).withFaultsApplied();
        PortMap ports = PortMap.of(t.portPolicy());
        try (LabSite site = LabSite.start(new LabSite.Plan(t, ports, tmp.resolve(middlebox.id()), Passwords.same(PASSWORD), Duration.ofMinutes(15)),
                s -> { })) {
            site.directory().putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 0, 0)
                    .withExternalHostname(CertificateRequest.OA_NAME)
                    .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.BASIC)
                    .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM)));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!site.gateway().config().current().enabled() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            String url = "https://127.0.0.20:" + ports.port(443) + "/rpc/rpcproxy.dll";
            Path out = tmp.resolve(middlebox.id() + ".out");
            Process p = new ProcessBuilder("/usr/bin/python3", SCRIPT.toString(), "basic", url, url, "ex1.frankysweb.local", "6001")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            return new Object[] {done ? p.exitValue() : -1, Files.readString(out)};
        }
    }

    @Test
    void theRpcConfigurationCarriesImpacketsTunnel() throws Exception {
        assumePeers();
        Object[] r = impacket(Middlebox.NGINX_RPC);
        assertThat((int) r[0]).as((String) r[1]).isZero();
        // impacket printed MGMT's interface list and the EPM lookup, both over the tunnel through nginx.
        assertThat((String) r[1]).contains("afa8bd80-7d8a-11c9-bef4-08002b102989").contains("e1af8308-5d1f-11c9-91a4-08002b14a0fa");
    }

    @Test
    void theStockConfigurationBreaksIt() throws Exception {
        assumePeers();
        Object[] r = impacket(Middlebox.NGINX_STOCK);
        assertThat((int) r[0]).as((String) r[1]).isNotZero();
        assertThat((String) r[1]).containsIgnoringCase("413");
    }
}
