package dev.anywhere.cli;

import dev.anywhere.lab.site.LabSite;
import dev.anywhere.lab.site.LabState;
import dev.anywhere.server.gateway.AdminServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lab serve}: what {@code lab up} runs in the background JVM. */
@Command(name = "serve", hidden = true)
final class LabServeCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = LabCommand.DEFAULT_DATA_DIR)
    Path dataDir;

    @Option(names = "--topology", paramLabel = "FILE|NAME")
    Path topologyFile;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir.toAbsolutePath();
        LabSite.Plan plan = LabCommand.plan(topologyFile, dir);
        long t0 = System.nanoTime();
        LabSite site = LabSite.start(plan, step -> System.out.printf("[%5d ms] %s%n", (System.nanoTime() - t0) / 1_000_000, step));
        LabCommand.enableOutlookAnywhere(site);
        LabCommand.awaitEnabled(site);
        // EX1's admin listener beside its gateway, on a port of its own: /health and /metrics, never forwarded
        // (an array's members have theirs at the ports of the topology, which the load balancer checks).
        Optional<AdminServer> admin = Optional.empty();
        if (site.members().get(0).admin().isEmpty()) {
            admin = Optional.of(AdminServer.start(new InetSocketAddress(site.gateway().address().getAddress(), 0),
                    site.metrics(), site.gateway()::health));
        }
        LabState state = LabState.of(site, ProcessHandle.current().pid(), admin.map(AdminServer::address));
        Optional<AdminServer> ownAdmin = admin;
        AutoCloseable stop = () -> {
            Files.deleteIfExists(dir.resolve(LabState.FILE_NAME));
            ownAdmin.ifPresent(AdminServer::close);
            site.close();
            System.out.println("site stopped");
        };
        state.write(dir);
        System.out.println("site up: " + dir.resolve(LabState.FILE_NAME));
        System.out.flush();
        Roles.runUntilInterrupted(stop);
        return Anywhere.OK;
    }
}
