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
import dev.anywhere.autodiscover.discovery.AutodiscoverClient;
import dev.anywhere.autodiscover.discovery.DiscoveryResult;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
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
            try (AutodiscoverClient client = new AutodiscoverClient()) {
                return client.discover(AutodiscoverPhase.discoveryOptions(options));
            }
        }

        void print(OutlookProfile p) {
            out().println(text.get("profile.heading", java.util.Map.of("email", p.email(), "policy",
                    text.get(p.policy() == RefreshPolicy.LEGACY ? "profile.policy.legacy" : "profile.policy.outlook2016"))));
            String none = text.get("profile.value.none");
            java.util.Map<String, String> rows = new java.util.LinkedHashMap<>();
            rows.put("profile.field.exch", p.exchServer().orElse(none));
            rows.put("profile.field.proxy", p.proxyServer().orElse(text.get("profile.value.no-proxy")));
            rows.put("profile.field.principal", p.principal().orElse(none));
            rows.put("profile.field.auth", p.authScheme().orElse(text.get("profile.value.default-auth")));
            rows.put("profile.field.flags", String.format(Locale.ROOT, "0x%02x %s", RohFlags.toBits(p.flags()), p.flags()));
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
                        "failure", r.failure().orElse(text.get("profile.no-method")))));
                return Anywhere.FINDINGS;
            }
            OutlookProfile profile = OutlookProfile.create(email, r.response().get(), p, Instant.now(), RANDOM::nextDouble);
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
                out().println(text.get("profile.refresh.failed", java.util.Map.of("failure", r.failure().orElse("?"),
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

        @Override
        public Integer call() throws Exception {
            if (!network.equals("fast") && !network.equals("slow")) {
                throw UserError.usage(text.get("profile.network-bad", java.util.Map.of("network", network)));
            }
            OutlookProfile p = load();
            NameResolver resolver = new NameResolver(client.resolve, client.dns(), client.stepTimeout());
            int timeout = (int) client.stepTimeout().toMillis();
            // The mailbox server counts as reachable when its RPC endpoint mapper (135) accepts a connection.
            ConnectionChoice.Choice c = ConnectionChoice.choose(p, network.equals("fast"), host -> reachable(resolver, host, 135, timeout));
            out().printf("Connection: %s to %s%n  because %s%n", c.transport() == ConnectionChoice.Transport.EXCH_RPC_TCP ? "RPC over TCP (EXCH)"
                    : c.transport() == ConnectionChoice.Transport.EXPR_RPC_HTTP ? "RPC over HTTP (EXPR)" : "none", c.host(), c.reason());
            if (c.transport() == ConnectionChoice.Transport.EXPR_RPC_HTTP) {
                boolean ok = reachable(resolver, c.host(), client.httpsPort, timeout);
                out().printf("  %s: %s:%d %s%n", ok ? "ok" : "FAIL", c.host(), client.httpsPort, ok ? "accepts connections"
                        : "cannot be reached (run 'anywhere analyze " + p.email() + "')");
                return ok ? Anywhere.OK : Anywhere.FINDINGS;
            }
            return c.transport() == ConnectionChoice.Transport.NONE ? Anywhere.FINDINGS : Anywhere.OK;
        }

        private static boolean reachable(NameResolver resolver, String host, int port, int timeout) {
            NameResolver.Answer a = resolver.resolve(host, port);
            return a.found() && TlsProbe.connect(new InetSocketAddress(a.addresses().get(0), port), timeout) == TlsProbe.TcpResult.CONNECTED;
        }
    }
}
