package dev.anywhere.analyzer.profile;

import dev.anywhere.autodiscover.pox.Account;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.Protocol;
import dev.anywhere.autodiscover.pox.ProtocolType;
import dev.anywhere.autodiscover.pox.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What an Outlook profile keeps from Autodiscover: the mailbox server (EXCH) and the Exchange Proxy Settings (EXPR),
 * plus when it was last refreshed and when the next refresh is due.
 *
 * @param email the account
 * @param exchServer EXCH Server (RPC/TCP)
 * @param proxyServer PR_ROH_PROXY_SERVER (0x6622): EXPR Server
 * @param principal PR_ROH_PROXY_PRINCIPAL_NAME (0x6625), msstd:…
 * @param authScheme PR_ROH_PROXY_AUTH_SCHEME (0x6627): basic, ntlm or negotiate
 * @param flags PR_ROH_FLAGS (0x6623)
 * @param ttlHours the provider TTL the server sent (default 1; 0 = never rediscover)
 * @param policy how this profile refreshes
 * @param created when the profile was created
 * @param lastRefresh when Autodiscover last ran for it
 * @param lastRefreshSucceeded whether that run succeeded
 * @param nextRefresh when it runs next; empty = never
 * @param userDn the mailbox's legacyExchangeDN from Autodiscover's User/LegacyDN (PR_PROFILE_USER): what Outlook asks
 *     the referral service and the store for
 * @param encryptRpc "Encrypt data between Microsoft Outlook and Microsoft Exchange" (on by default since Outlook 2007):
 *     binds seal at PKT_PRIVACY; off, they are only signed (PKT_INTEGRITY)
 */
