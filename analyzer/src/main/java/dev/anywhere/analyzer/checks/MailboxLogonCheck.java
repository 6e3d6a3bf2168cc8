package dev.anywhere.analyzer.checks;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.check.Check;
import dev.anywhere.analyzer.check.CheckContext;
import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.check.Outcome;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.rpch.MailboxLogon;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.User;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.RopLogon;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * RCA's "Attempting to log on to the Mailbox": Outlook's logon sequence ({@link MailboxLogon}) for the LegacyDN the
 * Autodiscover answer gave, and the finding that explains a refusal — encryption required (ecNotEncrypted), logon
 * denied (any other refusal of EcDoConnectEx or RopLogon), or the mailbox living on another server (the ecWrongServer
 * redirect, which Outlook then follows through the proxy).
 *
 * <p>Kept in a class of its own: how the logon reaches the store (a virtual connection through the proxy, bound
 * with NTLM at PKT_PRIVACY) is the {@link Runner} the caller supplies, so the check tree adds this step once the
 * analyzer's client seals its DCE/RPC bindings.
 */
final class MailboxLogonCheck {

    /** Runs the logon sequence for {@code userDn} on a binding to the store; throws what the transport threw. */
    @FunctionalInterface
    interface Runner {
        MailboxLogon.Result logOn(CheckContext ctx, String userDn) throws Exception;
    }

    private final AnalyzeOptions options;
    private final FindingCatalogue catalogue;
    private final Runner runner;
    private final boolean de;

    MailboxLogonCheck(AnalyzeOptions options, FindingCatalogue catalogue, Runner runner) {
        this.options = Objects.requireNonNull(options, "options");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.de = options.language().equals("de");
    }

    Check check() {
        return Check.of("rpc-proxy.mailbox-logon", de ? "Am Postfach anmelden" : "Attempting to log on to the mailbox", this::run);
    }

    Outcome run(CheckContext ctx) throws Exception {
        if (options.anonymous()) {
            return Outcome.skipped(de ? "übersprungen: braucht Anmeldedaten" : "skipped: needs credentials");
        }
        Optional<String> dn = ctx.get(Keys.AUTODISCOVER_RESPONSE, AutodiscoverResponse.class)
                .flatMap(AutodiscoverResponse::user).flatMap(User::legacyDn);
        if (dn.isEmpty()) {
            return Outcome.skipped(de ? "übersprungen: die Autodiscover-Antwort nennt keinen LegacyDN"
                    : "skipped: the Autodiscover answer names no LegacyDN");
        }
        MailboxLogon.Result r = runner.logOn(ctx, dn.get());
        Evidence evidence = new Evidence("EMSMDB", evidence(dn.get(), r));
        if (r.loggedOn()) {
            RopLogon.Success s = (RopLogon.Success) r.logon().orElseThrow();
            return Outcome.passed((de ? "angemeldet an " : "logged on to ") + r.connect().displayName() + " (" + s.mailboxGuid()
                    + (de ? ", Server-Version " : ", server version ") + r.connect().serverVersion() + ")").with(evidence);
        }
        if (r.logon().orElse(null) instanceof RopLogon.Redirect redirect) {
            return Outcome.failed((de ? "Postfach liegt auf " : "the mailbox lives on ") + redirect.serverName(),
                    catalogue.finding("mailbox.wrong-server", Map.of("user", options.user().orElse(""),
                            "server", redirect.serverName()))).with(evidence);
        }
        MailboxLogon.Failure f = r.failure().orElseThrow();
        String summary = f.step() + ": " + EcCode.describe(f.code());
        Finding finding = f.step() == MailboxLogon.Step.CONNECT && f.code() == EcCode.NOT_ENCRYPTED
                ? catalogue.finding("mailbox.encryption-required", Map.of("user", options.user().orElse("")))
                : catalogue.finding("mailbox.logon-denied", Map.of("user", options.user().orElse(""), "dn", dn.get(),
                        "code", EcCode.describe(f.code())));
        return Outcome.failed(summary, finding).with(evidence);
    }

    private static String evidence(String dn, MailboxLogon.Result r) {
        StringBuilder b = new StringBuilder();
        b.append("EcDoConnectEx szUserDN ").append(dn).append(": ").append(EcCode.describe(r.connect().returnValue()))
                .append(", server version ").append(r.connect().serverVersion()).append('\n');
        r.rpcReturnValue().ifPresent(v -> b.append("EcDoRpcExt2: ").append(EcCode.describe(v)).append('\n'));
        r.logon().ifPresent(l -> b.append("RopLogon: ").append(EcCode.describe(l.returnValue())).append('\n'));
        b.append("EcDoDisconnect: ").append(r.disconnected() ? "closed" : "not called or refused").append('\n');
        return b.toString();
    }
}
