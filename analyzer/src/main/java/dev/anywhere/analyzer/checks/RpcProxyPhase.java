package dev.anywhere.analyzer.checks;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.check.Check;
import dev.anywhere.analyzer.check.CheckContext;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.check.Outcome;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.net.HttpProbe;
import dev.anywhere.analyzer.net.NameResolver;
import dev.anywhere.analyzer.net.ServerTrust;
import dev.anywhere.analyzer.net.TlsProbe;
import dev.anywhere.analyzer.net.TrustAnchors;
import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.rpc.httpauth.HttpBasic;
import dev.anywhere.rpc.ntlm.NtlmClient;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.ntlm.NtlmHttpHeader;
import dev.anywhere.rpc.ntlm.NtlmProtocolException;
import dev.anywhere.autodiscover.discovery.Attempt;
import dev.anywhere.autodiscover.discovery.AutodiscoverClient;
import dev.anywhere.autodiscover.discovery.DiscoveryMethod;
import dev.anywhere.autodiscover.discovery.DiscoveryOptions;
import dev.anywhere.autodiscover.discovery.DiscoveryResult;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * RCA's "Testing RPC over HTTP connectivity" phase: DNS, TCP and TLS to the proxy, an anonymous audit of the
 * authentication /rpc offers against EXPR's AuthPackage, the msstd: principal, the certificate, and below the
 * certificate everything that sends credentials: the proxy echo, then ({@link TunnelChecks}) the virtual connections
 * and RPC pings through it. A certificate that fails validation therefore keeps the password at home, unless the user
 * chose {@code --insecure}.
 */
public final class RpcProxyPhase {

    static final String ECHO_PATH = "/rpc/rpcproxy.dll";
    /** The RTS echo response: ECHO flag, no commands. @see [MS-RPCH] 2.2.4.48 */
    static final byte[] ECHO_PDU = dev.anywhere.rpc.rpch.RpchCodec.toBytes(new dev.anywhere.rpc.rpch.RtsMessage.Echo());

    private final AnalyzeOptions options;
    private final FindingCatalogue catalogue;
    private final TrustAnchors anchors;
    private final Collection<X509Certificate> roots;
    private final NameResolver resolver;
    private final List<Check> afterEcho;
    private final Messages text;

    public RpcProxyPhase(AnalyzeOptions options, FindingCatalogue catalogue, TrustAnchors anchors, NameResolver resolver,
            List<Check> afterEcho) {
        this.options = options;
        this.catalogue = catalogue;
        this.anchors = anchors;
        this.roots = anchors.roots();
        this.resolver = resolver;
        this.afterEcho = afterEcho;
        this.text = Messages.of(options.language());
    }

    private int timeoutMillis() {
        return (int) options.stepTimeout().toMillis();
    }

    public Check check() {
        List<Check> tunnel = new ArrayList<>(new TunnelChecks(options, catalogue).checks());
        tunnel.addAll(afterEcho);
        Check echo = Check.of("rpc-proxy.echo", text.get("check.rpc-proxy.echo.title"), this::echo)
                .withChildren(tunnel).concurrently();
        Check auth = Check.of("rpc-proxy.http-auth", auditTitle(), ctx -> {
            Outcome o = authAudit(ctx);
            ctx.put(Keys.PROXY_AUDIT, o.status());
            return o;
        });
        // In this order, not concurrently: the echo below the certificate needs the audit's offered schemes. Everything
        // that sends credentials hangs below the certificate, so a certificate that fails validation skips it.
        List<Check> afterHandshake = new ArrayList<>(List.of(auth,
                Check.of("rpc-proxy.mutual-auth", text.get("check.rpc-proxy.mutual-auth.title"), this::mutualAuth),
                Check.of("rpc-proxy.certificate", text.get("check.certificate.title"), this::certificate)
                        .withChildren(List.of(echo))));
        options.members().ifPresent(survey -> {
            long connections = survey.addresses().isEmpty() ? survey.connections() : survey.addresses().size();
            // Last: the single-connection checks explain one member, these the array. One step timeout per connection.
            afterHandshake.add(Check.of("rpc-proxy.members", text.get("check.rpc-proxy.members.title"), this::members)
                    .withTimeout(options.stepTimeout().multipliedBy(connections + 1L)));
            // Two exchanges per connection (the 401, then the answer with credentials).
            afterHandshake.add(Check.of("rpc-proxy.member-settings", text.get("check.rpc-proxy.member-settings.title"),
                    this::memberSettings).withTimeout(options.stepTimeout().multipliedBy(2 * connections + 1L)));
        });
        Check tls = Check.of("rpc-proxy.tls", text.get("check.tls.title"), this::tls).withChildren(afterHandshake);
        Check tcp = Check.of("rpc-proxy.tcp", text.get("check.tcp.title"), this::tcp).withChildren(List.of(tls));
        Check dns = Check.of("rpc-proxy.dns", text.get("check.rpc-proxy.dns.title"), this::dns)
                .withChildren(List.of(tcp));
        return Check.of("rpc-proxy", text.get("check.rpc-proxy.title"), this::settings)
                .withChildren(List.of(dns));
    }