public record OutlookProfile(String email, Optional<String> exchServer, Optional<String> proxyServer, Optional<String> principal,
        Optional<String> authScheme, Set<RohFlags> flags, int ttlHours, RefreshPolicy policy, Instant created, Instant lastRefresh,
        boolean lastRefreshSucceeded, Optional<Instant> nextRefresh, Optional<String> userDn, boolean encryptRpc) {

    public OutlookProfile {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(userDn, "userDn");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    /** A profile without the user's DN that encrypts, as Outlook's default. */
    public OutlookProfile(String email, Optional<String> exchServer, Optional<String> proxyServer, Optional<String> principal,
            Optional<String> authScheme, Set<RohFlags> flags, int ttlHours, RefreshPolicy policy, Instant created, Instant lastRefresh,
            boolean lastRefreshSucceeded, Optional<Instant> nextRefresh) {
        this(email, exchServer, proxyServer, principal, authScheme, flags, ttlHours, policy, created, lastRefresh, lastRefreshSucceeded,
                nextRefresh, Optional.empty(), true);
    }

    /** This profile with RPC encryption on or off. */
    public OutlookProfile withEncryptRpc(boolean on) {
        return new OutlookProfile(email, exchServer, proxyServer, principal, authScheme, flags, ttlHours, policy, created, lastRefresh,
                lastRefreshSucceeded, nextRefresh, userDn, on);
    }

    /** The settings part as Outlook derives it from an Autodiscover answer. */
    public record Settings(Optional<String> exchServer, Optional<String> proxyServer, Optional<String> principal,
            Optional<String> authScheme, Set<RohFlags> flags, int ttlHours) {

        /**
         * EXPR present ⇒ USE_ROH and the proxy; SSL On ⇒ SSL_ONLY; a principal (explicit, or implied msstd:&lt;server&gt;
         * when SSL is on) ⇒ MUTUAL_AUTH; ServerExclusiveConnect on ⇒ HTTP first on fast and slow networks, otherwise on
         * slow networks only (Outlook 2007/2010 defaults).
         */
        public static Settings from(AutodiscoverResponse response) {
            Optional<Account> account = response.account();
            Optional<Protocol> exch = account.flatMap(a -> a.protocol(ProtocolType.EXCH));
            Optional<Protocol> expr = account.flatMap(a -> a.protocol(ProtocolType.EXPR));
            EnumSet<RohFlags> flags = EnumSet.noneOf(RohFlags.class);
            Optional<String> principal = Optional.empty();
            if (expr.isPresent()) {
                Protocol p = expr.get();
                flags.add(RohFlags.USE_ROH);
                boolean ssl = p.ssl().orElse(true);
                if (ssl) {
                    flags.add(RohFlags.SSL_ONLY);
                    principal = p.certPrincipalName().filter(c -> !c.equalsIgnoreCase("none")).or(() -> p.server().map(s -> "msstd:" + s));
                    principal.ifPresent(x -> flags.add(RohFlags.MUTUAL_AUTH));
                }
                flags.add(RohFlags.HTTP_FIRST_ON_SLOW);
                if (p.serverExclusiveConnect().orElse(false)) {
                    flags.add(RohFlags.HTTP_FIRST_ON_FAST);
                }
            }
            int ttl = expr.flatMap(Protocol::ttl).or(() -> exch.flatMap(Protocol::ttl)).orElse(1);
            return new Settings(exch.flatMap(Protocol::server), expr.flatMap(Protocol::server), principal,
                    expr.flatMap(Protocol::authPackage).map(a -> a.wireName().toLowerCase(Locale.ROOT)), flags, ttl);
        }

        /** What differs from another set of settings, in words ("proxy oa.old.org -> oa.frankysweb.org"). */
        public List<String> differences(Settings other) {
            List<String> d = new ArrayList<>();
            diff(d, "mailbox server", exchServer, other.exchServer);
            diff(d, "proxy", proxyServer, other.proxyServer);
            diff(d, "principal", principal, other.principal);
            diff(d, "authentication", authScheme, other.authScheme);
            if (!flags.equals(other.flags)) {
                d.add("flags " + flags + " -> " + other.flags);
            }
            return d;
        }

        private static void diff(List<String> d, String what, Optional<String> a, Optional<String> b) {
            if (!a.map(x -> x.toLowerCase(Locale.ROOT)).equals(b.map(x -> x.toLowerCase(Locale.ROOT)))) {
                d.add(what + " " + a.orElse("(none)") + " -> " + b.orElse("(none)"));
            }
        }
    }

    public Settings settings() {
        return new Settings(exchServer, proxyServer, principal, authScheme, flags, ttlHours);
    }

    /** A new profile from a successful Autodiscover answer. */
    public static OutlookProfile create(String email, AutodiscoverResponse response, RefreshPolicy policy, Instant now,
            java.util.function.DoubleSupplier random) {
        Settings s = Settings.from(response);
        return new OutlookProfile(email, s.exchServer(), s.proxyServer(), s.principal(), s.authScheme(), s.flags(), s.ttlHours(), policy,
                now, now, true, policy.next(now, true, s.ttlHours(), random), response.user().flatMap(User::legacyDn), true);
    }

    /**
     * The profile after a refresh at {@code now}: a successful answer is applied unless the policy keeps existing
     * profiles as they are; either way the next refresh is scheduled.
     */
    public OutlookProfile refreshed(Optional<AutodiscoverResponse> answer, Instant now, java.util.function.DoubleSupplier random) {
        if (answer.isEmpty()) {
            return new OutlookProfile(email, exchServer, proxyServer, principal, authScheme, flags, ttlHours, policy, created, now, false,
                    policy.next(now, false, ttlHours, random), userDn, encryptRpc);
        }
        Settings s = Settings.from(answer.get());
        Settings keep = policy.updatesExistingProfiles() ? s : settings();
        // A profile that never learnt its DN (stored before it was kept) takes it from any answer.
        Optional<String> dn = policy.updatesExistingProfiles() || userDn.isEmpty()
                ? answer.get().user().flatMap(User::legacyDn).or(() -> userDn) : userDn;
        return new OutlookProfile(email, keep.exchServer(), keep.proxyServer(), keep.principal(), keep.authScheme(), keep.flags(),
                s.ttlHours(), policy, created, now, true, policy.next(now, true, s.ttlHours(), random), dn, encryptRpc);
    }

    /** Whether a refresh is due at {@code now}. */
    public boolean refreshDue(Instant now) {
        return nextRefresh.map(n -> !now.isBefore(n)).orElse(false);
    }
}
