package dev.anywhere.cli;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.checks.AutodiscoverPhase;
import dev.anywhere.analyzer.net.NameResolver;
import dev.anywhere.analyzer.net.TlsProbe;
import dev.anywhere.analyzer.profile.ConnectionChoice;
import dev.anywhere.analyzer.profile.OutlookProfile;
import dev.anywhere.analyzer.profile.ProfileStore;
import dev.anywhere.analyzer.profile.RefreshPolicy;
import dev.anywhere.analyzer.profile.RohFlags;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.analyzer.rpch.OutlookSequence;
import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.autodiscover.discovery.AutodiscoverClient;
import dev.anywhere.autodiscover.discovery.DiscoveryResult;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.rpc.dce.AuthVerifier;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** An Outlook-like profile: what Autodiscover gave it, when it refreshes, and which way it connects. */
@Command(name = "profile", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.profile",
        subcommands = {ProfileCommand.Create.class, ProfileCommand.Show.class, ProfileCommand.Refresh.class, ProfileCommand.Connect.class})
final class ProfileCommand {

    static final SecureRandom RANDOM = new SecureRandom();

    /** Where profiles live; the address they are for. */
    static class Common {
        @Parameters(index = "0", paramLabel = "EMAIL", descriptionKey = "email")
        String email;

        @Option(names = "--profile-dir", paramLabel = "DIR")
        Path dir = Path.of(System.getProperty("user.home"), ".anywhere", "profiles");

        @Spec
        CommandSpec spec;

        /** The texts in the JVM's language (profile has no --lang). */
        final CliText text = CliText.ofLocale();

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        ProfileStore store() {
            return new ProfileStore(dir);
        }

        OutlookProfile load() throws java.io.IOException {
            return store().load(email).orElseThrow(() -> UserError.usage(text.get("profile.none", java.util.Map.of("email", email, "dir", dir))));
        }

        static DiscoveryResult discover(AnalyzeOptions options) {
            dev.anywhere.autodiscover.discovery.DiscoveryOptions discovery;
            try {
                discovery = AutodiscoverPhase.discoveryOptions(options);
            } catch (IllegalArgumentException e) {
                // --resolve: a keyed refusal of the Autodiscover client, a usage error in the JVM's language
                throw UserError.usage(Inputs.problem(e, CliText.ofLocale()));
            }
            try (AutodiscoverClient client = new AutodiscoverClient()) {
                return client.discover(discovery);
            }
        }

        void print(OutlookProfile p) {
            out().println(text.get("profile.heading", java.util.Map.of("email", p.email(), "policy",
                    text.get(p.policy() == RefreshPolicy.LEGACY ? "profile.policy.legacy" : "profile.policy.outlook2016"))));
            String none = text.get("profile.value.none");
            java.util.Map<String, String> rows = new java.util.LinkedHashMap<>();
            rows.put("profile.field.user-dn", p.userDn().orElse(none));
            rows.put("profile.field.exch", p.exchServer().orElse(none));
            rows.put("profile.field.proxy", p.proxyServer().orElse(text.get("profile.value.no-proxy")));
            rows.put("profile.field.principal", p.principal().orElse(none));
            rows.put("profile.field.auth", p.authScheme().orElse(text.get("profile.value.default-auth")));
            rows.put("profile.field.flags", String.format(Locale.ROOT, "0x%02x %s", RohFlags.toBits(p.flags()), p.flags()));
            rows.put("profile.field.encrypt", text.get(p.encryptRpc() ? "profile.value.encrypt-on" : "profile.value.encrypt-off"));
            rows.put("profile.field.ttl", p.ttlHours() + " h");
            rows.put("profile.field.last-refresh", p.lastRefresh() + " ("
                    + text.get(p.lastRefreshSucceeded() ? "profile.value.succeeded" : "profile.value.failed") + ")");
            rows.put("profile.field.next-refresh", p.nextRefresh().map(Object::toString).orElse(text.get("profile.value.never-ttl0")));
            int width = rows.keySet().stream().mapToInt(k -> text.get(k).length()).max().orElse(0);
            rows.forEach((k, v) -> out().printf("  %-" + width + "s : %s%n", text.get(k), v));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true)
    static final class Create extends Common implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--policy", paramLabel = "outlook2016|legacy")
        String policy = "outlook2016";