    private Outcome settings(CheckContext ctx) {
        if (options.manual().isPresent()) {
            AnalyzeOptions.ManualSettings m = options.manual().get();
            String host = m.rpcProxy();
            int port = options.httpsPort();
            int colon = host.lastIndexOf(':');
            if (colon > 0 && host.indexOf(':') == colon) {
                port = Integer.parseInt(host.substring(colon + 1));
                host = host.substring(0, colon);
            }
            ctx.put(Keys.PROXY, new ProxySettings(host, port, m.ssl(), Optional.of(m.proxyAuth()),
                    m.principal().orElse("msstd:" + host), m.principal().isPresent(), m.server()));
        }
        Optional<ProxySettings> s = ctx.get(Keys.PROXY, ProxySettings.class);
        if (s.isEmpty()) {
            return Outcome.skipped(text.get("summary.rpc-proxy.no-expr"));
        }
        return Outcome.passed(s.get().describe(text));
    }

    private ProxySettings proxy(CheckContext ctx) {
        return ctx.require(Keys.PROXY, ProxySettings.class);
    }

    private Outcome dns(CheckContext ctx) {
        ProxySettings p = proxy(ctx);
        NameResolver.Answer a = resolver.resolve(p.host(), p.port());
        if (!a.found()) {
            String rcode = AutodiscoverPhase.rcode(a.rcode(), text);
            return Outcome.failed(text.get("summary.dns.not-found", Map.of("host", p.host())), catalogue.finding("dns.host-not-found",
                    Map.of("host", p.host(), "resolver", dnsServer(a).orElse(text.get("detail.system-resolver")), "rcode", rcode)));
        }
        ctx.put(Keys.PROXY_ADDRESS, new InetSocketAddress(a.addresses().get(0), p.port()));
        String addresses = String.join(", ", a.addresses().stream().map(x -> x.getHostAddress()).toList());
        return Outcome.passed(dnsServer(a).map(s -> text.get("summary.dns.addresses", Map.of("addresses", addresses, "server", s)))
                .orElse(text.get("summary.dns.addresses-system", Map.of("addresses", addresses))));
    }

    /** The DNS server that answered; empty when the system's resolver did. */
    private static Optional<String> dnsServer(NameResolver.Answer a) {
        return a.source().startsWith(NameResolver.DNS_SERVER) ? Optional.of(a.source().substring(NameResolver.DNS_SERVER.length()))
                : Optional.empty();
    }

    private Outcome tcp(CheckContext ctx) {
        InetSocketAddress address = ctx.require(Keys.PROXY_ADDRESS, InetSocketAddress.class);
        Map<String, Object> v = Map.of("address", address.getAddress().getHostAddress(), "port", address.getPort());
        TlsProbe.TcpResult r = TlsProbe.connect(address, timeoutMillis());
        if (r == TlsProbe.TcpResult.CONNECTED) {
            return Outcome.passed(text.get("summary.tcp.open"));
        }
        String summary = text.get(switch (r) {
            case REFUSED -> "summary.tcp.refused";
            case TIMEOUT -> "summary.tcp.timeout";
            default -> "summary.tcp.unreachable";
        });
        // Autodiscover answered from this site at another address: the proxy's name points where the site is not.
        Optional<AutodiscoverPhase.Answered> site = ctx.get(Keys.AUTODISCOVER_ANSWERED, AutodiscoverPhase.Answered.class);
        String proxyAddress = address.getAddress().getHostAddress();
        if (site.isPresent() && !site.get().address().equals(proxyAddress + ":" + address.getPort())
                && site.get().address().endsWith(":" + address.getPort())) {
            String expected = site.get().address().substring(0, site.get().address().lastIndexOf(':'));
            return Outcome.failed(summary, catalogue.finding("dns.unexpected-address", Map.of("host", proxy(ctx).host(), "addresses", proxyAddress,
                    "expected", expected, "answered", site.get().host())));
        }
        return Outcome.failed(summary, catalogue.finding(r == TlsProbe.TcpResult.REFUSED ? "tcp.refused" : "tcp.timeout", v));
    }

