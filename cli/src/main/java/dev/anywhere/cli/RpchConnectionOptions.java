package dev.anywhere.cli;

import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * How a command reaches an RPC server through an RPC proxy: server name, proxy authentication, account, TLS trust,
 * timeout and transcript, declared once for {@code anywhere rpcping} and {@code anywhere addressbook}. The address
 * override stays with each command (rpcping's {@code --resolve}; addressbook's {@code --resolve} resolves names). The
 * descriptions are picocli's, looked up in the mixing command's bundle: both use {@code rpch.properties} (and
 * {@code _de}), where these keys (the option names) are unqualified and so shared.
 */
final class RpchConnectionOptions {

    /** Where passwords come from; tests replace it. */
    static Function<String, String> environment = System::getenv;

    @Option(names = "--server", required = true, paramLabel = "NAME")
    String server;

    @Option(names = "--proxy-auth", paramLabel = "basic|ntlm|none")
    String proxyAuth;

    @Option(names = "--user", paramLabel = "DOMAIN\\user")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR")
    String passwordEnv = "ANYWHERE_PASSWORD";

    @Option(names = "--tls", negatable = true, defaultValue = "true", fallbackValue = "true")
    boolean tls;

    @Option(names = "--trust", paramLabel = "CA.pem")
    List<Path> trust = new ArrayList<>();

    @Option(names = "--insecure")
    boolean insecure;

    @Option(names = "--timeout", paramLabel = "SECONDS")
    int timeoutSeconds = 10;

    @Option(names = {"-v", "--verbose"})
    boolean verbose;

    /** The proxy's host from {@code HOST[:PORT]} (the port defaults to 443 with TLS, 80 without). */
    record Proxy(String host, int port) {
        String describe(boolean tls) {
            return host + ":" + port + (tls ? " (https)" : " (http)");
        }
    }

    Proxy proxy(String option, String address) {
        String host = address;
        int port = tls ? 443 : 80;
        int colon = address.lastIndexOf(':');
        if (colon > 0 && !address.endsWith("]")) {
            host = address.substring(0, colon);
            port = port(option, address.substring(colon + 1));
        }
        if (host.isEmpty()) {
            throw UserError.usage(CliText.local("rpch.proxy-bad", "option", option, "value", address));
        }
        return new Proxy(host, port);
    }

    /**
     * Validated client options for {@code endpoint} on the server, warning about --insecure on {@code err};
     * {@code override} is {@code HOST:PORT:ADDR} from the command's {@code option}, or null.
     */
    RpchClientOptions client(Proxy proxy, int endpoint, ProxyAuth auth, PrintWriter err, String option, String override) {
        if (endpoint < 1 || endpoint > 65535) {
            throw UserError.usage(CliText.local("rpch.endpoint-bad", "endpoint", endpoint));
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw UserError.usage(CliText.local("rpch.timeout-bad", "timeout", timeoutSeconds));
        }
        ClientOptions.warnInsecure(insecure, err);
        RpchClientOptions.Builder b = RpchClientOptions.builder(proxy.host(), proxy.port(), server, endpoint).tls(tls)
                .insecure(insecure).trust(ClientOptions.trust(trust)).auth(auth).timeouts(Duration.ofSeconds(timeoutSeconds));
        if (override != null) {
            b.addressOverride(address(option, override, proxy.host(), proxy.port()));
        }
        return b.build();
    }

    /** HTTP authentication to the proxy: --proxy-auth, or NTLM when there is a --user. */
    ProxyAuth auth() {
        String scheme = proxyAuth == null ? (user == null ? "none" : "ntlm") : proxyAuth.toLowerCase(Locale.ROOT);
        if (!scheme.equals("none") && !scheme.equals("basic") && !scheme.equals("ntlm")) {
            throw UserError.usage(CliText.local("rpch.proxy-auth-bad", "value", proxyAuth));
        }
        if (scheme.equals("none")) {
            return new ProxyAuth.None();
        }
        String password = password("--proxy-auth " + scheme);
        return scheme.equals("basic") ? new ProxyAuth.Basic(user, password)
                : new ProxyAuth.Ntlm(NtlmCredentials.parse(user, password), "");
    }

    /** The --user account with its password, for what {@code needs} names. */
    NtlmCredentials credentials(String needs) {
        return NtlmCredentials.parse(user, password(needs));
    }

    /** The DCE/RPC authentication level {@code --rpc-auth} names; a word it does not know is a usage error. */
    static int rpcAuthLevel(String word) {
        try {
            return RpcAuth.levelOf(word);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(CliText.local("rpch.rpc-auth-bad", "value", word));
        }
    }

    static String authName(ProxyAuth a) {
        return a instanceof ProxyAuth.Basic ? "basic" : a instanceof ProxyAuth.Ntlm ? "ntlm" : "no authentication";
    }

    private String password(String needs) {
        if (user == null || user.isBlank()) {
            throw UserError.usage(CliText.local("rpch.needs-user", "needs", needs));
        }
        String password = environment.apply(passwordEnv);
        if (password == null) {
            throw UserError.usage(CliText.local("rpch.no-password", "variable", passwordEnv));
        }
        return password;
    }

    private static InetAddress address(String option, String override, String host, int port) {
        String[] parts = override.split(":", 3);
        if (parts.length != 3) {
            throw UserError.usage(CliText.local("rpch.resolve-bad", "option", option, "value", override));
        }
        if (!parts[0].equalsIgnoreCase(host) || port(option, parts[1]) != port) {
            throw UserError.usage(CliText.local("rpch.resolve-other", "option", option, "given", parts[0] + ":" + parts[1],
                    "proxy", host + ":" + port));
        }
        String addr = parts[2].startsWith("[") && parts[2].endsWith("]") ? parts[2].substring(1, parts[2].length() - 1) : parts[2];
        if (!addr.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            throw UserError.usage(CliText.local("rpch.resolve-address-bad", "option", option, "value", parts[2]));
        }
        try {
            return InetAddress.getByName(addr); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw UserError.usage(CliText.local("rpch.resolve-address-bad", "option", option, "value", parts[2]));
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
        throw UserError.usage(CliText.local("rpch.port-bad", "option", option, "value", text));
    }
}