        @Option(names = "--encrypt-rpc", negatable = true, defaultValue = "true", fallbackValue = "true")
        boolean encryptRpc;

        @Override
        public Integer call() throws Exception {
            RefreshPolicy p = switch (policy.toLowerCase(Locale.ROOT)) {
                case "outlook2016" -> RefreshPolicy.OUTLOOK_2016;
                case "legacy" -> RefreshPolicy.LEGACY;
                default -> throw UserError.usage(text.get("profile.policy-bad", java.util.Map.of("policy", policy)));
            };
            if (!email.contains("@")) {
                throw UserError.usage(text.get("profile.email-bad", java.util.Map.of("email", email)));
            }
            ClientOptions.warnInsecure(client.insecure, spec.commandLine().getErr());
            DiscoveryResult r = discover(client.toAnalyzeOptions(email, Vantage.UNSPECIFIED, "en", Optional.empty(), Optional.empty()));
            if (r.response().isEmpty()) {
                out().println(text.get("profile.create.no-settings", java.util.Map.of("email", email,
                        "failure", r.why().map(dev.anywhere.analyzer.text.Messages.of(text.language())::reason)
                                .orElse(text.get("profile.no-method")))));
                return Anywhere.FINDINGS;
            }
            OutlookProfile profile = OutlookProfile.create(email, r.response().get(), p, Instant.now(), RANDOM::nextDouble)
                    .withEncryptRpc(encryptRpc);
            store().save(profile);
            print(profile);
            out().println(text.get("profile.saved", java.util.Map.of("file", store().file(email))));
            return Anywhere.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true)
    static final class Show extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            print(load());
            return Anywhere.OK;
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true)
    static final class Refresh extends Common implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--force")
        boolean force;