    private Outcome tls(CheckContext ctx) {
        ProxySettings p = proxy(ctx);
        if (!p.ssl()) {
            return Outcome.passed(text.get("summary.tls.off"));
        }
        try {
            TlsProbe.Handshake h = TlsProbe.handshake(ctx.require(Keys.PROXY_ADDRESS, InetSocketAddress.class), p.host(), timeoutMillis());
            ctx.put(Keys.PROXY_CHAIN, h);
            return Outcome.passed(h.protocol() + ", " + h.cipherSuite());
        } catch (IOException e) {
            InetSocketAddress address = ctx.require(Keys.PROXY_ADDRESS, InetSocketAddress.class);
            if (Messages.closedWithoutAnswer(e)) {
                // Accepted, then closed before the server said a word: a port forward to a host where nothing listens.
                return Outcome.failed(text.cause(e), catalogue.finding("tcp.closed-on-connect", Map.of("address",
                        address.getAddress().getHostAddress(), "port", address.getPort(), "host", p.host())));
            }
            return Outcome.failed(text.get("summary.tls.failed"), catalogue.finding("tls.handshake-failed", Map.of("host", p.host(),
                    "reason", text.cause(e))));
        }
    }

    private String auditTitle() {
        return text.get("check.rpc-proxy.http-auth.title");
    }

    /** The gate of every step with credentials: its children run only when this does not fail. */
    private Outcome certificate(CheckContext ctx) {
        ProxySettings p = proxy(ctx);
        Optional<TlsProbe.Handshake> h = ctx.get(Keys.PROXY_CHAIN, TlsProbe.Handshake.class);
        if (h.isEmpty()) {
            // SSL Off (offloading in front): there is nothing to verify, and the steps below must still run.
            return Outcome.passed(text.get("summary.certificate.no-tls"));
        }
        CertificateEvaluation.Verdict v = CertificateEvaluation.evaluate(h.get().chain(), p.host(), Optional.of(options.domain()),
                roots, Instant.now(), catalogue);
        Outcome o = Outcome.passed(text.get("summary.certificate.names", Map.of("cn", v.commonName(), "names", String.join(", ", v.dnsNames()))))
                .with(new Evidence(text.get("evidence.certificate"), v.description()));
        for (var f : CertificateEvaluation.waived(v.findings(), options.insecure())) {
            o = o.with(f);
        }
        if (o.status() == CheckStatus.FAILED && !options.anonymous()) {
            o = o.with(catalogue.finding("tls.credentials-withheld", Map.of("host", p.host())));
        }
        return o;
    }

    /** How connections that carry credentials judge the proxy: verified, unless the user waived it with --insecure. */
    private ServerTrust credentialTrust() {
        return options.insecure() ? ServerTrust.insecure() : ServerTrust.verified(anchors);
    }

    /** Outlook compares msstd:NAME with the certificate; old Windows only with the CN. */
    private Outcome mutualAuth(CheckContext ctx) {
        ProxySettings p = proxy(ctx);
        Optional<TlsProbe.Handshake> h = ctx.get(Keys.PROXY_CHAIN, TlsProbe.Handshake.class);
        if (h.isEmpty()) {
            return Outcome.skipped(text.get("summary.skipped.no-tls"));
        }
        X509Certificate leaf = h.get().chain().get(0);
        String cn = CertificateEvaluation.commonName(leaf).orElse("");
        List<String> names = CertificateEvaluation.dnsNames(leaf);
        String principal = p.principal();
        String name = principal.regionMatches(true, 0, "msstd:", 0, 6) ? principal.substring(6) : principal;
        Map<String, Object> v = new HashMap<>();
        v.put("principal", principal);
        v.put("cn", cn);
        v.put("names", String.join(", ", names));
        v.put("name", name);
        // A wildcard principal (msstd:*.domain) matches the certificate's wildcard name literally.
        if (name.equalsIgnoreCase(cn)) {
            return Outcome.passed(text.get("summary.mutual-auth.cn", v));
        }
        if (names.stream().anyMatch(n -> n.equalsIgnoreCase(name))) {
            return Outcome.warning(text.get("summary.mutual-auth.san-only", v), catalogue.finding("msstd.san-only", v));
        }
        return Outcome.failed(principal + " \u2260 " + cn, catalogue.finding("msstd.mismatch", v));
    }

