package dev.anywhere.cli;

import dev.anywhere.analyzer.rpch.EchoResult;
import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.analyzer.rpch.RpcPing;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.RpchFailure;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anywhere rpcping}: Windows' rpcping.exe for RPC over HTTP — an echo request to the proxy ({@code /E}) or a
 * virtual connection through it to an RPC server port with MGMT round trips, timed. docs/rpc-client.md shows the
 * output and every failure line.
 */
@Command(name = "rpcping", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "dev.anywhere.cli.rpcping")
final class RpcPingCommand implements Callable<Integer> {

    /** Where passwords come from; tests replace it. */
    static Function<String, String> environment = System::getenv;

    @Spec
    CommandSpec spec;

    @Option(names = "--rpc-proxy", required = true, paramLabel = "HOST[:PORT]")
    String rpcProxy;

    @Option(names = "--server", required = true, paramLabel = "NAME")
    String server;

    @Option(names = "--endpoint", paramLabel = "PORT")
    int endpoint = 6001;

    @Option(names = "--proxy-auth", paramLabel = "basic|ntlm|none")
    String proxyAuth;

    @Option(names = "--user", paramLabel = "DOMAIN\\user")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR")
    String passwordEnv = "ANYWHERE_PASSWORD";

    @Option(names = "--rpc-auth", paramLabel = "none|connect|integrity|privacy")
    String rpcAuth = "none";

    @Option(names = {"-E", "--echo-only"})
    boolean echoOnly;

    @Option(names = "--iterations", paramLabel = "N")
    int iterations = 1;

    @Option(names = "--call", paramLabel = "is_server_listening|inq_if_ids")
    String call = "is_server_listening";

    @Option(names = "--tls", negatable = true, defaultValue = "true", fallbackValue = "true")
    boolean tls;

    @Option(names = "--trust", paramLabel = "CA.pem")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--insecure")
    boolean insecure;

    @Option(names = "--resolve", paramLabel = "HOST:PORT:ADDR")
    String resolve;

    @Option(names = "--timeout", paramLabel = "SECONDS")
    int timeoutSeconds = 10;

    @Option(names = {"-v", "--verbose"})
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String host = rpcProxy;
        int port = tls ? 443 : 80;
        int colon = rpcProxy.lastIndexOf(':');
        if (colon > 0 && !rpcProxy.endsWith("]")) {
            host = rpcProxy.substring(0, colon);
            port = port("--rpc-proxy", rpcProxy.substring(colon + 1));
        }
        if (host.isEmpty()) {
            throw UserError.usage("--rpc-proxy: '" + rpcProxy + "' (expected: HOST[:PORT])");
        }
        if (endpoint < 1 || endpoint > 65535) {
            throw UserError.usage("--endpoint: " + endpoint + " (expected: 6001, 6002, 6004, 593 or another port 1..65535)");
        }
        if (iterations < 1 || iterations > 1_000_000) {
            throw UserError.usage("--iterations: " + iterations + " (expected: 1..1000000)");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw UserError.usage("--timeout: " + timeoutSeconds + " (expected: 1..3600 seconds)");
        }
        RpcPing.Probe probe = switch (call.toLowerCase(Locale.ROOT)) {
            case "is_server_listening" -> RpcPing.Probe.IS_SERVER_LISTENING;
            case "inq_if_ids" -> RpcPing.Probe.INQ_IF_IDS;
            default -> throw UserError.usage("--call: '" + call + "' (expected: is_server_listening or inq_if_ids)");
        };
        int rpcLevel;
        try {
            rpcLevel = RpcAuth.levelOf(rpcAuth);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        if (rpcLevel > 0 && echoOnly) {
            throw UserError.usage("--rpc-auth " + rpcAuth + " with --echo-only (expected: none; an echo binds nothing)");
        }
        if (rpcLevel > 0 && (user == null || user.isBlank())) {
            throw UserError.usage("--rpc-auth " + rpcAuth + " needs --user DOMAIN\\user");
        }
        ProxyAuth auth = auth();
        Optional<RpcAuth> rpc = rpcLevel < 0 ? Optional.empty()
                : Optional.of(new RpcAuth(rpcLevel, NtlmCredentials.parse(user, password())));
        ClientOptions.warnInsecure(insecure, spec.commandLine().getErr());
        RpchClientOptions.Builder b = RpchClientOptions.builder(host, port, server, endpoint).tls(tls).insecure(insecure)
                .trust(ClientOptions.trust(trust)).auth(auth).timeouts(Duration.ofSeconds(timeoutSeconds));
        if (resolve != null) {
            b.addressOverride(resolveAddress(host, port));
        }
        Transcript transcript = new Transcript(verbose ? out::println : line -> { });
        String target = host + ":" + port + (tls ? " (https)" : " (http)");
        CliText text = CliText.ofLocale();
        out.println(text.get("rpcping.start", java.util.Map.of("route", echoOnly ? text.get("rpcping.route.echo", java.util.Map.of("target", target))
                : text.get("rpcping.route.call", java.util.Map.of("target", target, "server", server, "endpoint", endpoint)),
                "auth", auth instanceof ProxyAuth.None ? text.get("rpcping.auth.none") : authName(auth),
                "account", auth instanceof ProxyAuth.None ? "" : text.get("rpcping.as", java.util.Map.of("account", auth.account()))))
                + rpc.map(a -> text.get("rpcping.rpcAuth", java.util.Map.of("level", a.levelName(), "user", user))).orElse(""));
        RpcPing.Result r;
        try {
            r = RpcPing.run(b.build(), rpc, echoOnly, iterations, probe, transcript);
        } catch (RpchFailure f) {
            out.flush();
            err.println("rpcping: " + f.getMessage());
            err.flush();
            return Anywhere.FINDINGS;
        }
        RpcPing.Latency l = r.latency();
        if (echoOnly) {
            EchoResult e = r.echo().orElseThrow();
            out.println(text.get("rpcping.echo", java.util.Map.of("status", e.status(), "reason", e.reason())));
            out.println(text.get(l.count() == 1 ? "rpcping.echo.completed.one" : "rpcping.echo.completed.many", latency(l)));
        } else {
            out.println(text.get("rpcping.opened", java.util.Map.of("ms", r.opened().orElseThrow().toMillis())));
            var bind = r.bind().orElseThrow();
            out.println(text.get("rpcping.bound", java.util.Map.of("syntax", bind.abstractSyntax(), "context", bind.contextId(), "frag", bind.maxXmitFrag(),
                    "port", bind.secondaryAddress().isEmpty() ? "?" : bind.secondaryAddress())));
            r.interfaces().ifPresent(ids -> {
                out.println(text.get("rpcping.interfaces", java.util.Map.of("count", ids.interfaces().size())));
                for (SyntaxId s : ids.interfaces()) {
                    out.println("  " + s);
                }
            });
            java.util.Map<String, Object> values = new java.util.HashMap<>(latency(l));
            values.put("call", call.toLowerCase(Locale.ROOT));
            out.println(text.get(l.count() == 1 ? "rpcping.calls.one" : "rpcping.calls.many", values));
        }
        return Anywhere.OK;
    }

