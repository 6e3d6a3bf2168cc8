package dev.anywhere.analyzer.checks;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.check.Check;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.check.Outcome;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.autodiscover.discovery.Attempt;
import dev.anywhere.autodiscover.discovery.AutodiscoverClient;
import dev.anywhere.autodiscover.discovery.BasicCredentials;
import dev.anywhere.autodiscover.discovery.DiscoveryMethod;
import dev.anywhere.autodiscover.discovery.DiscoveryOptions;
import dev.anywhere.autodiscover.discovery.DiscoveryResult;
import dev.anywhere.autodiscover.discovery.HttpTranscript;
import dev.anywhere.autodiscover.pox.Account;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.Protocol;
import dev.anywhere.autodiscover.pox.ProtocolType;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * RCA's Autodiscover phase: every method Outlook tries, each attempt with its DNS, TCP, certificate and HTTP steps,
 * then the XML checks on the answer that won.
 */
public final class AutodiscoverPhase {

    private final AnalyzeOptions options;
    private final FindingCatalogue catalogue;
    private final Collection<X509Certificate> roots;
    private final Messages text;

    public AutodiscoverPhase(AnalyzeOptions options, FindingCatalogue catalogue, Collection<X509Certificate> roots) {
        this.options = options;
        this.catalogue = catalogue;
        this.roots = roots;
        this.text = Messages.of(options.language());
    }

    public Check check() {
        String title = text.get("check.autodiscover.title", Map.of("target", options.target()));
        // Discovery tries up to five methods, each with its own step timeout.
        Duration budget = options.stepTimeout().multipliedBy(6);
        return Check.of("autodiscover", title, ctx -> {
            DiscoveryResult result;
            try (AutodiscoverClient client = new AutodiscoverClient()) {
                result = client.discover(discoveryOptions());
            }
            List<CheckResult> attempts = new ArrayList<>();
            for (Attempt a : result.attempts()) {
                attempts.add(attempt(a, result.succeeded()));
            }
            if (!result.succeeded() || result.response().isEmpty()) {
                // The cause first (what broke https://autodiscover.<domain>), then the consequence.
                List<Finding> findings = new ArrayList<>(cause(result.attempts()));
                findings.add(catalogue.finding("autodiscover.no-method-worked", Map.of("domain", options.domain())));
                return new Outcome(CheckStatus.FAILED, text.get("summary.autodiscover.no-method"),
                        List.of(), findings).withResults(attempts);
            }
            ctx.put(Keys.AUTODISCOVER_RESPONSE, result.response().get());
            result.attempts().stream().filter(a -> a.outcome() == dev.anywhere.autodiscover.discovery.Outcome.ACCEPTED)
                    .filter(a -> a.connectedTo().isPresent()).findFirst()
                    .ifPresent(a -> ctx.put(Keys.AUTODISCOVER_ANSWERED, new Answered(hostOf(a.url()), a.connectedTo().get())));
            // The attempt that gave the settings: where the members are asked again, one connection each.
            result.attempts().stream().filter(a -> a.lastStatus() == 200 && a.connectedTo().isPresent()
                    && result.acceptedUrl().filter(a.url()::equals).isPresent()).reduce((x, y) -> y)
                    .ifPresent(a -> ctx.put(Keys.AUTODISCOVER_ACCEPTED, new Accepted(a.url(), a.method(), a.connectedTo().get())));
            Map<String, Object> answer = Map.of("url", result.acceptedUrl().orElse("?"), "redirects", result.redirects());
            return Outcome.passed(text.get(result.redirects() > 0 ? "summary.autodiscover.answer-redirected" : "summary.autodiscover.answer",
                    answer)).withResults(attempts);
        }).withTimeout(budget).withChildren(options.profile().isPresent() ? List.of(settingsCheck(), profileCheck()) : List.of(settingsCheck()));
    }

