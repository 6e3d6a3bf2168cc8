package dev.anywhere.analyzer.checks;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.check.Check;
import dev.anywhere.analyzer.check.CheckContext;
import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.check.Outcome;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.rpch.Epm;
import dev.anywhere.analyzer.rpch.MailboxLogon;
import dev.anywhere.analyzer.rpch.OutlookSequence;
import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.Referral;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.analyzer.rpch.RpcFaultException;
import dev.anywhere.analyzer.rpch.RpcPing;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.RpchFailure;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.analyzer.rpch.VirtualConnection;
import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.EpmStubs;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The steps that need a virtual connection through the proxy, as RCA's "ping the endpoint" steps: RPC pings to the
 * store (6001), referral (6002) and address book (6004) endpoints and an endpoint-mapper lookup (593), then Outlook's
 * sequence after the tunnel ({@link MapiSteps}: referral, check name, home server, mailbox logon). A failure is
 * classified by where the tunnel broke: a hop that refuses the methods, buffers or limits the 1 GiB IN body,
 * ValidPorts, an endpoint that does not answer, an RPC server that refuses the credentials the proxy accepted.
 */
final class TunnelChecks {

    private final AnalyzeOptions options;
    private final FindingCatalogue catalogue;
    private final Messages text;

    TunnelChecks(AnalyzeOptions options, FindingCatalogue catalogue) {
        this.options = options;
        this.catalogue = catalogue;
        this.text = Messages.of(options.language());
    }

    List<Check> checks() {
        List<Check> checks = new java.util.ArrayList<>(List.of(ping(6001, text.get("check.rpc-proxy.ping-6001.title")),
                ping(6002, text.get("check.rpc-proxy.ping-6002.title")),
                ping(6004, text.get("check.rpc-proxy.ping-6004.title")),
                Check.of("rpc-proxy.epm", text.get("check.rpc-proxy.epm.title"), this::epm),
                mapi()));
        options.idleProbe().ifPresent(d -> checks.add(Check.of("rpc-proxy.idle", text.get("check.rpc-proxy.idle.title",
                Map.of("seconds", d.toSeconds())), ctx -> idle(ctx, d)).withTimeout(d.plus(options.stepTimeout().multipliedBy(3)))));
        return checks;
    }