    /** An unauthenticated RPC_IN_DATA echo: what the proxy offers, and what answers at all. */
    private Outcome authAudit(CheckContext ctx) throws IOException {
        ProxySettings p = proxy(ctx);
        InetSocketAddress address = ctx.require(Keys.PROXY_ADDRESS, InetSocketAddress.class);
        // No credentials go out here: the probe may look behind a certificate the check beside it rejects.
        try (HttpProbe http = HttpProbe.open(address, p.host(), p.ssl(), timeoutMillis(), ServerTrust.inspectOnly())) {
            HttpProbe.Response r = http.send("RPC_IN_DATA", ECHO_PATH, 0, List.of(), new byte[0]);
            Evidence transcript = new Evidence(text.get("evidence.http-transcript"), http.transcript());
            Map<String, Object> v = new HashMap<>();
            v.put("host", p.host());
            v.put("server", p.rpcServer().split("\\.")[0].toUpperCase(Locale.ROOT));
            v.put("status", r.status() + " " + r.reason());
            v.put("serverHeader", r.header("Server") == null ? text.get("detail.unnamed-server") : r.header("Server"));
            v.put("detail", r.statusLine());
            switch (r.status()) {
                case 404 -> {
                    boolean otherServer = ctx.get(Keys.PROXY_CHAIN, TlsProbe.Handshake.class)
                            .map(h -> !CertificateEvaluation.matches(p.host(), CertificateEvaluation.dnsNames(h.chain().get(0))))
                            .orElse(false);
                    if (otherServer) {
                        v.put("address", address.getAddress().getHostAddress());
                        v.put("port", address.getPort());
                        v.put("answerer", v.get("serverHeader"));
                        v.put("subject", ctx.require(Keys.PROXY_CHAIN, TlsProbe.Handshake.class).chain().get(0).getSubjectX500Principal().getName());
                        return Outcome.failed("404", catalogue.finding("tcp.other-server-answers", v)).with(transcript);
                    }
                    return Outcome.failed("404", catalogue.finding("proxy.rpc-not-found", v)).with(transcript);
                }
                case 405, 501 -> {
                    return Outcome.failed(r.statusLine(), catalogue.finding("proxy.method-refused", v)).with(transcript);
                }
                case 403 -> {
                    String body = new String(r.body(), StandardCharsets.ISO_8859_1);
                    return Outcome.failed(r.statusLine(), catalogue.finding(body.startsWith("403.4") || r.reason().contains("SSL")
                            ? "proxy.ssl-required" : "proxy.echo-failed", v)).with(transcript);
                }
                case 200 -> {
                    ctx.put(Keys.PROXY_SCHEMES, List.of());
                    return Outcome.warning(r.statusLine(), catalogue.finding("auth.anonymous", v)).with(transcript);
                }
                case 401 -> {
                    return classify401(ctx, p, r, v).with(transcript);
                }
                default -> {
                    return Outcome.failed(r.statusLine(), catalogue.finding("proxy.echo-failed", v)).with(transcript);
                }
            }
        }
    }

    private Outcome classify401(CheckContext ctx, ProxySettings p, HttpProbe.Response r, Map<String, Object> v) {
        List<String> offered = r.headers("WWW-Authenticate").stream().map(h -> h.split(" ", 2)[0]).toList();
        ctx.put(Keys.PROXY_SCHEMES, offered);
        v.put("offered", offered.isEmpty() ? text.get("detail.nothing") : String.join(", ", offered));
        if (offered.isEmpty()) {
            return Outcome.failed(text.get("summary.auth.no-methods"), catalogue.finding("auth.no-methods", v));
        }
        Outcome o = Outcome.passed(text.get("summary.auth.offered", Map.of("offered", String.join(", ", offered))));
        Optional<String> needed = p.requiredScheme();
        if (needed.isPresent() && offered.stream().noneMatch(s -> s.equalsIgnoreCase(needed.get())
                || (needed.get().equals("NTLM") && s.equalsIgnoreCase("Negotiate")))) {
            v.put("package", p.authPackage().orElse(""));
            v.put("needed", String.join(",", neededIisMethods(offered, needed.get())));
            o = o.with(catalogue.finding("auth.required-missing", v));
        }
        for (String s : offered) {
            if (!List.of("basic", "ntlm", "negotiate").contains(s.toLowerCase(Locale.ROOT))) {
                v.put("method", s);
                o = o.with(catalogue.finding("auth.unsupported-method", v));
            }
        }
        if (!p.ssl() && offered.stream().anyMatch(s -> s.equalsIgnoreCase("Basic"))) {
            o = o.with(catalogue.finding("auth.basic-without-tls", v));
        }
        if (r.version().equals("HTTP/1.0") || "close".equalsIgnoreCase(r.header("Connection"))) {
            v.put("detail", r.version() + (r.header("Connection") == null ? "" : ", Connection: " + r.header("Connection")));
            o = o.with(catalogue.finding("proxy.http10-or-close", v));
        }
        return o;
    }

