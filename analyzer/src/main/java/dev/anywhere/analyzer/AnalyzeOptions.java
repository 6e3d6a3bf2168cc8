package dev.anywhere.analyzer;

import dev.anywhere.analyzer.report.Vantage;
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
 */
public record AnalyzeOptions(String target, Optional<String> user, Optional<String> password, List<String> resolve,
        Optional<InetSocketAddress> dnsServer, List<Path> trust, Vantage vantage, Duration stepTimeout, String language,
        Optional<ManualSettings> manual, int httpsPort, int httpPort, List<String> allowRedirect, boolean insecure,
        Optional<dev.anywhere.analyzer.profile.OutlookProfile> profile, Optional<dev.anywhere.autodiscover.discovery.ScpSettings> scp,
        Optional<Duration> idleProbe) {

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
        resolve = List.copyOf(resolve);
        trust = List.copyOf(trust);
        allowRedirect = List.copyOf(allowRedirect);
    }

    /** The same options without a profile to compare, as most callers use them. */
    public AnalyzeOptions(String target, Optional<String> user, Optional<String> password, List<String> resolve,
            Optional<InetSocketAddress> dnsServer, List<Path> trust, Vantage vantage, Duration stepTimeout, String language,
            Optional<ManualSettings> manual, int httpsPort, int httpPort, List<String> allowRedirect, boolean insecure) {
        this(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort, httpPort,
                allowRedirect, insecure, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The options with a stored profile to compare, without SCP lookup or idle probe. */
    public AnalyzeOptions(String target, Optional<String> user, Optional<String> password, List<String> resolve,
            Optional<InetSocketAddress> dnsServer, List<Path> trust, Vantage vantage, Duration stepTimeout, String language,
            Optional<ManualSettings> manual, int httpsPort, int httpPort, List<String> allowRedirect, boolean insecure,
            Optional<dev.anywhere.analyzer.profile.OutlookProfile> profile) {
        this(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort, httpPort,
                allowRedirect, insecure, profile, Optional.empty(), Optional.empty());
    }

    /** The same options with a stored profile to compare. */
    public AnalyzeOptions withProfile(Optional<dev.anywhere.analyzer.profile.OutlookProfile> p) {
        return new AnalyzeOptions(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort,
                httpPort, allowRedirect, insecure, p, scp, idleProbe);
    }

    /** The same options with SCP lookup in this directory. */
    public AnalyzeOptions withScp(Optional<dev.anywhere.autodiscover.discovery.ScpSettings> s) {
        return new AnalyzeOptions(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort,
                httpPort, allowRedirect, insecure, profile, s, idleProbe);
    }

    /** The same options with the idle cut-off probe. */
    public AnalyzeOptions withIdleProbe(Optional<Duration> d) {
        return new AnalyzeOptions(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, language, manual, httpsPort,
                httpPort, allowRedirect, insecure, profile, scp, d);
    }

    /** The same options in another report language (en or de). */
    public AnalyzeOptions withLanguage(String lang) {
        return new AnalyzeOptions(target, user, password, resolve, dnsServer, trust, vantage, stepTimeout, lang, manual, httpsPort,
                httpPort, allowRedirect, insecure, profile, scp, idleProbe);
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