    /** Compares the stored profile with the answer Autodiscover gives now: what an existing Outlook still uses. */
    private Check profileCheck() {
        return Check.of("autodiscover.profile", text.get("check.autodiscover.profile.title"), ctx -> {
            AutodiscoverResponse r = ctx.require(Keys.AUTODISCOVER_RESPONSE, AutodiscoverResponse.class);
            dev.anywhere.analyzer.profile.OutlookProfile p = options.profile().get();
            List<String> d = p.settings().differences(dev.anywhere.analyzer.profile.OutlookProfile.Settings.from(r));
            if (d.isEmpty()) {
                return Outcome.passed(text.get("summary.autodiscover.profile.current", Map.of("when", p.lastRefresh())));
            }
            return Outcome.warning(String.join("; ", d), catalogue.finding("profile.stale", Map.of("detail", String.join("; ", d)
                    + ", " + (p.policy().updatesExistingProfiles() ? text.get("detail.profile.next-refresh", Map.of("when",
                            p.nextRefresh().map(Object::toString).orElse(text.get("detail.profile.never"))))
                            : text.get("detail.profile.legacy")))));
        });
    }

    private DiscoveryOptions discoveryOptions() {
        return discoveryOptions(options);
    }

    /** Discovery as the analyzer and the profile commands run it, from the analyzer's options. */
    public static DiscoveryOptions discoveryOptions(AnalyzeOptions options) {
        return discoveryBuilder(options).build();
    }

    /** {@link #discoveryOptions}, still open for more (an address override per member). */
    static DiscoveryOptions.Builder discoveryBuilder(AnalyzeOptions options) {
        DiscoveryOptions.Builder b = DiscoveryOptions.builder(options.target()).stepTimeout(options.stepTimeout())
                .httpsPort(options.httpsPort()).httpPort(options.httpPort());
        // SCP lookup is what domain-joined clients do first; without a directory to ask it is excluded, as from outside.
        if (options.scp().isPresent()) {
            b.scp(options.scp().get());
        } else {
            b.excludeScpLookup();
        }
        if (!options.anonymous()) {
            b.credentials(new BasicCredentials(options.user().get(), options.password().get()));
        }
        options.resolve().forEach(b::resolve);
        options.dnsServer().ifPresent(b::dnsServer);
        // The system's trust store plus every --trust file; only the user's --insecure turns validation off.
        b.trustAnchorsPem(options.trust()).insecure(options.insecure());
        options.allowRedirect().forEach(b::allowRedirect);
        return b;
    }

