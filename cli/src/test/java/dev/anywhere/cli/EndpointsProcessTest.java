package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.rpch.AddressBookClient;
import dev.anywhere.analyzer.rpch.MailboxLogon;
import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.analyzer.rpch.VirtualConnection;
import dev.anywhere.directory.embedded.EmbeddedDirectory;
import dev.anywhere.directory.ldap.AddressBookSeed;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.rpc.emsmdb.Emsmdb;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.gateway.BackendResolver;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code anywhere endpoints} as a process of its own, as an administrator starts it: given the seeded directory and
 * its service account's password it serves the address book (NSPI) and the store (EMSMDB) — reached through a gateway
 * with the analyzer's clients, sealed —, without the password only EPM and MGMT, and it says which. Binds loopback
 * ports chosen by the system; run under {@code flock /tmp/anywhere-ports.lock} with the other cli tests.
 */
class EndpointsProcessTest {

    private static final String PASSWORD = "Secret-1";
    private static final Pattern STARTED = Pattern.compile(
            "RPC endpoints on 127\\.0\\.0\\.1: ncacn_http \\[(\\d+)\\] \\((.*)\\)\\. Ctrl-C stops them\\.");

    @TempDir
    static Path dir;

    static EmbeddedDirectory embedded;
    static Path passwordFile;

    private Process endpoints;
    private Gateway gateway;

    @BeforeAll
    static void directory() throws Exception {
        embedded = EmbeddedDirectory.start(dir.resolve("dc1"), InetAddress.getLoopbackAddress(), 0,
                SiteSeed.frankysweb(PASSWORD));
        passwordFile = Files.writeString(dir.resolve("svc.password"), PASSWORD + "\n");
    }

    @AfterAll
    static void stopDirectory() {
        embedded.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (endpoints != null) {
            endpoints.destroy(); // SIGTERM: the shutdown hook closes the endpoints and the address book
            if (!endpoints.waitFor(20, TimeUnit.SECONDS)) {
                endpoints.destroyForcibly();
            }
        }
    }

    /** Starts {@code anywhere endpoints} in a JVM of its own; returns its first line of output. */
    private String start(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Anywhere.class.getName(), "endpoints", "--listen", "127.0.0.1",
                "--ports", "0", "--server", "EX1", "--bind-password-env", "ENDPOINTS_TEST_UNSET"));
        command.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("endpoints.err").toFile());
        pb.environment().remove("ENDPOINTS_TEST_UNSET");
        endpoints = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(endpoints.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).as(Files.readString(dir.resolve("endpoints.err"))).isNotNull();
        return line;
    }

    private static int port(Matcher started) {
        return Integer.parseInt(started.group(1));
    }

    private RpchClientOptions options(int endpointPort) {
        return RpchClientOptions.builder("oa.frankysweb.org", gateway.address().getPort(), "EX1", endpointPort).tls(false)
                .addressOverride(InetAddress.getLoopbackAddress()).timeouts(Duration.ofSeconds(10))
                .auth(new ProxyAuth.Ntlm(NtlmCredentials.parse("FRANKYSWEB\\franky", PASSWORD), "NOTEBOOK")).build();
    }

    @Test
    void withTheDirectoryItServesTheAddressBookAndTheStore() throws Exception {
        Matcher started = STARTED.matcher(start("--directory", embedded.url().toString(), "--bind-password-file",
                passwordFile.toString()));
        assertThat(started.matches()).isTrue();
        assertThat(started.group(2)).isEqualTo("EPM, MGMT, RFR, NSPI, EMSMDB");
        assertThat(Files.readString(dir.resolve("endpoints.err"))).doesNotContain("warning");

        // A gateway in this JVM leads EX1:6004 and EX1:6001 to the process's ncacn_http port.
        Path data = dir.resolve("ex1");
        new AppliedConfigFile(data).write(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.NTLM), false,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001, 6004))), 1, Instant.now());
        try (var directory = embedded.connect(PASSWORD)) {
            gateway = Gateway.start(new Gateway.Options(data, "EX1", new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                    new DirectoryCredentials(directory), "oa.frankysweb.org", Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB))
                    .withBackendResolver(BackendResolver.system().withOverride(InetAddress.getByName("127.0.0.1"), "ex1")
                            .withPortTranslation(Map.of(6004, port(started), 6001, port(started)))),
                    new SimpleMeterRegistry());
            NtlmCredentials franky = NtlmCredentials.parse("FRANKYSWEB\\franky", PASSWORD);

            // The first snapshot is read after the start: ask until the GAL is there (at most 20 times in 10 s).
            int gal = 0;
            try (AddressBookClient book = AddressBookClient.open(options(6004), RpcAuth.privacy(franky), new Transcript())) {
                for (int i = 0; i < 20 && gal == 0; i++) {
                    Optional<AddressBookClient.Table> t = book.table("GAL");
                    gal = t.isPresent() ? book.count(t.get()) : 0;
                    if (gal == 0) {
                        Thread.sleep(500);
                    }
                }
                assertThat(gal).isEqualTo(4 + AddressBookSeed.GENERATED_RECIPIENTS + 1);
                assertThat(book.resolve(List.of(AddressBookSeed.DISTRIBUTION_LIST_ALIAS))).singleElement()
                        .satisfies(r -> assertThat(r.entry().orElseThrow().displayName())
                                .isEqualTo(AddressBookSeed.DISTRIBUTION_LIST));
            }

            String frankyDn = directory.mailboxBySmtpAddress("franky@frankysweb.org").orElseThrow().legacyExchangeDn();
            try (VirtualConnection vc = VirtualConnection.open(options(6001), new Transcript())) {
                int context = vc.bind(Emsmdb.INTERFACE, RpcAuth.privacy(franky)).get(10, TimeUnit.SECONDS).contextId();
                MailboxLogon.Result logon = MailboxLogon.run(MailboxLogon.on(vc, context), frankyDn).get(30, TimeUnit.SECONDS);
                assertThat(logon.loggedOn()).as(String.valueOf(logon.failure())).isTrue();
            }
        }
    }

    @Test
    void withoutTheDirectoryPasswordItServesEpmAndMgmtAndSaysSo() throws Exception {
        Matcher started = STARTED.matcher(start("--directory", embedded.url().toString()));
        assertThat(started.matches()).isTrue();
        assertThat(started.group(2)).isEqualTo("EPM, MGMT");
        assertThat(Files.readString(dir.resolve("endpoints.err"))).isEqualTo("anywhere: warning: no directory password: "
                + "set ENDPOINTS_TEST_UNSET or use --bind-password-file (the embedded directory writes it to "
                + "<data-dir>/svc-anywhere.password); serving the endpoint mapper and management only (RFR, NSPI and "
                + "EMSMDB need the directory), and only anonymous NTLM binds will be accepted." + System.lineSeparator());
    }
}
