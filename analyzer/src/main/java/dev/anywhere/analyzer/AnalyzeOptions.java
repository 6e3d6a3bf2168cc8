package dev.anywhere.analyzer;

import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.rpc.input.InvalidValue;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What to analyze and how, as {@code anywhere analyze} takes it.
 *
 * @param target an e-mail address (Autodiscover mode) or a domain
 * @param user the logon name (DOMAIN\\user); empty for the anonymous tier
 * @param password the password; never printed, never in a report
 * @param resolve curl-like HOST:PORT:ADDRESS overrides
 * @param dnsServer the DNS server to ask instead of the system's
 * @param trust PEM files whose CAs are trusted besides the system's trust store (every file, every certificate)
 * @param vantage inside or outside, recorded in the report
 * @param stepTimeout the per-step timeout
 * @param language en or de
 * @param manual RCA's manual mode: skip Autodiscover, use these settings
 * @param httpsPort the port for https (443; tests and shifted labs use others)
 * @param httpPort the port for the HTTP redirect method (80)
 * @param allowRedirect hosts the user consents to being redirected to (Outlook's prompt)
 * @param insecure waive certificate validation (RCA's "ignore trust for SSL"): validation problems become warnings,
 *        the steps with credentials run anyway, and the report carries a warning
 * @param profile the settings an existing Outlook profile holds, to compare with the current answer
 * @param scp where to look up Autodiscover service connection points (a domain-joined client's first method)
 * @param idleProbe how long to keep a virtual connection idle to find a hop that cuts idle connections
 * @param members the per-member comparison of an array behind the proxy's name; empty = not run
 * @param rpcEncryption Outlook's "Encrypt data between Microsoft Outlook and Microsoft Exchange": the RPC bindings
 *        after the tunnel are sealed (PKT_PRIVACY, the default) or, when off, only signed (PKT_INTEGRITY)
 */
public record AnalyzeOptions(String target, Optional<String> user, Optional<String> password, List<String> resolve,
        Optional<InetSocketAddress> dnsServer, List<Path> trust, Vantage vantage, Duration stepTimeout, String language,
        Optional<ManualSettings> manual, int httpsPort, int httpPort, List<String> allowRedirect, boolean insecure,
        Optional<dev.anywhere.analyzer.profile.OutlookProfile> profile, Optional<dev.anywhere.autodiscover.discovery.ScpSettings> scp,
        Optional<Duration> idleProbe, Optional<MemberSurvey> members, boolean rpcEncryption) {

    /**
     * The comparison of an array's members: {@code connections} connections to the public name (a round-robin
     * balancer spreads them over the members), or, when {@code addresses} are given, one to each of them instead
     * (inside, member by member).
     *
     * @param connections how many connections to the public name, 1..{@value #MAX_CONNECTIONS}
     * @param addresses members' addresses as ADDRESS or ADDRESS:PORT (the proxy's port when none is given)
     */
    public record MemberSurvey(int connections, List<String> addresses) {
        /** Default: enough for a round-robin balancer to reach each of up to six members once. */
        public static final int DEFAULT_CONNECTIONS = 6;
        /** Bounded: this is a diagnosis, not a load test. */
        public static final int MAX_CONNECTIONS = 64;

        /** Refuses connections out of range ({@code members.connections}) and a bad address ({@code members.address}). */
        public MemberSurvey {
            if (connections < 1 || connections > MAX_CONNECTIONS) {
                throw new InvalidValue("members.connections", Integer.toString(connections),
                        "connections must be between 1 and " + MAX_CONNECTIONS + ", not " + connections);
            }
            addresses = List.copyOf(addresses);
            for (String a : addresses) {
                address(a, 443);
            }
        }

        /**
         * ADDRESS or ADDRESS:PORT ({@code [v6]:PORT} in brackets), with {@code defaultPort} when none is given.
         *
         * @throws InvalidValue ({@code members.address}) for an empty address or a port that is not 1..65535
         */
        public static InetSocketAddress address(String member, int defaultPort) {
            String host = member;
            int port = defaultPort;
            int colon = member.lastIndexOf(':');
            boolean bracketed = member.startsWith("[");
            if (colon > 0 && (bracketed ? member.lastIndexOf(']') < colon : member.indexOf(':') == colon)) {
                String digits = member.substring(colon + 1);
                port = digits.matches("[0-9]{1,5}") ? Integer.parseInt(digits) : -1;
                host = member.substring(0, colon);
            }
            host = bracketed ? host.replaceAll("^\\[|\\]$", "") : host;
            if (host.isBlank() || port < 1 || port > 65535) {
                throw new InvalidValue("members.address", member, "member " + member + ": expected ADDRESS or ADDRESS:PORT (port 1..65535)");
            }
            return InetSocketAddress.createUnresolved(host, port);
        }
    }

    /**
     * RCA's manual settings.
     *
     * @param rpcProxy the proxy host (ExternalHostname)
     * @param server the RPC server name the proxy should reach (EX1, or mailboxGuid@domain)
     * @param principal the expected msstd: principal; empty = msstd:&lt;rpcProxy&gt;
     * @param proxyAuth basic or ntlm
     * @param ssl whether to use TLS to the proxy
     */
    public record ManualSettings(String rpcProxy, String server, Optional<String> principal, String proxyAuth, boolean ssl) {
    }

    public AnalyzeOptions {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(scp, "scp");
        Objects.requireNonNull(idleProbe, "idleProbe");
        Objects.requireNonNull(members, "members");
        resolve = List.copyOf(resolve);
        trust = List.copyOf(trust);
        allowRedirect = List.copyOf(allowRedirect);
    }

    /** The options with RPC encryption on, as Outlook's profiles have it by default. */
    public AnalyzeOptions(String target, Optional<String> user, Optional<String> password, List<String> resolve,
            Optional<InetSocketAddress> dnsServer, List<Path> trust, Vantage vantage, Duration stepTimeout, String language,
            Optional<ManualSettings> manual, int httpsPort, int httpPort, List<String> allowRedirect, boolean insecure,
            Optional<dev.anywhere.analyzer.profile.OutlookProfile> profile, Optional<dev.anywhere.autodiscover.discovery.ScpSettings> scp,
            Optional<Duration> idleProbe, Optional<MemberSurvey> members) {
        this(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort, httpPort,
                allowRedirect, insecure, profile, scp, idleProbe, members, true);
    }

    /** The options without the member comparison. */
    public AnalyzeOptions(String target, Optional<String> user, Optional<String> password, List<String> resolve,
            Optional<InetSocketAddress> dnsServer, List<Path> trust, Vantage vantage, Duration stepTimeout, String language,
            Optional<ManualSettings> manual, int httpsPort, int httpPort, List<String> allowRedirect, boolean insecure,
            Optional<dev.anywhere.analyzer.profile.OutlookProfile> profile, Optional<dev.anywhere.autodiscover.discovery.ScpSettings> scp,
            Optional<Duration> idleProbe) {
        this(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort, httpPort,
                allowRedirect, insecure, profile, scp, idleProbe, Optional.empty());
    }

    /** The same options without a profile to compare, as most callers use them. */
    public AnalyzeOptions(String target, Optional<String> user, Optional<String> password, List<String> resolve,
            Optional<InetSocketAddress> dnsServer, List<Path> trust, Vantage vantage, Duration stepTimeout, String language,
            Optional<ManualSettings> manual, int httpsPort, int httpPort, List<String> allowRedirect, boolean insecure) {
        this(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort, httpPort,
                allowRedirect, insecure, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The options with a stored profile to compare, without SCP lookup or idle probe. */
    public AnalyzeOptions(String target, Optional<String> user, Optional<String> password, List<String> resolve,
            Optional<InetSocketAddress> dnsServer, List<Path> trust, Vantage vantage, Duration stepTimeout, String language,
            Optional<ManualSettings> manual, int httpsPort, int httpPort, List<String> allowRedirect, boolean insecure,
            Optional<dev.anywhere.analyzer.profile.OutlookProfile> profile) {
        this(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort, httpPort,
                allowRedirect, insecure, profile, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The same options with a stored profile to compare. */
    public AnalyzeOptions withProfile(Optional<dev.anywhere.analyzer.profile.OutlookProfile> p) {
        return new AnalyzeOptions(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort,
                httpPort, allowRedirect, insecure, p, scp, idleProbe, members, rpcEncryption);
    }

    /** The same options with SCP lookup in this directory. */
    public AnalyzeOptions withScp(Optional<dev.anywhere.autodiscover.discovery.ScpSettings> s) {
        return new AnalyzeOptions(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort,
                httpPort, allowRedirect, insecure, profile, s, idleProbe, members, rpcEncryption);
    }

    /** The same options with the idle cut-off probe. */
    public AnalyzeOptions withIdleProbe(Optional<Duration> d) {
        return new AnalyzeOptions(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort,
                httpPort, allowRedirect, insecure, profile, scp, d, members, rpcEncryption);
    }

    /** The same options with the comparison of an array's members. */
    public AnalyzeOptions withMembers(Optional<MemberSurvey> m) {
        return new AnalyzeOptions(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort,
                httpPort, allowRedirect, insecure, profile, scp, idleProbe, m, rpcEncryption);
    }

    /** The same options in another report language (en or de). */
    public AnalyzeOptions withLanguage(String lang) {
        return new AnalyzeOptions(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, lang, manual, httpsPort,
                httpPort, allowRedirect, insecure, profile, scp, idleProbe, members, rpcEncryption);
    }

    /** The same options with Outlook's RPC encryption on (PKT_PRIVACY) or off (PKT_INTEGRITY). */
    public AnalyzeOptions withRpcEncryption(boolean on) {
        return new AnalyzeOptions(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort,
                httpPort, allowRedirect, insecure, profile, scp, idleProbe, members, on);
    }

    /** The mail domain: the part after @, or the target itself. */
    public String domain() {
        int at = target.lastIndexOf('@');
        return (at < 0 ? target : target.substring(at + 1)).toLowerCase(Locale.ROOT);
    }

    /** An address was given (Autodiscover needs one), not only a domain. */
    public boolean hasMailbox() {
        return target.contains("@");
    }

    /** Without a password the analyzer runs only what needs none. */
    public boolean anonymous() {
        return password.isEmpty() || user.isEmpty();
    }

    @Override
    public String toString() {
        return "AnalyzeOptions[target=" + target + ", user=" + user.orElse("(anonymous)") + ", password=" + (password.isPresent() ? "***" : "none")
                + ", vantage=" + vantage + "]";
    }
}