    /**
     * Opens a virtual connection, leaves it without traffic (no pings, as a hop sees an Outlook between keep-alives),
     * then calls again: a hop that cuts idle connections shows as a dead connection.
     */
    private Outcome idle(CheckContext ctx, java.time.Duration idle) throws Exception {
        if (options.anonymous()) {
            return Outcome.skipped(text.get("summary.skipped.needs-credentials"));
        }
        Transcript t = new Transcript();
        RpchClientOptions o = clientOptions(ctx, 6001).toBuilder().pingInterval(idle.multipliedBy(4)).build();
        long timeout = options.stepTimeout().toMillis();
        try (VirtualConnection vc = VirtualConnection.open(o, t)) {
            int contextId = vc.bind(dev.anywhere.analyzer.rpch.Mgmt.INTERFACE).get(timeout, TimeUnit.MILLISECONDS).contextId();
            dev.anywhere.analyzer.rpch.Mgmt.isServerListening(vc, contextId).get(timeout, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            Thread.sleep(idle.toMillis());
            try {
                dev.anywhere.analyzer.rpch.Mgmt.isServerListening(vc, contextId).get(timeout, TimeUnit.MILLISECONDS);
                return Outcome.passed(text.get("summary.idle.passed", Map.of("seconds", idle.toSeconds())));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                String when = vc.failure().map(this::sentence).orElse(text.cause(e.getCause() == null ? e : e.getCause()));
                return Outcome.warning(when, catalogue.finding("proxy.idle-cutoff", Map.of("seconds", (System.nanoTime() - start) / 1_000_000_000L)))
                        .with(transcript(t));
            }
        } catch (RpchFailure f) {
            return failed(ctx, 6001, f, t);
        }
    }

    private Check ping(int port, String title) {
        return Check.of("rpc-proxy.ping-" + port, title, ctx -> {
            if (options.anonymous()) {
                return Outcome.skipped(text.get("summary.skipped.needs-credentials"));
            }
            Transcript t = new Transcript();
            try {
                RpcPing.Result r = RpcPing.run(clientOptions(ctx, port), false, 1, RpcPing.Probe.IS_SERVER_LISTENING, t);
                Map<String, Object> v = Map.of("target", target(ctx, port), "latency", RpcPing.millis(r.latency().medianMicros()),
                        "ms", r.opened().map(d -> d.toMillis()).orElse(0L));
                return Outcome.passed(text.get(r.opened().isPresent() ? "summary.ping.passed-opened" : "summary.ping.passed", v))
                        .with(transcript(t));
            } catch (RpchFailure f) {
                return failed(ctx, port, f, t);
            }
        });
    }

    /**
     * Outlook's sequence after the tunnel ({@link MapiSteps}) through the proxy, each binding authenticated with NTLM at
     * the level the profile asks for (PKT_PRIVACY when it encrypts, as Outlook by default; PKT_INTEGRITY when "Encrypt
     * data between Outlook and Exchange" is off), with the account of the HTTP leg.
     */
    private Check mapi() {
        return new MapiSteps(options, catalogue, new ThroughProxy(), this::failed).check();
    }

    /** The binding's DCE/RPC authentication, as the profile's encryption setting makes Outlook bind. */
    private RpcAuth rpcAuth() {
        NtlmCredentials account = NtlmCredentials.parse(options.user().orElseThrow(), options.password().orElseThrow());
        return options.rpcEncryption() ? RpcAuth.privacy(account)
                : new RpcAuth(dev.anywhere.rpc.dce.AuthVerifier.LEVEL_PKT_INTEGRITY, account);
    }

    /**
     * The calls of {@link MapiSteps} through the proxy, on the servers the steps name: Outlook's connections as
     * {@link OutlookSequence} makes them (the referral binding kept from the first step to the home server's), one
     * per run, kept in the run's context and closed after the last step.
     */
    private final class ThroughProxy implements MapiSteps.Transport {
        private OutlookSequence outlook(CheckContext ctx) {
            Optional<OutlookSequence> kept = ctx.get(Keys.OUTLOOK, OutlookSequence.class);
            if (kept.isPresent()) {
                return kept.get();
            }
            OutlookSequence outlook = new OutlookSequence((server, port) -> clientOptions(ctx, server, port), rpcAuth());
            ctx.put(Keys.OUTLOOK, outlook);
            return outlook;
        }

        @Override
        public Referral.Answer newDsa(CheckContext ctx, String server, String userDn, Transcript t) throws RpchFailure {
            return outlook(ctx).newDsa(server, userDn, t);
        }

        @Override
        public Referral.Answer fqdn(CheckContext ctx, String server, String serverDn, Transcript t) throws RpchFailure {
            return outlook(ctx).fqdn(server, serverDn, t);
        }

        @Override
        public MapiSteps.CheckName checkName(CheckContext ctx, String server, String address, String userDn, Transcript t)
                throws RpchFailure {
            OutlookSequence.AddressBookAnswer a = outlook(ctx).addressBook(server, Optional.of(address), userDn, t);
            return new MapiSteps.CheckName(a.byName().orElseThrow(), a.byDn());
        }

        @Override
        public MailboxLogon.Result logOn(CheckContext ctx, String server, String userDn, Transcript t) throws RpchFailure {
            return outlook(ctx).logOn(server, userDn, t);
        }

        @Override
        public void finished(CheckContext ctx) {
            ctx.get(Keys.OUTLOOK, OutlookSequence.class).ifPresent(OutlookSequence::close);
        }
    }

    private Outcome epm(CheckContext ctx) throws Exception {
        if (options.anonymous()) {
            return Outcome.skipped(text.get("summary.skipped.needs-credentials"));
        }
        Transcript t = new Transcript();
        try (VirtualConnection vc = VirtualConnection.open(clientOptions(ctx, 593), t)) {
            int contextId = vc.bind(Epm.INTERFACE).get(options.stepTimeout().toMillis(), TimeUnit.MILLISECONDS).contextId();
            EpmStubs.LookupResult r = Epm.lookup(vc, contextId, ContextHandle.NULL, 50).get(options.stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
            StringBuilder list = new StringBuilder();
            r.entries().forEach(e -> list.append(e.annotation()).append(' ').append(e.tower().map(Object::toString).orElse("")).append('\n'));
            return Outcome.passed(text.get("summary.epm.passed", Map.of("count", r.entries().size())))
                    .with(new Evidence(text.get("evidence.endpoint-mapper"), list.toString())).with(transcript(t));
        } catch (RpchFailure f) {
            return failed(ctx, 593, f, t);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RpchFailure f) {
                return failed(ctx, 593, f, t);
            }
            throw e;
        }
    }

    private RpchClientOptions clientOptions(CheckContext ctx, int port) {
        return clientOptions(ctx, ctx.require(Keys.PROXY, ProxySettings.class).rpcServer(), port);
    }

    /** The virtual connection's options for {@code server:port} through the proxy of the settings. */
    private RpchClientOptions clientOptions(CheckContext ctx, String server, int port) {
        ProxySettings p = ctx.require(Keys.PROXY, ProxySettings.class);
        InetSocketAddress address = ctx.require(Keys.PROXY_ADDRESS, InetSocketAddress.class);
        String user = options.user().orElseThrow();
        String password = options.password().orElseThrow();
        boolean basic = p.requiredScheme().map(s -> s.equals("Basic")).orElse(false);
        ProxyAuth auth = basic ? new ProxyAuth.Basic(user, password) : new ProxyAuth.Ntlm(NtlmCredentials.parse(user, password), "ANYWHERE");
        // The system's trust store plus every --trust file; only the user's --insecure turns validation off.
        return RpchClientOptions.builder(p.host(), p.port(), server, port).tls(p.ssl()).addressOverride(address.getAddress())
                .auth(auth).timeouts(options.stepTimeout()).trust(options.trust()).insecure(options.insecure()).build();
    }

    private static String target(CheckContext ctx, int port) {
        return ctx.require(Keys.PROXY, ProxySettings.class).rpcServer() + ":" + port;
    }

    private Outcome failed(CheckContext ctx, int port, RpchFailure f, Transcript t) {
        return failed(ctx, ctx.require(Keys.PROXY, ProxySettings.class).rpcServer(), port, f, t);
    }

    /** Turns where the client's attempt to reach {@code server:port} broke into the finding that explains it. */
    Outcome failed(CheckContext ctx, String server, int port, RpchFailure f, Transcript t) {
        ProxySettings p = ctx.require(Keys.PROXY, ProxySettings.class);
        Map<String, Object> v = new HashMap<>();
        v.put("target", server + ":" + port);
        v.put("server", server.split("\\.")[0].toUpperCase(Locale.ROOT));
        v.put("host", p.host());
        v.put("detail", sentence(f));
        v.put("user", options.user().orElse(""));
        v.put("scheme", p.requiredScheme().orElse("NTLM"));
        String detail = f.detail().toLowerCase(Locale.ROOT);
        if (dceAuthRefused(f)) {
            // The HTTP leg passed with these credentials (or there would be no bind): the RPC server checks them elsewhere.
            v.put("scheme", ctx.get(Keys.ECHO_SCHEME, String.class).orElse(v.get("scheme").toString()));
            return Outcome.failed(sentence(f), catalogue.finding("rpc.dce-auth-refused", v)).with(transcript(t));
        }
        Finding finding = switch (f.kind()) {
            case RPC_PROXY_ERROR -> catalogue.finding("rpc.port-not-allowed", v);
            case NOT_RPC_PROXY, CLOSED -> catalogue.finding(f.hop() == RpchFailure.Hop.HTTP ? "proxy.http10-or-close" : "rpc.endpoint-unreachable", v);
            // The echo passed with these credentials over NTLM: a 401 on a channel is a hop splitting NTLM's handshake
            // across backend connections (nginx without connection pinning), not a wrong password.
            case HTTP_UNAUTHORIZED -> catalogue.finding(ctx.get(Keys.ECHO_SCHEME, String.class).filter("NTLM"::equals).isPresent()
                    ? "proxy.ntlm-pooling" : "auth.credentials-rejected", v);
            case HTTP_NOT_FOUND -> catalogue.finding("proxy.rpc-not-found", v);
            case HTTP_METHOD_NOT_ALLOWED -> {
                v.put("status", "405");
                v.put("serverHeader", text.get("detail.a-hop"));
                yield catalogue.finding("proxy.method-refused", v);
            }
            case HTTP_STATUS -> detail.contains("413") || detail.contains("411") || detail.contains("entity too large")
                    ? catalogue.finding("proxy.request-buffered", v) : catalogue.finding("rpc.virtual-connection-failed", v);
            case TIMEOUT -> f.hop() == RpchFailure.Hop.VIRTUAL_CONNECTION
                    ? catalogue.finding(detail.contains("a3") ? "proxy.response-buffered" : "proxy.request-buffered", v)
                    : catalogue.finding("check.timeout", Map.of("step", text.get("hop." + f.hop().name()), "timeoutMs", options.stepTimeout().toMillis()));
            default -> catalogue.finding("rpc.virtual-connection-failed", v);
        };
        return Outcome.failed(sentence(f), finding).with(transcript(t));
    }

    /**
     * Whether an authenticated binding failed on its credentials: the server sends no answer to rpc_auth_3, so a refused
     * AUTHENTICATE shows as the fault ERROR_ACCESS_DENIED on the first call; a bind_nak or a bind_ack without a
     * challenge refuses the authentication itself.
     *
     * @see [MS-RPCE] 3.3.1.5.2.2 (rpc_auth_3 has no response)
     */
    static boolean dceAuthRefused(RpchFailure f) {
        if (f.kind() == RpchFailure.Kind.RPC_AUTH) {
            return true;
        }
        if (f.kind() == RpchFailure.Kind.BIND_REJECTED && f.detail().startsWith("bind_nak")) {
            return true;
        }
        return f.kind() == RpchFailure.Kind.RPC_FAULT && f.getCause() instanceof RpcFaultException fault
                && fault.status().code() == DceStatus.ACCESS_DENIED.code();
    }

    /**
     * Where the tunnel broke and why, in the report's language: the hop and the kind from the bundle, then the
     * client's detail line in this language when it comes from the bundle ({@link RpchFailure#detail(Messages)});
     * a detail the client wrote in English only is shown only where the English text has room for it.
     */
    private String sentence(RpchFailure f) {
        Optional<String> localized = f.detail(text);
        String detail = localized.orElse(f.detail());
        return text.get(localized.isPresent() ? "summary.rpch.failed.detailed" : "summary.rpch.failed", Map.of("hop",
                text.get("hop." + f.hop().name()), "cause", text.get("kind." + f.kind().name()), "detail",
                Messages.CLASS_NAME.matcher(detail).find() ? "-" : detail));
    }

    private Evidence transcript(Transcript t) {
        return new Evidence(text.get("evidence.pdu-transcript"), String.join("\n", t.lines(text)));
    }
}