        @Override
        public Integer call() throws Exception {
            OutlookProfile p = load();
            ClientOptions.warnInsecure(client.insecure, spec.commandLine().getErr());
            Instant now = Instant.now();
            if (!force && !p.refreshDue(now)) {
                out().println(text.get("profile.refresh.not-due", java.util.Map.of("next", p.nextRefresh().map(Object::toString).orElse(text.get("profile.value.never")))));
                return Anywhere.OK;
            }
            DiscoveryResult r = discover(client.toAnalyzeOptions(email, Vantage.UNSPECIFIED, "en", Optional.empty(), Optional.empty()));
            Optional<AutodiscoverResponse> answer = r.response();
            OutlookProfile after = p.refreshed(answer, now, RANDOM::nextDouble);
            store().save(after);
            if (answer.isEmpty()) {
                out().println(text.get("profile.refresh.failed", java.util.Map.of("failure", r.why()
                        .map(dev.anywhere.analyzer.text.Messages.of(text.language())::reason).orElse("?"),
                        "next", after.nextRefresh().map(Object::toString).orElse(text.get("profile.value.never")))));
                return Anywhere.FINDINGS;
            }
            List<String> changed = p.settings().differences(OutlookProfile.Settings.from(answer.get()));
            if (changed.isEmpty()) {
                out().println(text.get("profile.refresh.same"));
            } else if (p.policy().updatesExistingProfiles()) {
                out().println(text.get("profile.refresh.applied", java.util.Map.of("changes", String.join("; ", changed))));
            } else {
                out().println(text.get("profile.refresh.stale", java.util.Map.of("changes", String.join("; ", changed))));
                return Anywhere.FINDINGS;
            }
            return Anywhere.OK;
        }
    }

    @Command(name = "connect", mixinStandardHelpOptions = true)
    static final class Connect extends Common implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--network", paramLabel = "fast|slow")
        String network = "fast";

        @Option(names = "--format", paramLabel = "text|json")
        String format = "text";

        @Option(names = {"-v", "--verbose"})
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            if (!network.equals("fast") && !network.equals("slow")) {
                throw UserError.usage(text.get("profile.network-bad", java.util.Map.of("network", network)));
            }
            if (!format.equals("text") && !format.equals("json")) {
                throw UserError.usage(text.get("profile.format-bad", java.util.Map.of("format", format)));
            }
            OutlookProfile p = load();
            Optional<String> password = client.password();
            NameResolver resolver;
            try {
                resolver = new NameResolver(client.resolve, client.dns(), client.stepTimeout());
            } catch (IllegalArgumentException e) {
                throw UserError.usage(Inputs.problem(e, text)); // --resolve, as profile create says it
            }
            int timeout = (int) client.stepTimeout().toMillis();
            // The mailbox server counts as reachable when its RPC endpoint mapper (135) accepts a connection.
            ConnectionChoice.Choice c = ConnectionChoice.choose(p, network.equals("fast"), host -> reachable(resolver, host, 135, timeout));
            ProfileConnection report = new ProfileConnection(text, p, c);
            if (c.transport() != ConnectionChoice.Transport.EXPR_RPC_HTTP) {
                return report.print(out(), format, List.of(), Optional.empty(),
                        c.transport() == ConnectionChoice.Transport.NONE ? Anywhere.FINDINGS : Anywhere.OK);
            }
            boolean tls = p.flags().contains(RohFlags.SSL_ONLY);
            int port = tls ? client.httpsPort : client.httpPort;
            if (password.isEmpty()) {
                // Without credentials only the proxy's TCP port can be tried, as before.
                boolean ok = reachable(resolver, c.host(), port, timeout);
                return report.print(out(), format, List.of(), Optional.of(ok), ok ? Anywhere.OK : Anywhere.FINDINGS);
            }
            String userDn = p.userDn().orElseThrow(() -> UserError.usage(text.get("profile.connect.no-user-dn",
                    java.util.Map.of("email", p.email()))));
            String mailboxServer = p.exchServer().orElseThrow(() -> UserError.usage(text.get("profile.connect.no-exch",
                    java.util.Map.of("email", p.email()))));
            ClientOptions.warnInsecure(client.insecure, spec.commandLine().getErr());
            NtlmCredentials account = NtlmCredentials.parse(client.user, password.get());
            ProxyAuth proxyAuth = p.authScheme().filter("basic"::equals).isPresent() ? new ProxyAuth.Basic(client.user, password.get())
                    : new ProxyAuth.Ntlm(account, ""); // Negotiate is offered as raw NTLM, as our proxy client speaks it
            RpcAuth auth = new RpcAuth(p.encryptRpc() ? AuthVerifier.LEVEL_PKT_PRIVACY : AuthVerifier.LEVEL_PKT_INTEGRITY, account);
            NameResolver.Answer proxy = resolver.resolve(c.host(), port);
            List<Path> trust = ClientOptions.trust(client.trust);
            BiFunction<String, Integer, RpchClientOptions> options = (server, endpoint) -> {
                RpchClientOptions.Builder b = RpchClientOptions.builder(c.host(), port, server, endpoint).tls(tls).insecure(client.insecure)
                        .trust(trust).auth(proxyAuth).timeouts(client.stepTimeout());
                if (proxy.found()) {
                    b.addressOverride(proxy.addresses().get(0)); // --resolve and --dns-server answer, not the system's resolver
                }
                return b.build();
            };
            PrintWriter err = spec.commandLine().getErr();
            Transcript transcript = new Transcript(verbose ? err::println : line -> { });
            List<OutlookSequence.StepResult> steps = OutlookSequence.run(new OutlookSequence.Plan(options, auth, userDn, mailboxServer),
                    transcript);
            err.flush();
            boolean passed = steps.size() == OutlookSequence.Step.values().length && steps.stream().allMatch(OutlookSequence.StepResult::passed);
            return report.print(out(), format, steps, Optional.empty(), passed ? Anywhere.OK : Anywhere.FINDINGS);
        }

        private static boolean reachable(NameResolver resolver, String host, int port, int timeout) {
            NameResolver.Answer a = resolver.resolve(host, port);
            return a.found() && TlsProbe.connect(new InetSocketAddress(a.addresses().get(0), port), timeout) == TlsProbe.TcpResult.CONNECTED;
        }
    }
}
