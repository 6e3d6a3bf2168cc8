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
@Command(name = "profile", mixinStandardHelpOptions = true, description = "Keep an Outlook-like profile: create it from Autodiscover, "
        + "show it, refresh it as Outlook 2016 (or an old client that never updates) would, and connect with it.",
        subcommands = {ProfileCommand.Create.class, ProfileCommand.Show.class, ProfileCommand.Refresh.class, ProfileCommand.Connect.class})
final class ProfileCommand {

    static final SecureRandom RANDOM = new SecureRandom();

    /** Where profiles live; the address they are for. */
    static class Common {
        @Parameters(index = "0", paramLabel = "EMAIL", description = "The account, user@domain.")
        String email;

        @Option(names = "--profile-dir", paramLabel = "DIR", description = "Where profiles are kept (default: ${DEFAULT-VALUE}).")
        Path dir = Path.of(System.getProperty("user.home"), ".anywhere", "profiles");

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        ProfileStore store() {
            return new ProfileStore(dir);
        }

        OutlookProfile load() throws java.io.IOException {
            return store().load(email).orElseThrow(() -> UserError.usage("no profile for " + email + " in " + dir
                    + " (create one with 'anywhere profile create " + email + "')"));
        }

        static DiscoveryResult discover(AnalyzeOptions options) {
            try (AutodiscoverClient client = new AutodiscoverClient()) {
                return client.discover(AutodiscoverPhase.discoveryOptions(options));
            }
        }

        void print(OutlookProfile p) {
            out().printf("Profile %s (%s policy)%n", p.email(), p.policy() == RefreshPolicy.LEGACY ? "legacy: never updates" : "Outlook 2016");
            out().printf("  Mailbox server (EXCH) : %s%n", p.exchServer().orElse("(none)"));
            out().printf("  Proxy server          : %s%n", p.proxyServer().orElse("(Outlook Anywhere not configured)"));
            out().printf("  Principal (msstd:)    : %s%n", p.principal().orElse("(none)"));
            out().printf("  Proxy authentication  : %s%n", p.authScheme().orElse("(default: NTLM)"));
            out().printf("  PR_ROH_FLAGS          : 0x%02x %s%n", RohFlags.toBits(p.flags()), p.flags());
            out().printf("  Server TTL            : %d h%n", p.ttlHours());
            out().printf("  Last refresh          : %s (%s)%n", p.lastRefresh(), p.lastRefreshSucceeded() ? "succeeded" : "failed");
            out().printf("  Next refresh          : %s%n", p.nextRefresh().map(Object::toString).orElse("never (TTL 0)"));
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Run Autodiscover and store a new profile.")
    static final class Create extends Common implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--policy", paramLabel = "outlook2016|legacy", description = "Refresh policy (default: ${DEFAULT-VALUE}).")
        String policy = "outlook2016";

        @Override
        public Integer call() throws Exception {
            RefreshPolicy p = switch (policy.toLowerCase(Locale.ROOT)) {
                case "outlook2016" -> RefreshPolicy.OUTLOOK_2016;
                case "legacy" -> RefreshPolicy.LEGACY;
                default -> throw UserError.usage("--policy: '" + policy + "' (expected: outlook2016 or legacy)");
            };
            if (!email.contains("@")) {
                throw UserError.usage("EMAIL: '" + email + "' (expected: user@domain)");
            }
            ClientOptions.warnInsecure(client.insecure, spec.commandLine().getErr());
            DiscoveryResult r = discover(client.toAnalyzeOptions(email, Vantage.UNSPECIFIED, "en", Optional.empty(), Optional.empty()));
            if (r.response().isEmpty()) {
                out().printf("Autodiscover found no settings for %s: %s. Run 'anywhere analyze %s' for the reasons.%n", email,
                        r.failure().orElse("no method succeeded"), email);
                return Anywhere.FINDINGS;
            }
            OutlookProfile profile = OutlookProfile.create(email, r.response().get(), p, Instant.now(), RANDOM::nextDouble);
            store().save(profile);
            print(profile);
            out().printf("Saved to %s%n", store().file(email));
            return Anywhere.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a stored profile.")
    static final class Show extends Common implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            print(load());
            return Anywhere.OK;
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true, description = "Run Autodiscover for the profile if a refresh is due "
            + "(or with --force), and apply the answer as the profile's policy does.")
    static final class Refresh extends Common implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--force", description = "Refresh now even if not due (Outlook's 'Repair').")
        boolean force;

        @Override
        public Integer call() throws Exception {
            OutlookProfile p = load();
            ClientOptions.warnInsecure(client.insecure, spec.commandLine().getErr());
            Instant now = Instant.now();
            if (!force && !p.refreshDue(now)) {
                out().printf("Not due: next refresh %s (use --force to refresh now).%n", p.nextRefresh().map(Object::toString).orElse("never"));
                return Anywhere.OK;
            }
            DiscoveryResult r = discover(client.toAnalyzeOptions(email, Vantage.UNSPECIFIED, "en", Optional.empty(), Optional.empty()));
            Optional<AutodiscoverResponse> answer = r.response();
            OutlookProfile after = p.refreshed(answer, now, RANDOM::nextDouble);
            store().save(after);
            if (answer.isEmpty()) {
                out().printf("Autodiscover failed (%s); the profile keeps its settings; next try %s.%n", r.failure().orElse("?"),
                        after.nextRefresh().map(Object::toString).orElse("never"));
                return Anywhere.FINDINGS;
            }
            List<String> changed = p.settings().differences(OutlookProfile.Settings.from(answer.get()));
            if (changed.isEmpty()) {
                out().println("Autodiscover gives the same settings; the profile is up to date.");
            } else if (p.policy().updatesExistingProfiles()) {
                out().printf("Applied: %s. Outlook would now ask to restart (\"The Microsoft Exchange administrator has made a change\").%n",
                        String.join("; ", changed));
            } else {
                out().printf("Autodiscover now says: %s. This profile's policy never updates an existing profile: it stays stale. "
                        + "Create a new profile to use the new settings.%n", String.join("; ", changed));
                return Anywhere.FINDINGS;
            }
            return Anywhere.OK;
        }
    }

    @Command(name = "connect", mixinStandardHelpOptions = true, description = "Choose EXCH (RPC over TCP) or EXPR (RPC over HTTP) as "
            + "Outlook would, say why, and try to reach the chosen server.")
    static final class Connect extends Common implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--network", paramLabel = "fast|slow", description = "How Outlook rates the link (default: ${DEFAULT-VALUE}).")
        String network = "fast";

        @Override
        public Integer call() throws Exception {
            if (!network.equals("fast") && !network.equals("slow")) {
                throw UserError.usage("--network: '" + network + "' (expected: fast or slow)");
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
