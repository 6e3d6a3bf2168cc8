package dev.anywhere.cli;

import dev.anywhere.analyzer.rpch.EchoResult;
import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.analyzer.rpch.RpcPing;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.RpchFailure;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.rpc.dce.SyntaxId;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anywhere rpcping}: Windows' rpcping.exe for RPC over HTTP — an echo request to the proxy ({@code /E}) or a
 * virtual connection through it to an RPC server port with MGMT round trips, timed. docs/rpc-client.md shows the
 * output and every failure line.
 */
@Command(name = "rpcping", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "dev.anywhere.cli.rpch")
final class RpcPingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rpc-proxy", required = true, paramLabel = "HOST[:PORT]")
    String rpcProxy;

    @Mixin
    RpchConnectionOptions connection;

    @Option(names = "--endpoint", paramLabel = "PORT")
    int endpoint = 6001;

    @Option(names = "--rpc-auth", paramLabel = "none|connect|integrity|privacy")
    String rpcAuth = "none";

    @Option(names = {"-E", "--echo-only"})
    boolean echoOnly;

    @Option(names = "--iterations", paramLabel = "N")
    int iterations = 1;

    @Option(names = "--call", paramLabel = "is_server_listening|inq_if_ids")
    String call = "is_server_listening";

    @Option(names = "--resolve", paramLabel = "HOST:PORT:ADDR")
    String resolve;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RpchConnectionOptions.Proxy proxy = connection.proxy("--rpc-proxy", rpcProxy);
        if (iterations < 1 || iterations > 1_000_000) {
            throw UserError.usage(CliText.local("rpch.iterations-bad", "iterations", iterations));
        }
        RpcPing.Probe probe = switch (call.toLowerCase(Locale.ROOT)) {
            case "is_server_listening" -> RpcPing.Probe.IS_SERVER_LISTENING;
            case "inq_if_ids" -> RpcPing.Probe.INQ_IF_IDS;
            default -> throw UserError.usage(CliText.local("rpch.call-bad", "call", call));
        };
        int rpcLevel = RpchConnectionOptions.rpcAuthLevel(rpcAuth);
        if (rpcLevel > 0 && echoOnly) {
            throw UserError.usage(CliText.local("rpch.rpc-auth-echo", "level", rpcAuth));
        }
        Optional<RpcAuth> rpc = rpcLevel < 0 ? Optional.empty()
                : Optional.of(new RpcAuth(rpcLevel, connection.credentials("--rpc-auth " + rpcAuth)));
        ProxyAuth auth = connection.auth();
        RpchClientOptions options = connection.client(proxy, endpoint, auth, err, "--resolve", resolve);
        Transcript transcript = new Transcript(connection.verbose ? out::println : line -> { });
        String target = proxy.describe(connection.tls);
        CliText text = CliText.ofLocale();
        out.println(text.get("rpcping.start", Map.of("route", echoOnly ? text.get("rpcping.route.echo", Map.of("target", target))
                : text.get("rpcping.route.call", Map.of("target", target, "server", connection.server, "endpoint", endpoint)),
                "auth", auth instanceof ProxyAuth.None ? text.get("rpcping.auth.none") : RpchConnectionOptions.authName(auth),
                "account", auth instanceof ProxyAuth.None ? "" : text.get("rpcping.as", Map.of("account", auth.account()))))
                + rpc.map(a -> text.get("rpcping.rpcAuth", Map.of("level", a.levelName(), "user", connection.user))).orElse(""));
        RpcPing.Result r;
        try {
            r = RpcPing.run(options, rpc, echoOnly, iterations, probe, transcript);
        } catch (RpchFailure f) {
            out.flush();
            err.println("rpcping: " + f.getMessage());
            err.flush();
            return Anywhere.FINDINGS;
        }
        RpcPing.Latency l = r.latency();
        if (echoOnly) {
            EchoResult e = r.echo().orElseThrow();
            out.println(text.get("rpcping.echo", Map.of("status", e.status(), "reason", e.reason())));
            out.println(text.get(l.count() == 1 ? "rpcping.echo.completed.one" : "rpcping.echo.completed.many", latency(l)));
        } else {
            out.println(text.get("rpcping.opened", Map.of("ms", r.opened().orElseThrow().toMillis())));
            var bind = r.bind().orElseThrow();
            out.println(text.get("rpcping.bound", Map.of("syntax", bind.abstractSyntax(), "context", bind.contextId(), "frag", bind.maxXmitFrag(),
                    "port", bind.secondaryAddress().isEmpty() ? "?" : bind.secondaryAddress())));
            r.interfaces().ifPresent(ids -> {
                out.println(text.get("rpcping.interfaces", Map.of("count", ids.interfaces().size())));
                for (SyntaxId s : ids.interfaces()) {
                    out.println("  " + s);
                }
            });
            Map<String, Object> values = new HashMap<>(latency(l));
            values.put("call", call.toLowerCase(Locale.ROOT));
            out.println(text.get(l.count() == 1 ? "rpcping.calls.one" : "rpcping.calls.many", values));
        }
        return Anywhere.OK;
    }

    private static Map<String, Object> latency(RpcPing.Latency l) {
        return Map.of("count", l.count(), "min", RpcPing.millis(l.minMicros()), "median", RpcPing.millis(l.medianMicros()),
                "p99", RpcPing.millis(l.p99Micros()));
    }
}
