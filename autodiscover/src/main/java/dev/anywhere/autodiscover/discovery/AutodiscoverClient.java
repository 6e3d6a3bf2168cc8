package dev.anywhere.autodiscover.discovery;

import dev.anywhere.autodiscover.pox.Account;
import dev.anywhere.autodiscover.pox.Action;
import dev.anywhere.autodiscover.pox.AutodiscoverError;
import dev.anywhere.autodiscover.pox.AutodiscoverRequest;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.PoxCodec;
import dev.anywhere.autodiscover.pox.PoxParseException;
import dev.anywhere.autodiscover.pox.Protocol;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Discovers Outlook settings for an address the way Outlook does, recording every step.
 *
 * <p>Order, each step only when the previous ones produced no settings and not excluded: SCP URLs (in site, unscoped,
 * other sites) → {@code https://<domain>/autodiscover/autodiscover.xml} → {@code https://autodiscover.<domain>/…} →
 * unauthenticated GET {@code http://autodiscover.<domain>/…} answered by 302 (followed only with consent) → DNS SRV
 * {@code _autodiscover._tcp.<domain>}. {@code RedirectAddr} restarts the order for the new address;
 * {@code RedirectUrl} and a 302 on POST are followed directly. At most {@value DiscoveryOptions#MAX_REDIRECTS}
 * redirections; redirect targets must be https and end in {@code /autodiscover/autodiscover.xml}; credentials go only
 * to hosts in the user's domain or consented hosts.
 *
 * <p>Side by side, decided in order: once SCP has found nothing, the first request of each later method (the two https
 * POSTs, the redirect GET, the SRV query) starts at once, on at most {@value #PROBES} threads and each within the step
 * timeout, so a slow candidate costs its own time, not the sum of the others'. Their answers are taken in the order
 * above, as if each had been asked only now: a later one counts only when every earlier one failed, and what a
 * step whose turn never came found is dropped (its request may have reached the server; the result and the attempts
 * do not show it). Redirects, SRV targets and SCP's URLs are followed one after another, as before.
 *
 * <p>Blocking; call from any thread that is not one of this client's threads. One client may run several
 * discoveries one after another; {@link #close()} releases its event loop and probe threads.
 *
 * @see [MS-OXDISCO] 3.1.5 Message Processing Events and Sequencing Rules
 * @see [MS-OXDSCLI] 3.1.5 Message Processing Events and Sequencing Rules
 */
public final class AutodiscoverClient implements AutoCloseable {

    static final String PATH = "/autodiscover/autodiscover.xml";
    private static final String USER_AGENT = "Anywhere-Autodiscover/0.1";
    private static final int BODY_TEXT_LIMIT = 64 * 1024;

    /** The methods after SCP whose first request runs ahead of its turn: root domain, autodiscover domain, GET, SRV. */
    static final int PROBES = 4;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ExecutorService probes = Executors.newFixedThreadPool(PROBES, new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "autodiscover-probe-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    /** Runs one discovery; never throws for network or protocol trouble (that is in the result). */
    public DiscoveryResult discover(DiscoveryOptions options) {
        return new Run(options).run();
    }

    /**
     * One POST of the request to {@code url}, a 401 answered with the credentials as discovery answers it, nothing
     * followed: what the one server that takes this connection answers. A redirect is that server's answer, not a step
     * to take. The options' {@code resolve} overrides choose the address dialled, so that each call may meet another
     * member of an array behind one name, or one member by its own address.
     *
     * @param method how {@code url} was found, recorded in the attempt
     */
    public DiscoveryResult post(DiscoveryOptions options, DiscoveryMethod method, String url) {
        return new Run(options).once(method, url);
    }

    @Override
    public void close() {
        probes.shutdownNow(); // a step still running ahead is no longer wanted: its wait ends, its connection closes
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** What one POST (with any authenticated retries) led to. */
    private sealed interface Next {
        record Settings(AutodiscoverResponse response, String url) implements Next { }
        record RedirectAddr(String address) implements Next { }
        record RedirectUrl(String url, String via) implements Next { }
        record MoveOn() implements Next { }
        record Stop(AttemptReason reason) implements Next { }
    }

    /**
     * What steps record, in the order they are reported: the attempts and the last Autodiscover error. A step run
     * ahead of its turn records into a log of its own, appended to the run's when its turn comes.
     */
    private static final class Log {
        final List<Attempt> attempts = new ArrayList<>();
        Optional<String> lastError = Optional.empty();

        void append(Log later) {
            attempts.addAll(later.attempts);
            if (later.lastError.isPresent()) {
                lastError = later.lastError;
            }
        }
    }

    /** The state of one discovery run. */
    private final class Run {
        private final DiscoveryOptions o;
        private final String userDomain;
        private final NameResolver names;
        private final Log log = new Log();
        private String email;
        private int redirects;

        Run(DiscoveryOptions o) {
            this.o = o;
            this.userDomain = o.domain();
            this.names = new NameResolver(o);
            this.email = o.emailAddress();
        }

        DiscoveryResult run() {
            while (true) {
                Next n = forAddress();
                if (n instanceof Next.Settings s) {
                    return new DiscoveryResult(email, Optional.of(s.response()), Optional.of(s.url()),
                            Optional.empty(), redirects, log.attempts);
                }
                if (n instanceof Next.RedirectAddr r) {
                    if (!countRedirect()) {
                        return failed(tooManyRedirects());
                    }
                    email = r.address();
                    continue;
                }
                AttemptReason why = n instanceof Next.Stop st ? st.reason()
                        : AttemptReason.of(AttemptReason.Key.NO_CANDIDATE, "email", email, "lastError", log.lastError.<Object>map(e ->
                                AttemptReason.of(AttemptReason.Key.LAST_ERROR, "error", e)).orElse(""));
                return failed(why);
            }
        }

        DiscoveryResult once(DiscoveryMethod method, String url) {
            Next n = post(log, method, url, email);
            if (n instanceof Next.Settings s) {
                return new DiscoveryResult(email, Optional.of(s.response()), Optional.of(s.url()), Optional.empty(), 0, log.attempts);
            }
            return failed(log.attempts.get(log.attempts.size() - 1).why());
        }

        private DiscoveryResult failed(AttemptReason why) {
            return new DiscoveryResult(email, Optional.empty(), Optional.empty(), Optional.of(why), redirects,
                    log.attempts);
        }

        private String domain() {
            return email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        }

        /** Every method in order for the current address. */
        private Next forAddress() {
            Set<String> tried = new HashSet<>();
            String d = domain();
            // 1. SCP
            if (!o.runs(DiscoveryMethod.SCP)) {
                skipped(DiscoveryMethod.SCP, "ldap", AttemptReason.of(AttemptReason.Key.EXCLUDED, "switch", "ExcludeScpLookup"));
            } else if (o.scp().isPresent()) {
                Next n = scp(tried);
                if (!(n instanceof Next.MoveOn)) {
                    return n;
                }
            }
            String root = "https://" + d + port(o.httpsPort(), 443) + PATH;
            String ad = "https://autodiscover." + d + port(o.httpsPort(), 443) + PATH;
            String http = "http://autodiscover." + d + port(o.httpPort(), 80) + PATH;
            String srvName = "_autodiscover._tcp." + d;
            // The first request of each method below runs now, side by side; each is taken when its turn comes.
            String address = email;
            List<Ahead<?>> started = new ArrayList<>();
            Ahead<Next> rootAhead = ahead(started, willPost(DiscoveryMethod.HTTPS_ROOT_DOMAIN, root, tried),
                    l -> post(l, DiscoveryMethod.HTTPS_ROOT_DOMAIN, root, address));
            Ahead<Next> adAhead = ahead(started, willPost(DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN, ad, tried),
                    l -> post(l, DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN, ad, address));
            Ahead<Optional<String>> httpAhead = ahead(started, o.runs(DiscoveryMethod.HTTP_REDIRECT),
                    l -> httpRedirect(l, http));
            Ahead<List<NameResolver.SrvTarget>> srvAhead = ahead(started, o.runs(DiscoveryMethod.SRV_RECORD),
                    l -> srvLookup(l, srvName));
            try {
                // 2. https://<domain>/autodiscover/autodiscover.xml
                Next n = candidate(DiscoveryMethod.HTTPS_ROOT_DOMAIN, root, "ExcludeHttpsRootDomain", tried, rootAhead);
                if (!(n instanceof Next.MoveOn)) {
                    return n;
                }
                // 3. https://autodiscover.<domain>/autodiscover/autodiscover.xml
                n = candidate(DiscoveryMethod.HTTPS_AUTODISCOVER_DOMAIN, ad, "ExcludeHttpsAutoDiscoverDomain", tried,
                        adAhead);
                if (!(n instanceof Next.MoveOn)) {
                    return n;
                }
                // 4. HTTP GET redirect
                if (httpAhead == null) {
                    skipped(DiscoveryMethod.HTTP_REDIRECT, http, AttemptReason.of(AttemptReason.Key.EXCLUDED, "switch", "ExcludeHttpRedirect"));
                } else {
                    Optional<String> target = httpAhead.take();
                    if (target.isPresent()) {
                        if (!countRedirect()) {
                            return new Next.Stop(tooManyRedirects());
                        }
                        n = follow(post(log, DiscoveryMethod.HTTP_REDIRECT, target.get(), email));
                        if (!(n instanceof Next.MoveOn)) {
                            return n;
                        }
                    }
                }
                // 5. DNS SRV
                if (srvAhead == null) {
                    skipped(DiscoveryMethod.SRV_RECORD, srvName, AttemptReason.of(AttemptReason.Key.EXCLUDED, "switch", "ExcludeSrvRecord"));
                } else {
                    n = srv(srvAhead.take(), tried);
                    if (!(n instanceof Next.MoveOn)) {
                        return n;
                    }
                }
                return new Next.MoveOn();
            } finally {
                started.forEach(Ahead::drop); // those whose turn did not come
            }
        }

        /** Whether {@link #candidate} will POST to {@code url}: its method runs and nothing earlier tried it. */
        private boolean willPost(DiscoveryMethod m, String url, Set<String> tried) {
            return o.runs(m) && !tried.contains(url.toLowerCase(Locale.ROOT));
        }

        /** {@code step} started now when {@code needed}, else null. */
        private <T> Ahead<T> ahead(List<Ahead<?>> started, boolean needed, Function<Log, T> step) {
            if (!needed) {
                return null;
            }
            Ahead<T> a = new Ahead<>(step);
            started.add(a);
            return a;
        }

        /** POSTs to {@code url} unless excluded or tried; {@code ahead}, when given, is that POST started earlier. */
        private Next candidate(DiscoveryMethod m, String url, String switchName, Set<String> tried, Ahead<Next> ahead) {
            if (!o.runs(m)) {
                skipped(m, url, AttemptReason.of(AttemptReason.Key.EXCLUDED, "switch", switchName));
                return new Next.MoveOn();
            }
            if (!tried.add(url.toLowerCase(Locale.ROOT))) {
                skipped(m, url, AttemptReason.of(AttemptReason.Key.ALREADY_TRIED));
                return new Next.MoveOn();
            }
            return follow(ahead != null ? ahead.take() : post(log, m, url, email));
        }

        private Next scp(Set<String> tried) {
            ScpSettings s = o.scp().get();
            String ldap = "ldap://" + s.host() + ":" + s.port();
            long start = System.nanoTime();
            ScpLookup.Found found;
            try {
                found = ScpLookup.lookup(s, domain(), names::resolve, o.stepTimeout().toMillis());
            } catch (StepFailure e) {
                log.attempts.add(new Attempt(DiscoveryMethod.SCP, ldap, Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), List.of(), millisSince(start), Outcome.FAILED,
                        e.reason()));
                return new Next.MoveOn();
            }
            log.attempts.add(new Attempt(DiscoveryMethod.SCP, ldap, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), List.of(), millisSince(start),
                    found.urls().isEmpty() ? Outcome.SKIPPED : Outcome.ACCEPTED, found.summary()));
            for (String url : found.urls()) {
                Next n = candidate(DiscoveryMethod.SCP, url, "ExcludeScpLookup", tried, null);
                if (!(n instanceof Next.MoveOn)) {
                    return n;
                }
            }
            return new Next.MoveOn();
        }

        /** The SRV query, recorded in {@code l}; its targets in the order discovery tries them, none when it failed. */
        private List<NameResolver.SrvTarget> srvLookup(Log l, String name) {
            long start = System.nanoTime();
            List<NameResolver.SrvTarget> targets;
            try {
                targets = names.srv(name);
            } catch (StepFailure e) {
                l.attempts.add(new Attempt(DiscoveryMethod.SRV_RECORD, name, Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), List.of(), millisSince(start), Outcome.FAILED,
                        e.reason()));
                return List.of();
            }
            String answer = targets.isEmpty() ? "no SRV record"
                    : targets.stream().map(t -> "SRV " + t.priority() + " " + t.weight() + " " + t.port() + " "
                            + t.host()).collect(Collectors.joining(", "));
            l.attempts.add(new Attempt(DiscoveryMethod.SRV_RECORD, name, Optional.of(answer + " (from "
                    + names.server() + ")"), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                    millisSince(start), targets.isEmpty() ? Outcome.FAILED : Outcome.ACCEPTED,
                    targets.isEmpty() ? AttemptReason.of(AttemptReason.Key.SRV_NONE, "name", name)
                            : AttemptReason.of(AttemptReason.Key.SRV_TARGETS, "count", targets.size())));
            return targets;
        }

        /** The SRV targets one after another, each only with the user's domain or consent. */
        private Next srv(List<NameResolver.SrvTarget> targets, Set<String> tried) {
            for (NameResolver.SrvTarget t : targets) {
                String url = "https://" + t.host() + port(t.port(), 443) + PATH;
                if (!mayReceiveCredentials(t.host())) {
                    skipped(DiscoveryMethod.SRV_RECORD, url, AttemptReason.of(AttemptReason.Key.SRV_OUTSIDE, "host", t.host(), "domain", userDomain));
                    continue;
                }
                Next n = candidate(DiscoveryMethod.SRV_RECORD, url, "ExcludeSrvRecord", tried, null);
                if (!(n instanceof Next.MoveOn)) {
                    return n;
                }
            }
            return new Next.MoveOn();
        }

        /** Follows RedirectUrl and 302 answers from {@code first} (a POST's answer) within the redirect budget. */
        private Next follow(Next first) {
            Next n = first;
            while (n instanceof Next.RedirectUrl r) {
                if (!countRedirect()) {
                    return new Next.Stop(tooManyRedirects());
                }
                Optional<AttemptReason> invalid = invalidTarget(r.url());
                if (invalid.isPresent()) {
                    skipped(DiscoveryMethod.REDIRECT, r.url(), invalid.get());
                    return new Next.MoveOn();
                }
                String host = URI.create(r.url()).getHost().toLowerCase(Locale.ROOT);
                if (!mayReceiveCredentials(host)) {
                    skipped(DiscoveryMethod.REDIRECT, r.url(), AttemptReason.of(AttemptReason.Key.REDIRECT_OUTSIDE, "via", r.via(), "host", host, "domain",
                            userDomain));
                    return new Next.MoveOn();
                }
                n = post(log, DiscoveryMethod.REDIRECT, r.url(), email);
            }
            return n;
        }

        /** The unauthenticated GET of the HTTP redirect method; the validated, consented 302 target, if any. */
        private Optional<String> httpRedirect(Log l, String url) {
            AttemptBuilder a = new AttemptBuilder(l, DiscoveryMethod.HTTP_REDIRECT, url);
            try (HttpConnection c = connect(a, URI.create(url))) {
                HttpConnection.Response r = a.exchange(c, HttpMethod.GET, URI.create(url), null, new byte[0]);
                if (r.status() != 302) {
                    a.done(r.status() >= 300 && r.status() < 400 ? Outcome.SKIPPED : Outcome.FAILED,
                            AttemptReason.of(AttemptReason.Key.HTTP_REDIRECT_STATUS, "status", r.status()));
                    return Optional.empty();
                }
                String location = r.first("Location");
                if (location == null) {
                    a.done(Outcome.FAILED, AttemptReason.of(AttemptReason.Key.HTTP_REDIRECT_NO_LOCATION));
                    return Optional.empty();
                }
                Optional<AttemptReason> invalid = invalidTarget(location);
                if (invalid.isPresent()) {
                    a.done(Outcome.SKIPPED, invalid.get());
                    return Optional.empty();
                }
                String host = URI.create(location).getHost().toLowerCase(Locale.ROOT);
                if (!o.allowedRedirectHosts().contains(host)) {
                    a.done(Outcome.SKIPPED, AttemptReason.of(AttemptReason.Key.HTTP_REDIRECT_REFUSED, "location", location, "host", host));
                    return Optional.empty();
                }
                a.done(Outcome.ACCEPTED, AttemptReason.of(AttemptReason.Key.HTTP_REDIRECT_CONSENTED, "location", location, "host", host));
                return Optional.of(location);
            } catch (StepFailure e) {
                a.done(Outcome.FAILED, e.reason());
                return Optional.empty();
            }
        }

        /**
         * One POST of the request for {@code address}, recorded in {@code l}, answering 401s with the credentials when
         * the host may receive them.
         */
        private Next post(Log l, DiscoveryMethod method, String url, String address) {
            AttemptBuilder a = new AttemptBuilder(l, method, url);
            URI uri;
            try {
                uri = new URI(url);
                if (uri.getHost() == null) {
                    throw new URISyntaxException(url, "no host");
                }
            } catch (URISyntaxException e) {
                a.done(Outcome.FAILED, AttemptReason.of(AttemptReason.Key.URL_INVALID, "url", url));
                return new Next.MoveOn();
            }
            byte[] body = PoxCodec.writeRequest(AutodiscoverRequest.forEmail(address));
            HttpConnection c = null;
            try {
                c = connect(a, uri);
                HttpConnection.Response r = a.exchange(c, HttpMethod.POST, uri, null, body);
                int legs = 0;
                String host = uri.getHost().toLowerCase(Locale.ROOT);
                while (r.status() == 401 && o.credentials().isPresent() && legs < o.credentials().get().maxLegs()) {
                    if (!mayReceiveCredentials(host)) {
                        a.done(Outcome.FAILED, AttemptReason.of(AttemptReason.Key.CREDENTIALS_WITHHELD, "host", host, "domain", userDomain));
                        return new Next.MoveOn();
                    }
                    Optional<String> auth = o.credentials().get().answer(r.all("WWW-Authenticate"));
                    if (auth.isEmpty()) {
                        break;
                    }
                    legs++;
                    if (!c.isOpen() || "close".equalsIgnoreCase(r.first("Connection"))) {
                        c.close();
                        c = connect(a, uri);
                    }
                    r = a.exchange(c, HttpMethod.POST, uri, auth.get(), body);
                }
                return evaluate(l, a, r);
            } catch (StepFailure e) {
                a.done(Outcome.FAILED, e.reason());
                return new Next.MoveOn();
            } finally {
                if (c != null) {
                    c.close();
                }
            }
        }

        private Next evaluate(Log l, AttemptBuilder a, HttpConnection.Response r) {
            int status = r.status();
            if (status == 302 || status == 301) {
                String location = r.first("Location");
                if (location == null) {
                    a.done(Outcome.FAILED, AttemptReason.of(AttemptReason.Key.REDIRECT_WITHOUT_LOCATION, "status", status));
                    return new Next.MoveOn();
                }
                a.done(Outcome.ACCEPTED, AttemptReason.of(AttemptReason.Key.HTTP_REDIRECTED, "status", status, "location", location));
                return new Next.RedirectUrl(location, "HTTP " + status);
            }
            if (status == 401) {
                a.done(Outcome.FAILED, AttemptReason.of(o.credentials().isPresent() ? AttemptReason.Key.CREDENTIALS_REJECTED
                        : AttemptReason.Key.NO_CREDENTIALS));
                return new Next.MoveOn();
            }
            if (status != 200) {
                a.done(Outcome.FAILED, AttemptReason.of(AttemptReason.Key.HTTP_STATUS, "status", status));
                return new Next.MoveOn();
            }
            AutodiscoverResponse resp;
            try {
                resp = PoxCodec.readResponse(r.body());
            } catch (PoxParseException e) {
                a.done(Outcome.SKIPPED, AttemptReason.of(AttemptReason.Key.JUNK, "detail", e.getMessage()));
                return new Next.MoveOn();
            }
            if (resp.error().isPresent()) {
                AutodiscoverError err = resp.error().get();
                String text = "ErrorCode " + err.errorCode().value() + err.message().map(m -> " " + m).orElse("");
                l.lastError = Optional.of(text);
                a.done(Outcome.FAILED, AttemptReason.of(AttemptReason.Key.AUTODISCOVER_ERROR, "code", err.errorCode().value(), "message",
                        err.message().<Object>map(m -> AttemptReason.of(AttemptReason.Key.AUTODISCOVER_MESSAGE, "text", m)).orElse("")));
                return new Next.MoveOn();
            }
            Account acc = resp.account().orElseThrow();
            if (acc.action() == Action.REDIRECT_ADDR) {
                String to = acc.redirectAddr().orElseThrow();
                if (to.lastIndexOf('@') < 1) {
                    a.done(Outcome.FAILED, AttemptReason.of(AttemptReason.Key.REDIRECT_ADDR_INVALID, "to", to));
                    return new Next.MoveOn();
                }
                a.done(Outcome.ACCEPTED, AttemptReason.of(AttemptReason.Key.REDIRECT_ADDR, "to", to));
                return new Next.RedirectAddr(to);
            }
            if (acc.action() == Action.REDIRECT_URL) {
                String to = acc.redirectUrl().orElseThrow();
                a.done(Outcome.ACCEPTED, AttemptReason.of(AttemptReason.Key.REDIRECT_URL, "to", to));
                return new Next.RedirectUrl(to, "RedirectUrl");
            }
            a.done(Outcome.ACCEPTED, AttemptReason.of(AttemptReason.Key.SETTINGS, "protocols", acc.protocols().stream().map(Protocol::type)
                    .map(t -> t.wireName()).collect(Collectors.joining(", "))));
            return new Next.Settings(resp, a.url);
        }

        private HttpConnection connect(AttemptBuilder a, URI uri) throws StepFailure {
            boolean tls = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            String host = uri.getHost();
            NameResolver.Resolved res = names.resolve(stripBrackets(host), port);
            a.dnsAnswer = res.answer();
            a.connectedTo = res.address().getAddress().getHostAddress() + ":" + port;
            Optional<RecordingTrustManager> trust = tls
                    ? Optional.of(new RecordingTrustManager(RecordingTrustManager.base(o.trustAnchorsPem(), o.insecure())))
                    : Optional.empty();
            HttpConnection.Partial partial = new HttpConnection.Partial();
            try {
                return HttpConnection.open(group, res.address(), stripBrackets(host), port, trust, o.stepTimeout(),
                        partial);
            } finally {
                a.tcpConnectMillis = partial.connectMillis;
                a.tls = partial.tls;
            }
        }

        /** Counts one redirection; false when the budget of {@value DiscoveryOptions#MAX_REDIRECTS} is spent. */
        private boolean countRedirect() {
            if (redirects >= DiscoveryOptions.MAX_REDIRECTS) {
                return false;
            }
            redirects++;
            return true;
        }

        private boolean mayReceiveCredentials(String host) {
            String h = host.toLowerCase(Locale.ROOT);
            return h.equals(userDomain) || h.endsWith("." + userDomain) || o.allowedRedirectHosts().contains(h);
        }

        private void skipped(DiscoveryMethod m, String url, AttemptReason reason) {
            log.attempts.add(new Attempt(m, url, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    List.of(), 0, Outcome.SKIPPED, reason));
        }

        private AttemptReason tooManyRedirects() {
            return AttemptReason.of(AttemptReason.Key.TOO_MANY_REDIRECTS, "max", DiscoveryOptions.MAX_REDIRECTS);
        }

        /**
         * A step started before its turn: it records into a log of its own, which joins the run's when its turn comes
         * ({@link #take}); a step whose turn never comes is dropped, and nothing of it is reported.
         */
        private final class Ahead<T> {
            private final Log own = new Log();
            private final Future<T> result;

            Ahead(Function<Log, T> step) {
                result = probes.submit(() -> step.apply(own));
            }

            /**
             * Waits for the step (bounded by its own step timeouts) and records what it found as if it ran now. An
             * interrupt does not cut the wait short, as it does not cut short a step run in turn; it is kept.
             */
            T take() {
                boolean interrupted = false;
                try {
                    while (true) {
                        try {
                            T value = result.get();
                            log.append(own);
                            return value;
                        } catch (InterruptedException e) {
                            interrupted = true;
                        } catch (ExecutionException e) {
                            if (e.getCause() instanceof RuntimeException r) {
                                throw r;
                            }
                            if (e.getCause() instanceof Error err) {
                                throw err;
                            }
                            throw new IllegalStateException("autodiscover: a step failed: " + e.getCause(), e.getCause());
                        }
                    }
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            /** Not wanted (an earlier step answered): a waiting exchange ends at once, its connection closes. */
            void drop() {
                result.cancel(true);
            }
        }

        /** Collects one attempt's facts; {@link #done} appends it to its log. */
        private final class AttemptBuilder {
            final Log log;
            final DiscoveryMethod method;
            final String url;
            final long start = System.nanoTime();
            final List<HttpTranscript> http = new ArrayList<>();
            String dnsAnswer;
            String connectedTo;
            Long tcpConnectMillis;
            TlsInfo tls;

            AttemptBuilder(Log log, DiscoveryMethod method, String url) {
                this.log = log;
                this.method = method;
                this.url = url;
            }

            HttpConnection.Response exchange(HttpConnection c, HttpMethod m, URI uri, String authorization,
                    byte[] body) throws StepFailure {
                List<Map.Entry<String, String>> headers = new ArrayList<>();
                boolean tls = "https".equalsIgnoreCase(uri.getScheme());
                int port = uri.getPort();
                boolean defaultPort = port < 0 || tls && port == 443 || !tls && port == 80;
                headers.add(Map.entry("Host", uri.getHost() + (defaultPort ? "" : ":" + port)));
                headers.add(Map.entry("User-Agent", USER_AGENT));
                headers.add(Map.entry("Connection", "keep-alive"));
                if (m == HttpMethod.POST) {
                    headers.add(Map.entry("Content-Type", "text/xml; charset=utf-8"));
                }
                headers.add(Map.entry("Content-Length", Integer.toString(body.length)));
                if (authorization != null) {
                    headers.add(Map.entry("Authorization", authorization));
                }
                String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                if (uri.getRawQuery() != null) {
                    target += "?" + uri.getRawQuery();
                }
                HttpConnection.Response r = null;
                try {
                    r = c.exchange(m, target, headers, body, o.stepTimeout());
                    return r;
                } finally {
                    http.add(new HttpTranscript(m.name(), uri.toString(), redactHeaders(headers),
                            redact(new String(body, StandardCharsets.UTF_8)), r == null ? 0 : r.status(),
                            r == null ? List.of() : r.headers(),
                            r == null ? "" : redact(bodyText(r.body()))));
                }
            }

            void done(Outcome outcome, AttemptReason reason) {
                log.attempts.add(new Attempt(method, url, Optional.ofNullable(dnsAnswer), Optional.ofNullable(connectedTo),
                        Optional.ofNullable(tcpConnectMillis), Optional.ofNullable(tls), http, millisSince(start),
                        outcome, reason));
            }
        }

        private List<Map.Entry<String, String>> redactHeaders(List<Map.Entry<String, String>> headers) {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase("Authorization")) {
                    String v = h.getValue();
                    int sp = v.indexOf(' ');
                    out.add(Map.entry(h.getKey(), (sp > 0 ? v.substring(0, sp) : "") + " [redacted]"));
                } else {
                    out.add(h);
                }
            }
            return out;
        }

        private String redact(String text) {
            String out = text;
            if (o.credentials().isPresent()) {
                for (String secret : o.credentials().get().secrets()) {
                    if (!secret.isEmpty()) {
                        out = out.replace(secret, "[redacted]");
                    }
                }
            }
            return out;
        }
    }

    /** Why a redirect target is refused, or empty when it is an https URL ending in the Autodiscover path. */
    static Optional<AttemptReason> invalidTarget(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of(AttemptReason.of(AttemptReason.Key.TARGET_NOT_URL, "url", url, "path", PATH));
        }
        if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            return Optional.of(AttemptReason.of(AttemptReason.Key.TARGET_INVALID, "url", url, "path", PATH));
        }
        String path = u.getPath() == null ? "" : u.getPath().toLowerCase(Locale.ROOT);
        if (!path.endsWith(PATH)) {
            return Optional.of(AttemptReason.of(AttemptReason.Key.TARGET_INVALID, "url", url, "path", PATH));
        }
        return Optional.empty();
    }

    private static String port(int port, int defaultPort) {
        return port == defaultPort ? "" : ":" + port;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static String bodyText(byte[] body) {
        int n = Math.min(body.length, BODY_TEXT_LIMIT);
        String s = new String(body, 0, n, StandardCharsets.UTF_8);
        return body.length > n ? s + "…[" + (body.length - n) + " more bytes]" : s;
    }
}
