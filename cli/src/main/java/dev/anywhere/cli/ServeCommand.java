package dev.anywhere.cli;

import dev.anywhere.lab.site.LabState;
import dev.anywhere.lab.topology.PortPolicy;
import dev.anywhere.rpc.input.InvalidValue;
import dev.anywhere.web.History;
import dev.anywhere.web.RunDefaults;
import dev.anywhere.web.WebServer;
import dev.anywhere.web.WebSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code anywhere serve}: the analyzer as a web page. Help texts in English and German ({@code serve.properties},
 * {@code serve_de.properties}, chosen by the JVM's locale).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.serve")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "ADDRESS:PORT")
    String listen = "127.0.0.1:8088";

    @Option(names = "--cert", paramLabel = "CERT.pem")
    Path cert;

    @Option(names = "--key", paramLabel = "KEY.pem")
    Path key;

    @Option(names = "--login-user", paramLabel = "NAME")
    String loginUser;

    @Option(names = "--login-password-file", paramLabel = "FILE")
    Path loginPasswordFile;

    @Option(names = "--database", paramLabel = "JDBC-URL")
    String database;

    @Option(names = "--data-dir", paramLabel = "DIR")
    Path dataDir = Path.of("data/web");

    @Option(names = "--lab-dir", paramLabel = "DIR")
    Path labDir;

    @Option(names = "--lab")
    boolean hostLab;

    @Option(names = "--dns-server", paramLabel = "ADDR[:PORT]")
    String dnsServer;

    @Option(names = "--trust", paramLabel = "CA.pem")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--resolve", paramLabel = "HOST:PORT:ADDR")
    List<String> resolve = new ArrayList<>();

    @Option(names = "--https-port", paramLabel = "PORT")
    Integer httpsPort;

    @Option(names = "--http-port", paramLabel = "PORT")
    Integer httpPort;

    @Option(names = "--timeout", paramLabel = "DURATION")
    String timeout = "10s";

    @Option(names = "--max-runs", paramLabel = "N")
    int maxRuns = 4;

    @Option(names = "--max-runs-per-client", paramLabel = "N")
    int maxRunsPerClient = 2;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        WebSettings settings = settings();
        Files.createDirectories(dataDir);
        WebServer server;
        try {
            server = Roles.listening("serve", listen, Roles.address("--listen", listen).getPort(), () -> WebServer.start(settings));
        } catch (InvalidValue e) {
            // --cert/--key the page cannot use, checked as the gateway's are (TlsEngine) before anything listens
            throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
        }
        out.println(CliText.local("serve.started", "url", server.url(), "history", History.redactUrl(settings.databaseUrl())));
        out.flush();
        Roles.runUntilInterrupted(server);
        return Anywhere.OK;
    }

    WebSettings settings() throws IOException {
        InetSocketAddress at = Roles.address("--listen", listen);
        if ((cert == null) != (key == null)) {
            throw UserError.usage(CliText.local("gateway.cert-and-key"));
        }
        if (cert != null) {
            Inputs.readable(cert, key);
        }
        if ((loginUser == null) != (loginPasswordFile == null)) {
            throw UserError.usage(CliText.local("serve.login-pair"));
        }
        Optional<WebSettings.Login> login = Optional.empty();
        if (loginUser != null) {
            if (!Files.isReadable(loginPasswordFile)) {
                throw UserError.usage(CliText.local("serve.password-file-unreadable", "file", loginPasswordFile));
            }
            String password = Files.readAllLines(loginPasswordFile).stream().findFirst().orElse("");
            try {
                login = Optional.of(new WebSettings.Login(loginUser, password));
            } catch (InvalidValue e) {
                throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
            }
        }
        // With --lab the server starts the lab itself, so there is no lab.json to read yet.
        RunDefaults defaults = hostLab ? RunDefaults.system() : defaults();
        String url = database != null ? database : "jdbc:sqlite:" + dataDir.resolve("history.db");
        Optional<WebSettings.LabMode> lab = hostLab
                ? Optional.of(new WebSettings.LabMode(labDir != null ? labDir : Path.of(LabCommand.DEFAULT_DATA_DIR), PortPolicy.AUTO))
                : Optional.empty();
        try {
            return new WebSettings(at, cert == null ? Optional.empty() : Optional.of(new WebSettings.Tls(cert, key)), login, url, defaults,
                    maxRuns, maxRunsPerClient, lab);
        } catch (InvalidValue e) {
            throw UserError.usage(e.key().equals("web.limits") ? CliText.local("web.limits", "runs", maxRuns, "perClient", maxRunsPerClient)
                    : Inputs.problem(e, CliText.ofLocale()));
        }
    }

    /** The lab's DNS, CA and ports when {@code --lab-dir} names a running lab; each explicit option wins over it. */
    private RunDefaults defaults() {
        RunDefaults base = RunDefaults.system();
        if (labDir != null) {
            LabState lab = LabState.read(labDir).orElseThrow(() -> UserError.usage(CliText.local("serve.no-lab", "dir", labDir)));
            base = RunDefaults.of(lab);
        }
        ClientOptions c = new ClientOptions();
        c.dnsServer = dnsServer;
        c.timeout = timeout;
        List<Path> anchors = new ArrayList<>(base.trust());
        anchors.addAll(ClientOptions.trust(trust));
        List<String> names = new ArrayList<>(base.resolve());
        names.addAll(resolve);
        return new RunDefaults(dnsServer != null ? c.dns() : base.dnsServer(), anchors, names, httpsPort != null ? httpsPort : base.httpsPort(),
                httpPort != null ? httpPort : base.httpPort(), c.stepTimeout());
    }
}