    CheckResult attempt(Attempt a, boolean someoneSucceeded) {
        String id = "autodiscover." + a.method().name().toLowerCase(Locale.ROOT).replace('_', '-');
        List<CheckResult> steps = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        a.dnsAnswer().ifPresent(d -> steps.add(leaf(id + ".dns", text.get("check.dns.title"), CheckStatus.PASSED, dnsSummary(d))));
        a.connectedTo().ifPresent(c -> steps.add(leaf(id + ".tcp", text.get("check.tcp.title"),
                CheckStatus.PASSED, text.get("summary.tcp.connected", Map.of("address", c, "ms", a.tcpConnectMillis().orElse(0L))))));
        a.tls().ifPresent(tls -> {
            if (!tls.peerCertificates().isEmpty()) {
                String host = hostOf(a.url());
                CertificateEvaluation.Verdict v = CertificateEvaluation.evaluate(tls.peerCertificates(), host, Optional.of(options.domain()),
                        roots, Instant.now(), catalogue);
                List<Finding> found = CertificateEvaluation.waived(v.findings(), options.insecure());
                CheckStatus s = worst(found);
                // A certificate the client refused ends the handshake: no protocol or suite to show, so say that.
                String summary = tls.protocol().isPresent() ? tls.protocol().get() + " " + tls.cipherSuite().orElse("")
                        : text.get("summary.tls.failed");
                steps.add(new CheckResult(id + ".certificate", text.get("check.certificate.title"), s,
                        summary, tls.handshakeMillis(),
                        List.of(new Evidence(text.get("evidence.certificate"), v.description())),
                        a.outcome() == dev.anywhere.autodiscover.discovery.Outcome.ACCEPTED ? found : List.of(), List.of()));
            } else {
                tls.failure().ifPresent(f -> steps.add(leaf(id + ".tls", text.get("check.tls.title"), CheckStatus.FAILED,
                        text.get(closedWithoutAnswer(f) ? "cause.closed" : "summary.tls.failed"))));
            }
        });
        if (!a.http().isEmpty()) {
            StringBuilder t = new StringBuilder();
            for (HttpTranscript h : a.http()) {
                t.append(h.method()).append(' ').append(h.target()).append('\n');
                h.requestHeaders().forEach(e -> t.append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
                t.append("\n").append(h.status()).append('\n');
                h.responseHeaders().forEach(e -> t.append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
                if (!h.responseBody().isEmpty()) {
                    t.append('\n').append(h.responseBody().length() > 2000 ? h.responseBody().substring(0, 2000) + "…" : h.responseBody()).append('\n');
                }
                t.append("---\n");
            }
            steps.add(new CheckResult(id + ".http", text.get("check.autodiscover.http.title"),
                    a.outcome() == dev.anywhere.autodiscover.discovery.Outcome.ACCEPTED ? CheckStatus.PASSED
                            : someoneSucceeded ? CheckStatus.SKIPPED : CheckStatus.FAILED,
                    "HTTP " + a.lastStatus(), 0, List.of(new Evidence(text.get("evidence.http-transcript"), t.toString())), List.of(), List.of()));
        }
        // A method that does not apply (no record, nothing listening, 404) before another one works is normal:
        // Outlook moves on. It is a failure only when no method worked; a junk answer is a finding of its own below.
        CheckStatus status = switch (a.outcome()) {
            case ACCEPTED -> CheckStatus.PASSED;
            case SKIPPED -> CheckStatus.SKIPPED;
            case FAILED -> someoneSucceeded ? CheckStatus.SKIPPED : CheckStatus.FAILED;
        };
        if (a.method() == DiscoveryMethod.HTTPS_ROOT_DOMAIN && a.outcome() != dev.anywhere.autodiscover.discovery.Outcome.ACCEPTED
                && a.lastStatus() > 0 && a.lastStatus() != 404 && a.lastStatus() != 401) {
            findings.add(catalogue.finding("autodiscover.junk-on-root-domain",
                    Map.of("domain", options.domain(), "status", a.lastStatus(), "detail", text.reason(a.why()))));
        }
        if (a.method() == DiscoveryMethod.HTTP_REDIRECT && a.reason().toLowerCase(Locale.ROOT).contains("consent")) {
            findings.add(catalogue.finding("autodiscover.redirect-needs-consent", Map.of("domain", options.domain(), "target", a.url())));
        }
        // Outlook's fallback when HTTPS fails: a port 80 that refuses, closes or answers without a redirect.
        if (a.method() == DiscoveryMethod.HTTP_REDIRECT && a.outcome() == dev.anywhere.autodiscover.discovery.Outcome.FAILED
                && !someoneSucceeded && !a.reason().toLowerCase(Locale.ROOT).contains("consent")) {
            findings.add(catalogue.finding("autodiscover.redirect-unreachable", Map.of("domain", options.domain(), "port", options.httpPort(),
                    "detail", summary(a))));
        }
        if (a.method() == DiscoveryMethod.SRV_RECORD && a.outcome() != dev.anywhere.autodiscover.discovery.Outcome.ACCEPTED
                && a.connectedTo().isEmpty() && !someoneSucceeded) {
            findings.add(catalogue.finding("dns.srv-missing", Map.of("domain", options.domain())));
        }
        return new CheckResult(id, title(a), status, summary(a), a.elapsedMillis(), List.of(), findings, steps);
    }

    /**
     * Why the canonical attempt (https://autodiscover.&lt;domain&gt;) failed, as the RPC phase would say it for its
     * host: no DNS record, nothing listening, another server's certificate, or the certificate's own findings; empty
     * when it failed at the HTTP level (401, 404, 5xx), which the attempt's transcript shows.
     */
    private List<Finding> cause(List<Attempt> attempts) {
        Optional<Attempt> canonical = attempts.stream().filter(a -> a.method() == DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN).findFirst();
        if (canonical.isEmpty() || canonical.get().outcome() == dev.anywhere.autodiscover.discovery.Outcome.ACCEPTED) {
            return List.of();
        }
        Attempt a = canonical.get();
        String host = hostOf(a.url());
        if (a.dnsAnswer().isEmpty()) {
            return List.of(catalogue.finding("dns.host-not-found", Map.of("host", host, "resolver", options.dnsServer()
                    .map(d -> d.getAddress().getHostAddress() + ":" + d.getPort()).orElse(text.get("detail.system-resolver")),
                    "rcode", rcode(a.reason(), text))));
        }
        String address = a.connectedTo().map(c -> c.substring(0, c.lastIndexOf(':'))).orElse(a.dnsAnswer().get());
        if (a.tcpConnectMillis().isEmpty()) {
            String why = a.reason().toLowerCase(Locale.ROOT);
            Map<String, Object> v = Map.of("address", address, "port", options.httpsPort());
            return why.contains("refused") ? List.of(catalogue.finding("tcp.refused", v))
                    : why.contains("timed out") ? List.of(catalogue.finding("tcp.timeout", v)) : List.of();
        }
        if (a.tls().isEmpty()) {
            return List.of();
        }
        var tls = a.tls().get();
        if (tls.peerCertificates().isEmpty()) {
            if (tls.failure().isEmpty()) {
                return List.of();
            }
            // Accepted, then closed before the server said a word: the port forward leads to a host where nothing
            // listens (the router relays, the inside host refuses). Not a TLS problem to the person who must fix it.
            if (closedWithoutAnswer(tls.failure().get())) {
                return List.of(catalogue.finding("tcp.closed-on-connect", Map.of("address", address, "port", options.httpsPort(), "host", host)));
            }
            return List.of(catalogue.finding("tls.handshake-failed", Map.of("host", host, "reason", text.get("cause.tls"))));
        }
        X509Certificate leaf = tls.peerCertificates().get(0);
        List<String> names = new ArrayList<>(CertificateEvaluation.dnsNames(leaf));
        CertificateEvaluation.commonName(leaf).ifPresent(names::add);
        // A certificate naming nothing of the organisation (router.lan for frankysweb.org) is another server's.
        String label = options.domain().split("\\.")[0];
        if (names.stream().noneMatch(n -> n.toLowerCase(Locale.ROOT).contains(label))) {
            // The answerer as it names itself (its Server header), as the RPC phase says it.
            String answerer = a.http().isEmpty() ? text.get("detail.unnamed-server") : a.http().get(a.http().size() - 1).responseHeaders()
                    .stream().filter(h -> h.getKey().equalsIgnoreCase("Server")).map(Map.Entry::getValue).findFirst()
                    .orElse(text.get("detail.unnamed-server"));
            return List.of(catalogue.finding("tcp.other-server-answers", Map.of("address", address, "port",
                    options.httpsPort(), "host", host, "subject", leaf.getSubjectX500Principal().getName(), "answerer", answerer)));
        }
        CertificateEvaluation.Verdict v = CertificateEvaluation.evaluate(tls.peerCertificates(), host, Optional.of(options.domain()), roots,
                Instant.now(), catalogue);
        return CertificateEvaluation.waived(v.findings(), options.insecure());
    }

    private String title(Attempt a) {
        return switch (a.method()) {
            case HTTP_REDIRECT -> text.get("check.autodiscover.http-redirect.title", Map.of("url", a.url()));
            case SRV_RECORD -> text.get("check.autodiscover.srv.title", Map.of("url", a.url()));
            case SCP -> text.get("check.autodiscover.scp.title", Map.of("url", a.url()));
            default -> text.get("check.autodiscover.url.title", Map.of("url", a.url()));
        };
    }

    /**
     * How an attempt ended, in the report's language, told from what the attempt saw (the discovery module's own
     * reason is an English line; it stays out of the report so German output is German throughout).
     */
    private String summary(Attempt a) {
        Map<String, Object> v = new HashMap<>();
        v.put("host", hostOf(a.url()));
        v.put("url", a.url());
        v.put("status", a.lastStatus());
        if (a.outcome() == dev.anywhere.autodiscover.discovery.Outcome.ACCEPTED) {
            return text.get("summary.autodiscover.attempt.accepted", v);
        }
        if (a.method() == DiscoveryMethod.HTTP_REDIRECT && a.reason().toLowerCase(Locale.ROOT).contains("consent")) {
            return text.get("summary.autodiscover.attempt.needs-consent", v);
        }
        String reason = a.reason();
        if (reason.startsWith("excluded (")) {
            v.put("switch", reason.substring("excluded (".length(), reason.length() - 1));
            return text.get("summary.autodiscover.attempt.excluded", v);
        }
        if (reason.startsWith("already tried")) {
            return text.get("summary.autodiscover.attempt.already-tried", v);
        }
        if (reason.startsWith("junk answer")) {
            return text.get("summary.autodiscover.attempt.junk", v);
        }
        if (a.method() == DiscoveryMethod.SCP) {
            return text.get("summary.autodiscover.attempt.scp-failed", v);
        }
        if (a.outcome() == dev.anywhere.autodiscover.discovery.Outcome.SKIPPED) {
            return text.get(a.lastStatus() > 0 ? "summary.autodiscover.attempt.http-status" : "summary.autodiscover.attempt.skipped", v);
        }
        if (a.method() == DiscoveryMethod.SRV_RECORD && a.dnsAnswer().map(d -> d.startsWith("no ")).orElse(true)) {
            return text.get("summary.autodiscover.attempt.no-srv", v);
        }
        if (a.dnsAnswer().isEmpty()) {
            return text.get("summary.dns.not-found", v);
        }
        if (a.connectedTo().isEmpty()) {
            return text.get(a.reason().toLowerCase(Locale.ROOT).contains("timed out") ? "summary.tcp.timeout" : "summary.tcp.refused");
        }
        if (a.tls().flatMap(t -> t.failure()).isPresent() || a.tls().map(t -> t.peerCertificates().isEmpty()).orElse(false)
                && a.lastStatus() == 0) {
            return text.get("summary.tls.failed");
        }
        if (a.lastStatus() == 0 && a.tls().isPresent() && !a.url().startsWith("http:")) {
            return text.get("summary.autodiscover.attempt.certificate-refused", v);
        }
        return text.get(a.lastStatus() > 0 ? "summary.autodiscover.attempt.http-status" : "summary.autodiscover.attempt.failed", v);
    }

    /** XML checks on the winning answer: EXCH, EXPR, AuthPackage, Server, SSL. */
    private Check settingsCheck() {
        return Check.of("autodiscover.settings", text.get("check.autodiscover.settings.title"), ctx -> {
            AutodiscoverResponse r = ctx.require(Keys.AUTODISCOVER_RESPONSE, AutodiscoverResponse.class);
            if (r.error().isPresent()) {
                var e = r.error().get();
                return Outcome.failed(text.get("summary.autodiscover.settings.error", Map.of("code", e.errorCode().value())), catalogue.finding("autodiscover.error-response",
                        Map.of("code", e.errorCode().value(), "message", e.message().orElse(""))));
            }
            Optional<Account> account = r.account();
            Optional<Protocol> exch = account.flatMap(a -> a.protocol(ProtocolType.EXCH));
            Optional<Protocol> expr = account.flatMap(a -> a.protocol(ProtocolType.EXPR));
            String exchServer = exch.flatMap(Protocol::server).orElse("");
            String none = text.get("detail.none");
            Outcome o = Outcome.passed((exch.isPresent() ? "EXCH " + exchServer : text.get("detail.no-exch")) + ", "
                    + expr.map(p -> "EXPR " + p.server().orElse("?") + " SSL " + (p.ssl().orElse(false) ? "On" : "Off") + " AuthPackage "
                            + p.authPackage().map(x -> x.wireName()).orElse(none) + " CertPrincipalName "
                            + p.certPrincipalName().orElse(none)).orElse(text.get("detail.no-expr")));
            Map<String, Object> v = new HashMap<>();
            v.put("domain", options.domain());
            v.put("server", exchServer.isEmpty() ? "EX1" : exchServer.split("\\.")[0].toUpperCase(Locale.ROOT));
            v.put("exchange", v.get("server"));
            if (exch.isEmpty()) {
                o = o.with(catalogue.finding("autodiscover.missing-exch", v));
            }
            if (expr.isEmpty()) {
                return o.with(catalogue.finding("autodiscover.missing-expr", v));
            }
            Protocol p = expr.get();
            v.put("server", p.server().orElse(""));
            if (p.authPackage().isEmpty()) {
                o = o.with(catalogue.finding("autodiscover.missing-authpackage", v));
            }
            if (!p.ssl().orElse(true)) {
                o = o.with(catalogue.finding("autodiscover.expr-without-ssl", v));
            }
            if (p.server().map(CertificateEvaluation::internalName).orElse(false)) {
                o = o.with(catalogue.finding("autodiscover.internal-server-name", v));
            }
            String host = p.server().orElse("");
            String principal = p.certPrincipalName().filter(c -> !c.equalsIgnoreCase("none")).orElse("msstd:" + host);
            ctx.put(Keys.PROXY, new ProxySettings(host, options.httpsPort(), p.ssl().orElse(true),
                    p.authPackage().map(x -> x.wireName().toLowerCase(Locale.ROOT)), principal, p.certPrincipalName().isPresent(),
                    exch.flatMap(Protocol::server).orElse(host)));
            return o;
        });
    }

    /**
     * The discovery module's DNS line ({@code host -> A 127.0.0.20 (from 127.0.0.10:53)}, {@code no SRV record (from …)})
     * in the report's language: the records as they are, the words around them from the bundle.
     */
    private String dnsSummary(String line) {
        int from = line.lastIndexOf(" (from ");
        String records = from < 0 ? line : line.substring(0, from);
        String said = records.startsWith("no ") ? text.get("detail.no-record") : records;
        if (from < 0) {
            return said;
        }
        String server = line.substring(from + " (from ".length(), line.length() - 1);
        return server.contains("system") ? text.get("summary.dns.answer-system", Map.of("answer", said))
                : text.get("summary.dns.answer", Map.of("answer", said, "server", server));
    }

    /** Where the accepted Autodiscover answer came from: the host asked and the {@code address:port} that answered. */
    record Answered(String host, String address) {
    }

    /** The POST that gave the settings: its URL, how it was found, and the {@code address:port} that answered it. */
    record Accepted(String url, DiscoveryMethod method, String address) {
    }

    /** Whether a TLS failure line (the discovery module's, English) says the peer closed without an answer. */
    static boolean closedWithoutAnswer(String failure) {
        String f = failure.toLowerCase(Locale.ROOT);
        return f.contains("closed") || f.contains("terminated") || f.contains("connection reset") || f.contains("eof");
    }

    /** The DNS response code a failure line names (NXDOMAIN, SERVFAIL …), else "no address" in the report's language. */
    static String rcode(String line, Messages text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(NXDOMAIN|SERVFAIL|REFUSED|FORMERR|NOTIMP|NOERROR)\\b").matcher(line);
        return m.find() && !m.group(1).equals("NOERROR") ? m.group(1) : text.get("detail.no-address");
    }

    /** The host of {@code url}; an SRV attempt's "URL" is the name queried, which is its own host. */
    static String hostOf(String url) {
        try {
            String host = java.net.URI.create(url).getHost();
            return host == null ? url : host;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    static CheckStatus worst(List<Finding> findings) {
        CheckStatus s = CheckStatus.PASSED;
        for (Finding f : findings) {
            s = s.worst(f.severity().status());
        }
        return s;
    }

    static CheckResult leaf(String id, String title, CheckStatus status, String summary) {
        return new CheckResult(id, title, status, summary, 0, List.of(), List.of(), List.of());
    }
}
