package dev.anywhere.analyzer.checks;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.check.Check;
import dev.anywhere.analyzer.check.CheckContext;
import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.check.Outcome;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.rpch.AddressBookClient;
import dev.anywhere.analyzer.rpch.MailboxLogon;
import dev.anywhere.analyzer.rpch.Referral;
import dev.anywhere.analyzer.rpch.RpchFailure;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.User;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.RopLogon;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What Outlook does after the tunnel, as RCA tests it, one step after the other: ask the referral service for the
 * address book server (RfrGetNewDSA for the user's legacyExchangeDN), check the user's name in the address book there
 * (NspiResolveNamesW; then the entry by DN, which also gives the home database, PR_EMS_AB_HOME_MDB), ask the referral
 * service for the home server's FQDN (RfrGetFQDNFromServerDN), and log on to the mailbox on that server, following an
 * ecWrongServer redirect once as Outlook does. Each step uses what the one before found and falls back to
 * Autodiscover's server when it found nothing.
 *
 * <p>How the calls reach the servers is the {@link Transport}: through the proxy, bound with NTLM at the profile's
 * level, on the connections {@link dev.anywhere.analyzer.rpch.OutlookSequence} opens for {@code anywhere profile
 * connect} too (the referral binding of the first step kept for the home server's). Where a tunnel breaks is classified
 * by the {@link Tunnel}, as for the pings; both can be replaced in tests.
 *
 * @see [MS-OXABREF] 3.1.4.1, 3.1.4.2
 * @see [MS-OXNSPI] 3.1.4.1.17, 3.1.4.1.13
 * @see [MS-OXCRPC] 3.1.4.1
 */
final class MapiSteps {

    /** The ports a mailbox server needs in ValidPorts: store and referral (a range, as Exchange writes it), address book. */
    static final String PORTS = "6001-6002";

    /** The calls of each step; transport failures are {@link RpchFailure}s. */
    interface Transport {
        /** RfrGetNewDSA on {@code server}:6002; the binding may stay open for {@link #fqdn}. */
        Referral.Answer newDsa(CheckContext ctx, String server, String userDn, Transcript t) throws RpchFailure;

        /** RfrGetFQDNFromServerDN on {@code server}:6002, on the referral binding still open when there is one. */
        Referral.Answer fqdn(CheckContext ctx, String server, String serverDn, Transcript t) throws RpchFailure;

        /** NspiBind on {@code server}:6004, NspiResolveNamesW of {@code address}, the entry of {@code userDn}, NspiUnbind. */
        CheckName checkName(CheckContext ctx, String server, String address, String userDn, Transcript t) throws RpchFailure;

        /** {@link MailboxLogon} for {@code userDn} on {@code server}:6001. */
        MailboxLogon.Result logOn(CheckContext ctx, String server, String userDn, Transcript t) throws RpchFailure;

        /** After the last step: closes what the steps kept open. */
        default void finished(CheckContext ctx) {
        }
    }

    /** Turns a broken tunnel into its outcome (the pings' classification). */
    @FunctionalInterface
    interface Tunnel {
        Outcome failed(CheckContext ctx, String server, int port, RpchFailure f, Transcript t);
    }

    /**
     * What the address book said about the user.
     *
     * @param byName NspiResolveNamesW's answer for the SMTP address
     * @param byDn the entry found by legacyExchangeDN (NspiDNToMId, NspiGetProps); empty when the server knows no such DN
     */
    record CheckName(AddressBookClient.Resolution.Status byName, Optional<AddressBookClient.Mailbox> byDn) {
        CheckName {
            Objects.requireNonNull(byName, "byName");
            Objects.requireNonNull(byDn, "byDn");
        }
    }

    private final AnalyzeOptions options;
    private final FindingCatalogue catalogue;
    private final Messages text;
    private final Transport transport;
    private final Tunnel tunnel;

    MapiSteps(AnalyzeOptions options, FindingCatalogue catalogue, Transport transport, Tunnel tunnel) {
        this.options = Objects.requireNonNull(options, "options");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.tunnel = Objects.requireNonNull(tunnel, "tunnel");
        this.text = Messages.of(options.language());
    }

    /** The four steps in Outlook's order, one after the other; each step's timeout covers its virtual connections. */
    Check check() {
        java.time.Duration step = options.stepTimeout();
        return Check.group("rpc-proxy.mapi", text.get("check.rpc-proxy.mapi.title"), List.of(
                Check.of("rpc-proxy.referral", text.get("check.rpc-proxy.referral.title"), this::referral)
                        .withTimeout(step.multipliedBy(3)),
                Check.of("rpc-proxy.check-name", text.get("check.rpc-proxy.check-name.title", Map.of("address", options.target())),
                        this::checkName).withTimeout(step.multipliedBy(5)),
                Check.of("rpc-proxy.home-server", text.get("check.rpc-proxy.home-server.title"), this::homeServer)
                        .withTimeout(step.multipliedBy(3)),
                // open, bind, three calls; once more after a redirect, with the referral call between
                Check.of("rpc-proxy.mailbox-logon", text.get("check.rpc-proxy.mailbox-logon.title"), this::logon)
                        .withTimeout(step.multipliedBy(12))));
    }

    /** The user's legacyExchangeDN from Autodiscover, or why the step cannot run. */
    private Optional<Outcome> cannotRun(CheckContext ctx) {
        if (options.anonymous()) {
            return Optional.of(Outcome.skipped(text.get("summary.skipped.needs-credentials")));
        }
        if (userDn(ctx).isEmpty()) {
            return Optional.of(Outcome.skipped(text.get("summary.skipped.no-legacy-dn")));
        }
        return Optional.empty();
    }

    private static Optional<String> userDn(CheckContext ctx) {
        return ctx.get(Keys.AUTODISCOVER_RESPONSE, AutodiscoverResponse.class).flatMap(AutodiscoverResponse::user)
                .flatMap(User::legacyDn);
    }

    /** Autodiscover's server (EXCH), or the manual settings' server: where Outlook starts. */
    private static String autodiscoverServer(CheckContext ctx) {
        return ctx.require(Keys.PROXY, ProxySettings.class).rpcServer();
    }

    Outcome referral(CheckContext ctx) {
        Optional<Outcome> no = cannotRun(ctx);
        if (no.isPresent()) {
            return no.get();
        }
        String dn = userDn(ctx).orElseThrow();
        String server = autodiscoverServer(ctx);
        Transcript t = new Transcript();
        Referral.Answer a;
        try {
            a = transport.newDsa(ctx, server, dn, t);
        } catch (RpchFailure f) {
            return tunnel.failed(ctx, server, 6002, f, t);
        }
        Evidence rfr = new Evidence("RFR", "RfrGetNewDSA pUserDN " + dn + ": " + a.describe(text) + "\n");
        if (!a.found()) {
            return refused(server, "RfrGetNewDSA", dn, a).with(rfr).with(transcript(t));
        }
        ctx.put(Keys.NSPI_SERVER, a.server().get());
        return Outcome.passed(text.get("summary.referral.passed", Map.of("server", a.server().get()))).with(rfr).with(transcript(t));
    }

    Outcome checkName(CheckContext ctx) {
        Optional<Outcome> no = cannotRun(ctx);
        if (no.isPresent()) {
            return no.get();
        }
        String dn = userDn(ctx).orElseThrow();
        // Outlook asks the server the referral service named; without one, Autodiscover's.
        String server = ctx.get(Keys.NSPI_SERVER, String.class).orElse(autodiscoverServer(ctx));
        String address = options.target();
        Transcript t = new Transcript();
        CheckName answer;
        try {
            answer = transport.checkName(ctx, server, address, dn, t);
        } catch (RpchFailure f) {
            return tunnel.failed(ctx, server, 6004, f, t);
        }
        Evidence nspi = new Evidence("NSPI", "NspiResolveNamesW " + address + ": " + answer.byName() + "\nNspiDNToMId " + dn + ": "
                + answer.byDn().map(m -> "MId " + m.mid() + ", PR_EMS_AB_HOME_MDB " + m.homeDatabaseDn().orElse("-")).orElse("not found")
                + "\n");
        Map<String, Object> v = new HashMap<>();
        v.put("address", address);
        v.put("dn", dn);
        v.put("server", server);
        if (answer.byDn().isEmpty()) {
            return Outcome.failed(text.get("summary.check-name.not-found", v), catalogue.finding("addressbook.user-not-found", v))
                    .with(nspi).with(transcript(t));
        }
        AddressBookClient.Mailbox m = answer.byDn().get();
        // RfrGetFQDNFromServerDN takes the server's DN; the database's (below it) is accepted too.
        m.homeServerDn().or(m::homeDatabaseDn).ifPresent(home -> ctx.put(Keys.HOME_SERVER_DN, home));
        v.put("name", m.entry().displayName());
        v.put("home", m.homeServerDn().map(MapiSteps::serverName).orElse(text.get("detail.none")));
        return switch (answer.byName()) {
            case RESOLVED -> Outcome.passed(text.get("summary.check-name.passed", v)).with(nspi).with(transcript(t));
            case AMBIGUOUS -> Outcome.passed(text.get("summary.check-name.ambiguous", v)).with(nspi).with(transcript(t));
            // Found by DN, not by name: the server's name resolution leaves the entry out, as it does hidden ones.
            case UNRESOLVED -> Outcome.warning(text.get("summary.check-name.hidden", v), catalogue.finding("addressbook.user-hidden", v))
                    .with(nspi).with(transcript(t));
        };
    }

    Outcome homeServer(CheckContext ctx) {
        Optional<Outcome> no = cannotRun(ctx);
        if (no.isPresent()) {
            return no.get();
        }
        Optional<String> serverDn = ctx.get(Keys.HOME_SERVER_DN, String.class);
        if (serverDn.isEmpty()) {
            return Outcome.skipped(text.get("summary.skipped.no-home-server"));
        }
        String server = autodiscoverServer(ctx);
        Transcript t = new Transcript();
        Referral.Answer a;
        try {
            a = transport.fqdn(ctx, server, serverDn.get(), t);
        } catch (RpchFailure f) {
            return tunnel.failed(ctx, server, 6002, f, t);
        }
        Evidence rfr = new Evidence("RFR", "RfrGetFQDNFromServerDN " + serverDn.get() + ": " + a.describe(text) + "\n");
        if (!a.found()) {
            return refused(server, "RfrGetFQDNFromServerDN", serverDn.get(), a).with(rfr).with(transcript(t));
        }
        ctx.put(Keys.HOME_SERVER, a.server().get());
        return Outcome.passed(text.get("summary.home-server.passed", Map.of("server", serverName(serverDn.get()), "fqdn",
                a.server().get()))).with(rfr).with(transcript(t));
    }

    /**
     * RCA's "Attempting to log on to the Mailbox" on the home server (Autodiscover's server when the address book named
     * none); an ecWrongServer redirect is followed once, through the referral service, as Outlook does.
     */
    Outcome logon(CheckContext ctx) {
        try {
            return logonStep(ctx);
        } finally {
            // the last step: the referral binding was kept for the home server's FQDN and a redirect
            transport.finished(ctx);
        }
    }

    private Outcome logonStep(CheckContext ctx) {
        Optional<Outcome> no = cannotRun(ctx);
        if (no.isPresent()) {
            return no.get();
        }
        String dn = userDn(ctx).orElseThrow();
        Optional<String> home = ctx.get(Keys.HOME_SERVER, String.class);
        String server = home.orElse(autodiscoverServer(ctx));
        String source = text.get(home.isPresent() ? "detail.source.address-book" : "detail.source.autodiscover");
        Transcript t = new Transcript();
        MailboxLogon.Result r;
        try {
            r = transport.logOn(ctx, server, dn, t);
        } catch (RpchFailure f) {
            return logonTunnelFailed(ctx, server, source, f, t);
        }
        StringBuilder log = new StringBuilder(evidence(server, dn, r));
        if (r.logon().orElse(null) instanceof RopLogon.Redirect redirect) {
            Outcome wrong = Outcome.failed(text.get("summary.mailbox-logon.lives-on", Map.of("server", redirect.serverName())),
                    catalogue.finding("mailbox.wrong-server", Map.of("user", user(), "server", redirect.serverName())));
            Referral.Answer a;
            try {
                a = transport.fqdn(ctx, autodiscoverServer(ctx), redirect.serverName(), t);
            } catch (RpchFailure f) {
                return wrong.with(new Evidence("EMSMDB", log.toString())).with(transcript(t));
            }
            log.append("RfrGetFQDNFromServerDN ").append(redirect.serverName()).append(": ").append(a.describe()).append('\n');
            if (!a.found() || a.server().get().equalsIgnoreCase(server)) {
                return wrong.with(new Evidence("EMSMDB", log.toString())).with(transcript(t));
            }
            server = a.server().get();
            source = text.get("detail.source.redirect");
            try {
                r = transport.logOn(ctx, server, dn, t);
            } catch (RpchFailure f) {
                return logonTunnelFailed(ctx, server, source, f, t).with(new Evidence("EMSMDB", log.toString()));
            }
            log.append(evidence(server, dn, r));
            if (r.logon().orElse(null) instanceof RopLogon.Redirect) {
                return wrong.with(new Evidence("EMSMDB", log.toString())).with(transcript(t));
            }
        }
        Evidence emsmdb = new Evidence("EMSMDB", log.toString());
        if (r.loggedOn()) {
            RopLogon.Success s = (RopLogon.Success) r.logon().orElseThrow();
            return Outcome.passed(text.get("summary.mailbox-logon.passed", Map.of("name", r.connect().displayName(), "server", server,
                    "guid", s.mailboxGuid(), "version", r.connect().serverVersion()))).with(emsmdb).with(transcript(t));
        }
        MailboxLogon.Failure f = r.failure().orElseThrow();
        String summary = text.get("summary.rpc.answered", Map.of("call", call(f.step()), "code", EcCode.describe(f.code())));
        Finding finding = f.step() == MailboxLogon.Step.CONNECT && f.code() == EcCode.NOT_ENCRYPTED
                ? catalogue.finding("mailbox.encryption-required", Map.of("user", user()))
                : catalogue.finding("mailbox.logon-denied", Map.of("user", user(), "dn", dn, "code", EcCode.describe(f.code())));
        return Outcome.failed(summary, finding).with(emsmdb).with(transcript(t));
    }

    /**
     * A tunnel to the home server that the proxy refuses (503 RPC Error: 6ba) while Autodiscover's server passed: the
     * mailbox server is missing from ValidPorts. Everything else is classified as for the pings.
     */
    private Outcome logonTunnelFailed(CheckContext ctx, String server, String source, RpchFailure f, Transcript t) {
        if (f.kind() != RpchFailure.Kind.RPC_PROXY_ERROR || server.equalsIgnoreCase(autodiscoverServer(ctx))) {
            return tunnel.failed(ctx, server, 6001, f, t);
        }
        String shortName = server.split("\\.")[0].toUpperCase(Locale.ROOT);
        Map<String, Object> v = new HashMap<>();
        v.put("user", user());
        v.put("server", shortName);
        v.put("fqdn", server);
        v.put("source", source);
        v.put("target", server + ":6001");
        v.put("ports", shortName + ":" + PORTS + ";" + shortName + ":6004;" + server + ":" + PORTS + ";" + server + ":6004");
        return Outcome.failed(text.get("summary.mailbox-logon.not-allowed", Map.of("server", server)),
                catalogue.finding("rpc.home-server-not-allowed", v)).with(transcript(t));
    }

    private Outcome refused(String server, String call, String dn, Referral.Answer a) {
        String code = a.outcome().name() + String.format(Locale.ROOT, " (0x%08X)", a.code());
        return Outcome.failed(text.get("summary.rpc.answered", Map.of("call", call, "code", code)), catalogue.finding("referral.refused",
                Map.of("target", server + ":6002", "call", call, "code", code, "dn", dn)));
    }

    private String user() {
        return options.user().orElse("");
    }

    private static String call(MailboxLogon.Step step) {
        return switch (step) {
            case CONNECT -> "EcDoConnectEx";
            case LOGON -> "RopLogon";
            case DISCONNECT -> "EcDoDisconnect";
        };
    }

    /** {@code EX1} from {@code /o=…/cn=Configuration/cn=Servers/cn=EX1[/cn=…]}; the DN itself when it names no server. */
    static String serverName(String dn) {
        String lower = dn.toLowerCase(Locale.ROOT);
        String marker = "/cn=servers/cn=";
        int at = lower.indexOf(marker);
        if (at < 0) {
            return dn;
        }
        String rest = dn.substring(at + marker.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private static String evidence(String server, String dn, MailboxLogon.Result r) {
        StringBuilder b = new StringBuilder();
        b.append(server).append(":6001 EcDoConnectEx szUserDN ").append(dn).append(": ").append(EcCode.describe(r.connect().returnValue()))
                .append(", server version ").append(r.connect().serverVersion()).append('\n');
        r.rpcReturnValue().ifPresent(v -> b.append("EcDoRpcExt2: ").append(EcCode.describe(v)).append('\n'));
        r.logon().ifPresent(l -> b.append("RopLogon: ").append(EcCode.describe(l.returnValue()))
                .append(l instanceof RopLogon.Redirect redirect ? " -> " + redirect.serverName() : "").append('\n'));
        b.append("EcDoDisconnect: ").append(r.disconnected() ? "closed" : "not called or refused").append('\n');
        return b.toString();
    }

    private Evidence transcript(Transcript t) {
        return new Evidence(text.get("evidence.pdu-transcript"), String.join("\n", t.lines(text)));
    }
}