    private static java.util.Map<String, Object> latency(RpcPing.Latency l) {
        return java.util.Map.of("count", l.count(), "min", RpcPing.millis(l.minMicros()), "median", RpcPing.millis(l.medianMicros()),
                "p99", RpcPing.millis(l.p99Micros()));
    }

    private static String authName(ProxyAuth a) {
        return a instanceof ProxyAuth.Basic ? "basic" : a instanceof ProxyAuth.Ntlm ? "ntlm" : "no authentication";
    }

    private ProxyAuth auth() {
        String scheme = proxyAuth == null ? (user == null ? "none" : "ntlm") : proxyAuth.toLowerCase(Locale.ROOT);
        if (!scheme.equals("none") && !scheme.equals("basic") && !scheme.equals("ntlm")) {
            throw UserError.usage("--proxy-auth: '" + proxyAuth + "' (expected: basic, ntlm or none)");
        }
        if (scheme.equals("none")) {
            return new ProxyAuth.None();
        }
        if (user == null || user.isBlank()) {
            throw UserError.usage("--proxy-auth " + scheme + " needs --user DOMAIN\\user");
        }
        String password = password();
        return scheme.equals("basic") ? new ProxyAuth.Basic(user, password)
                : new ProxyAuth.Ntlm(NtlmCredentials.parse(user, password), "");
    }

    private String password() {
        String password = environment.apply(passwordEnv);
        if (password == null) {
            throw UserError.usage("no password: set the environment variable " + passwordEnv
                    + " (passwords are never taken on the command line)");
        }
        return password;
    }

    private InetAddress resolveAddress(String host, int port) {
        String[] parts = resolve.split(":", 3);
        if (parts.length != 3) {
            throw UserError.usage("--resolve: '" + resolve + "' (expected: HOST:PORT:ADDR)");
        }
        if (!parts[0].equalsIgnoreCase(host) || port("--resolve", parts[1]) != port) {
            throw UserError.usage("--resolve: " + parts[0] + ":" + parts[1] + " (expected: " + host + ":" + port
                    + ", the --rpc-proxy it overrides)");
        }
        String addr = parts[2].startsWith("[") && parts[2].endsWith("]") ? parts[2].substring(1, parts[2].length() - 1) : parts[2];
        if (!addr.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw UserError.usage("--resolve: '" + parts[2] + "' (expected: an IPv4 or IPv6 address)");
        }
        try {
            return InetAddress.getByName(addr); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw UserError.usage("--resolve: '" + parts[2] + "' (expected: an IPv4 or IPv6 address)");
        }
    }

    private static int port(String option, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw UserError.usage(option + ": port '" + text + "' (expected: 1..65535)");
    }
}