    private static List<String> neededIisMethods(List<String> offered, String needed) {
        List<String> methods = new ArrayList<>();
        for (String s : offered) {
            methods.add(s.toLowerCase(Locale.ROOT));
        }
        methods.add(needed.toLowerCase(Locale.ROOT));
        return methods.stream().distinct().toList();
    }

    /** The echo with credentials, as Outlook sends it before opening channels. */
    private Outcome echo(CheckContext ctx) throws IOException {
        ProxySettings p = proxy(ctx);
        if (ctx.get(Keys.PROXY_AUDIT, CheckStatus.class).filter(s -> s != CheckStatus.FAILED).isEmpty()) {
            return Outcome.skipped(text.get("summary.skipped.failed", Map.of("step", auditTitle())));
        }
        if (options.anonymous()) {
            return Outcome.skipped(text.get("summary.skipped.needs-credentials"));
        }
        @SuppressWarnings("unchecked")
        List<String> offered = ctx.get(Keys.PROXY_SCHEMES, List.class).orElse(List.of());
        boolean ntlm = p.requiredScheme().map(s -> !s.equals("Basic")).orElse(true)
                && offered.stream().anyMatch(s -> s.equalsIgnoreCase("NTLM"));
        InetSocketAddress address = ctx.require(Keys.PROXY_ADDRESS, InetSocketAddress.class);
        String user = options.user().get();
        Map<String, Object> v = new HashMap<>();
        v.put("user", user);
        v.put("scheme", ntlm ? "NTLM" : "Basic");
        try (HttpProbe http = HttpProbe.open(address, p.host(), p.ssl(), timeoutMillis(), credentialTrust())) {
            HttpProbe.Response r;
            if (ntlm) {
                NtlmClient client = new NtlmClient(NtlmCredentials.parse(user, options.password().get()));
                r = http.send("RPC_IN_DATA", ECHO_PATH, 0, List.of("Authorization: "
                        + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, client.negotiate())), new byte[0]);
                // The auth-scheme is case-insensitive (RFC 9110 §11.1), as HttpLeg reads it: "ntlm <token>" is NTLM too.
                String challenge = r.headers("WWW-Authenticate").stream().filter(h -> h.regionMatches(true, 0, "NTLM ", 0, 5))
                        .findFirst().orElse(null);
                if (r.status() == 401 && challenge != null) {
                    byte[] type3;
                    try {
                        type3 = client.authenticate(NtlmHttpHeader.parse(challenge).message().toByteArray());
                    } catch (NtlmProtocolException unusable) {
                        // Not base64, not NTLMSSP or not a CHALLENGE: the proxy's answer, not this check, is broken.
                        v.put("detail", text.get("summary.echo.bad-challenge", Map.of("detail", unusable.getMessage())));
                        return Outcome.failed((String) v.get("detail"), catalogue.finding("proxy.echo-failed", v))
                                .with(new Evidence(text.get("evidence.http-transcript"), http.transcript()));
                    }
                    try {
                        r = http.send("RPC_IN_DATA", ECHO_PATH, 0, List.of("Authorization: "
                                + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, type3)), new byte[0]);
                    } catch (IOException closed) {
                        // The hop dropped the connection between challenge and answer: NTLM cannot survive that.
                        return Outcome.failed(text.cause(closed), catalogue.finding("proxy.ntlm-pooling", v))
                                .with(new Evidence(text.get("evidence.http-transcript"), http.transcript()));
                    }
                    if (r.status() == 401 && offered.stream().anyMatch(s -> s.equalsIgnoreCase("Basic"))
                            && basicWorks(address, p, user)) {
                        // The same credentials pass with Basic: NTLM's handshake was split across connections.
                        return Outcome.failed(r.statusLine(), catalogue.finding("proxy.ntlm-pooling", v))
                                .with(new Evidence(text.get("evidence.http-transcript"), http.transcript()));
                    }
                }
            } else {
                r = http.send("RPC_IN_DATA", ECHO_PATH, 0, List.of(basicAuthorization(user)), new byte[0]);
            }
            Evidence transcript = new Evidence(text.get("evidence.http-transcript"), http.transcript());
            if (r.status() == 200 && java.util.Arrays.equals(r.body(), ECHO_PDU)) {
                ctx.put(Keys.ECHO_SCHEME, v.get("scheme"));
                return Outcome.passed(text.get("summary.echo.passed", Map.of("status", r.statusLine(), "scheme", v.get("scheme")))).with(transcript);
            }
            if (r.status() == 401) {
                return Outcome.failed(r.statusLine(), catalogue.finding("auth.credentials-rejected", v)).with(transcript);
            }
            v.put("detail", r.statusLine());
            return Outcome.failed(r.statusLine(), catalogue.finding("proxy.echo-failed", v)).with(transcript);
        } catch (HttpProbe.CertificateRejected e) {
            // The JDK's validation refused what the evaluation above let pass: still, nothing secret was sent.
            return Outcome.failed(text.get("summary.echo.certificate-refused", Map.of("host", p.host())),
                    catalogue.finding("tls.credentials-withheld", Map.of("host", p.host())));
        }
    }

    /**
     * The array's members compared: {@code connections} connections to the public name (the balancer spreads them),
     * or, with {@code --member} addresses, one to each member instead. Anonymous, like the audit: nothing secret goes to a member.
     */
    private Outcome members(CheckContext ctx) {
        ProxySettings p = proxy(ctx);
        AnalyzeOptions.MemberSurvey survey = options.members().orElseThrow();
        InetSocketAddress address = ctx.require(Keys.PROXY_ADDRESS, InetSocketAddress.class);
        List<MemberAnswer> answers = new ArrayList<>();
        List<dev.anywhere.analyzer.finding.Finding> unreachable = new ArrayList<>();
        // Member by member when addresses are given: connections through the balancer would only tip the count.
        for (int i = 0; survey.addresses().isEmpty() && i < survey.connections(); i++) {
            answerOf(address, p, Optional.empty()).ifPresent(answers::add);
        }
        for (String member : survey.addresses()) {
            InetSocketAddress unresolved = AnalyzeOptions.MemberSurvey.address(member, p.port());
            // A member is named by address (inside); a literal address needs no lookup, a name goes to the system's resolver.
            InetSocketAddress m = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
            Optional<MemberAnswer> a = answerOf(m, p, Optional.of(member));
            if (a.isPresent()) {
                answers.add(a.get());
            } else {
                unreachable.add(catalogue.finding("array.member-unreachable", Map.of("member", member, "host", p.host(),
                        "port", m.getPort())));
            }
        }
        Outcome o = answers.isEmpty() ? Outcome.passed(text.get("summary.members.none"))
                : new MemberComparison(catalogue, text, Instant.now()).judge(p.host(), answers, p.requiredScheme());
        for (var f : unreachable) {
            o = o.with(f);
        }
        return o;
    }

    /** One anonymous RPC_IN_DATA on a new connection: certificate, Server header, offered schemes; empty when it failed. */
    private Optional<MemberAnswer> answerOf(InetSocketAddress address, ProxySettings p, Optional<String> member) {
        try (HttpProbe http = HttpProbe.open(address, p.host(), p.ssl(), timeoutMillis(), ServerTrust.inspectOnly())) {
            HttpProbe.Response r = http.send("RPC_IN_DATA", ECHO_PATH, 0, List.of(), new byte[0]);
            List<String> offered = r.headers("WWW-Authenticate").stream().map(h -> h.split(" ", 2)[0]).toList();
            return Optional.of(new MemberAnswer(member, http.peerCertificate(), Optional.ofNullable(r.header("Server")), offered));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The members' Autodiscover settings compared: the POST that gave this run its settings, sent again once per
     * connection to the address that answered it (the balancer spreads them), or with {@code --member} addresses once to
     * each member. Credentials go only to a member whose certificate validates, as in discovery itself.
     */
    private Outcome memberSettings(CheckContext ctx) {
        if (options.anonymous()) {
            return Outcome.skipped(text.get("summary.skipped.needs-credentials"));
        }
        Optional<AutodiscoverPhase.Accepted> accepted = ctx.get(Keys.AUTODISCOVER_ACCEPTED, AutodiscoverPhase.Accepted.class);
        if (accepted.isEmpty()) {
            return Outcome.skipped(text.get("summary.member-settings.no-autodiscover"));
        }
        AutodiscoverPhase.Accepted a = accepted.get();
        URI url = URI.create(a.url());
        int urlPort = url.getPort() > 0 ? url.getPort() : 443;
        AnalyzeOptions.MemberSurvey survey = options.members().orElseThrow();
        List<Optional<String>> members = new ArrayList<>();
        for (int i = 0; survey.addresses().isEmpty() && i < survey.connections(); i++) {
            members.add(Optional.empty());
        }
        survey.addresses().forEach(m -> members.add(Optional.of(m)));
        List<MemberSettings> answers = new ArrayList<>();
        int notAsked = 0;
        try (AutodiscoverClient client = new AutodiscoverClient()) {
            for (Optional<String> member : members) {
                InetSocketAddress target = member.map(m -> AnalyzeOptions.MemberSurvey.address(m, urlPort))
                        .orElseGet(() -> socket(a.address()));
                Optional<MemberSettings> answer = settingsOf(client, url, a.method(), target, member);
                answer.ifPresent(answers::add);
                notAsked += answer.isPresent() ? 0 : 1;
            }
        }
        Optional<Map<String, String>> own = ctx.get(Keys.AUTODISCOVER_RESPONSE, AutodiscoverResponse.class).map(MemberSettings::of);
        return new MemberComparison(catalogue, text, Instant.now()).judgeSettings(url.getHost(), answers, own, notAsked);
    }

    /** One POST to {@code url} on {@code target}; empty when no HTTP answer came (certificate not accepted, no connection). */
    private Optional<MemberSettings> settingsOf(AutodiscoverClient client, URI url, DiscoveryMethod method, InetSocketAddress target,
            Optional<String> member) {
        java.net.InetAddress address;
        try {
            // A member is named by address; a literal needs no lookup, a name goes to the system's resolver.
            address = java.net.InetAddress.getByName(target.getHostString());
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
        String at = URI.create(url.getScheme() + "://" + url.getHost() + ":" + target.getPort() + url.getRawPath()).toString();
        DiscoveryOptions o = AutodiscoverPhase.discoveryBuilder(options).resolve(url.getHost(), target.getPort(), address).build();
        DiscoveryResult r = client.post(o, method, at);
        Attempt attempt = r.attempts().get(r.attempts().size() - 1);
        if (attempt.lastStatus() == 0) {
            return Optional.empty();
        }
        Optional<X509Certificate> certificate = attempt.tls().flatMap(t -> t.peerCertificates().stream().findFirst());
        Optional<String> server = attempt.http().get(attempt.http().size() - 1).responseHeaders().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("Server")).map(Map.Entry::getValue).findFirst();
        return Optional.of(new MemberSettings(new MemberAnswer(member, certificate, server, List.of()),
                r.response().map(MemberSettings::of).orElse(Map.of()), attempt.lastStatus()));
    }

    private static InetSocketAddress socket(String addressPort) {
        int colon = addressPort.lastIndexOf(':');
        return new InetSocketAddress(addressPort.substring(0, colon).replaceAll("^\\[|\\]$", ""),
                Integer.parseInt(addressPort.substring(colon + 1)));
    }

    /** The {@code Authorization} header line with Basic for {@code user} and the analysis' password. */
    private String basicAuthorization(String user) {
        return "Authorization: " + new HttpBasic(user, options.password().get()).authorization();
    }

    /** A second opinion with Basic, to tell broken NTLM from a wrong password. */
    private boolean basicWorks(InetSocketAddress address, ProxySettings p, String user) {
        try (HttpProbe http = HttpProbe.open(address, p.host(), p.ssl(), timeoutMillis(), credentialTrust())) {
            return http.send("RPC_IN_DATA", ECHO_PATH, 0, List.of(basicAuthorization(user)), new byte[0]).status() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
