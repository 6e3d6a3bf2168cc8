package dev.anywhere.cli;

import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.site.EchoProbe;
import dev.anywhere.lab.site.LabSite;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.events.Event;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The main job: the site on loopback, configured, checked as a client would, and stopped. */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "Bring the frankysweb site up on loopback (DC1 directory, "
        + "EX1 service host and gateway with a lab certificate), enable Outlook Anywhere, show what the configurator applied "
        + "and logged, check /rpc/rpcproxy.dll as a client would, and stop.")
final class LabCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the site's data here (default: a temporary directory, removed afterwards).")
    Path dataDir;

    @Option(names = "--keep-running", description = "Leave the site running until Ctrl-C.")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("anywhere-lab") : dataDir;
        String password = "Lab-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        long t0 = System.nanoTime();
        LabSite.Options options = new LabSite.Options(dir,
                Roles.address("dc1", LabAddresses.DC1 + ":" + LabAddresses.port(389)),
                Roles.address("ex1", LabAddresses.EX1 + ":" + LabAddresses.port(443)), password,
                dev.anywhere.server.configurator.ServiceHostSettings.DEFAULT_POLL_INTERVAL);
        if (!LabAddresses.privileged()) {
            out.printf("Not allowed to bind ports below 1024: every port is shifted by %d (389 -> %d, 443 -> %d).%n",
                    LabAddresses.UNPRIVILEGED_OFFSET, LabAddresses.port(389), LabAddresses.port(443));
        }
        out.println("Starting the site:");
        out.flush();
        int exit;
        try (LabSite site = LabSite.start(options, step -> {
            out.printf("  [%5d ms] %s%n", (System.nanoTime() - t0) / 1_000_000, step);
            out.flush();
        })) {
            exit = story(site, out, password);
            if (keepRunning) {
                out.printf("%nThe site keeps running (data in %s). Ctrl-C stops it.%n", dir);
                out.flush();
                Roles.runUntilInterrupted(site);
            }
        } finally {
            if (temporary) {
                deleteTree(dir);
            }
        }
        out.printf("%nSite stopped after %.1f s.%n", (System.nanoTime() - t0) / 1e9);
        return exit;
    }

    private int story(LabSite site, PrintWriter out, String password) throws Exception {
        out.println();
        out.println("Enabling Outlook Anywhere for EX1 in the directory (anywhere oa enable --server EX1 "
                + "--external-hostname oa.frankysweb.org --client-auth ntlm --iis-auth basic,ntlm):");
        long t = System.nanoTime();
        site.directory().putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 0, 0)
                .withExternalHostname(CertificateRequest.OA_NAME)
                .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM)
                .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM)));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!site.gateway().config().current().enabled() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        RpcVdirConfig applied = site.gateway().config().current();
        if (!applied.enabled()) {
            out.println("  FAILED: the gateway did not receive the configuration within 10 s. Events:");
            printEvents(site.ex1Events().readAll(), out);
            return Anywhere.FINDINGS;
        }
        out.printf("  applied by the configurator and followed by the gateway after %d ms (Exchange: up to 15 min).%n",
                (System.nanoTime() - t) / 1_000_000);
        AppliedConfigFile.Snapshot snapshot = new AppliedConfigFile(site.ex1DataDir()).read().orElseThrow();
        out.printf("%nApplied /rpc configuration (%s, generation %d):%n", site.ex1DataDir().resolve(AppliedConfigFile.FILE_NAME), snapshot.generation());
        out.printf("  Authentication : %s%n", applied.authenticationInOrder().stream().map(HttpAuthScheme::token).collect(Collectors.joining(", ")));
        out.printf("  RequireSsl     : %s%n", applied.requireSsl());
        out.printf("  ValidPorts     : %s%n", applied.validPorts());
        out.printf("%nConfigurator events (anywhere events):%n");
        printEvents(site.ex1Events().readAll(), out);

        out.printf("%nChecking https://%s/rpc/rpcproxy.dll as a client would (lab CA trusted, SNI %s):%n", CertificateRequest.OA_NAME, CertificateRequest.OA_NAME);
        InetSocketAddress proxy = site.gateway().address();
        EchoProbe.Answer anonymous = EchoProbe.send(proxy, CertificateRequest.OA_NAME, site.ca().trustAnchors(), Optional.empty());
        boolean challengeOk = anonymous.status() == 401 && anonymous.wwwAuthenticate().contains("NTLM");
        out.printf("  %-4s without credentials: %s, offers %s%n", challengeOk ? "ok" : "FAIL", anonymous.statusLine(), anonymous.wwwAuthenticate());
        EchoProbe.Answer echo = EchoProbe.send(proxy, CertificateRequest.OA_NAME, site.ca().trustAnchors(),
                Optional.of("FRANKYSWEB\\franky:" + password));
        boolean echoOk = echo.status() == 200 && echo.bodyLength() == 20;
        out.printf("  %-4s echo as FRANKYSWEB\\franky (Basic): %s, %d-byte echo PDU%n", echoOk ? "ok" : "FAIL", echo.statusLine(), echo.bodyLength());
        out.println();
        out.println("Not yet in this build: relaying RPC channels to the endpoints, Autodiscover, DNS and router, the analyzer.");
        out.flush();
        return challengeOk && echoOk ? Anywhere.OK : Anywhere.FINDINGS;
    }

    static void printEvents(List<Event> events, PrintWriter out) {
        for (Event e : events) {
            out.printf("  %-11s %4d %-30s %s%n", e.level(), e.id().id(), e.id().symbolicName(), e.message());
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
