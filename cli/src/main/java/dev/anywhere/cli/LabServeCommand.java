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
@Command(name = "serve", hidden = true, description = "Run the site in this process until SIGTERM (used by lab up).")
final class LabServeCommand implements Callable<Integer> {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = LabCommand.DEFAULT_DATA_DIR)
    Path dataDir;

    @Option(names = "--topology", paramLabel = "FILE")
    Path topologyFile;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir.toAbsolutePath();
        LabSite.Plan plan = LabCommand.plan(topologyFile, dir);
        long t0 = System.nanoTime();
        LabSite site = LabSite.start(plan, step -> System.out.printf("[%5d ms] %s%n", (System.nanoTime() - t0) / 1_000_000, step));
        LabCommand.enableOutlookAnywhere(site);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!site.gateway().config().current().enabled() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // EX1's admin listener beside its gateway, on a port of its own: /health and /metrics, never forwarded.
        AdminServer admin = AdminServer.start(new InetSocketAddress(site.gateway().address().getAddress(), 0),
                site.metrics(), site.gateway()::health);
        LabState state = LabState.of(site, ProcessHandle.current().pid(), Optional.of(admin.address()));
        AutoCloseable stop = () -> {
            Files.deleteIfExists(dir.resolve(LabState.FILE_NAME));
            admin.close();
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
