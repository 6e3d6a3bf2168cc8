package dev.anywhere.analyzer.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.check.CheckContext;
import dev.anywhere.analyzer.check.CheckResult;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.check.Outcome;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.analyzer.rpch.AddressBookClient;
import dev.anywhere.analyzer.rpch.MailboxLogon;
import dev.anywhere.analyzer.rpch.Referral;
import dev.anywhere.analyzer.rpch.RpcFaultException;
import dev.anywhere.analyzer.rpch.RpchFailure;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.analyzer.text.TextAudit;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.User;
import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.EcDoConnectEx;
import dev.anywhere.rpc.emsmdb.RopLogon;
import dev.anywhere.rpc.emsmdb.SpecialFolders;
import dev.anywhere.rpc.rfr.RfrCalls;
import dev.anywhere.rpc.wire.Octets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Outlook's sequence after the tunnel (referral, check name, home server, mailbox logon) without a network: each
 * answer and each refusal of a step becomes its summary and finding, in both languages.
 */
class MapiStepsTest {

    static final String ORG = "/o=FRANKYSWEB/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)";
    static final String DN = ORG + "/cn=Recipients/cn=franky";
    static final String EX1_DN = ORG + "/cn=Configuration/cn=Servers/cn=EX1";
    static final String EX2_DN = ORG + "/cn=Configuration/cn=Servers/cn=EX2";
    static final UUID MAILBOX = UUID.fromString("11111111-2222-3333-4444-555555555555");
    static final String EX1 = "ex1.frankysweb.local";
    static final String EX2 = "ex2.frankysweb.local";

    /** A scripted transport: answers per call, and the calls made as "call server". */
    static class Script implements MapiSteps.Transport {
        final List<String> calls = new ArrayList<>();
        Object newDsa = new Referral.Answer(Optional.of(EX1), 0);
        Object checkName = new MapiSteps.CheckName(AddressBookClient.Resolution.Status.RESOLVED, Optional.of(mailbox(EX2_DN)));
        List<Object> fqdn = new ArrayList<>(List.of(new Referral.Answer(Optional.of(EX2), 0)));
        List<Object> logOn = new ArrayList<>(List.of(loggedOn()));

        private static <T> T answer(Object o) throws RpchFailure {
            if (o instanceof RpchFailure f) {
                throw f;
            }
            @SuppressWarnings("unchecked")
            T t = (T) o;
            return t;
        }

        @Override
        public Referral.Answer newDsa(CheckContext ctx, String server, String userDn, Transcript t) throws RpchFailure {
            calls.add("newDsa " + server);
            assertThat(userDn).isEqualTo(DN);
            return answer(newDsa);
        }

        @Override
        public Referral.Answer fqdn(CheckContext ctx, String server, String serverDn, Transcript t) throws RpchFailure {
            calls.add("fqdn " + server + " " + MapiSteps.serverName(serverDn));
            return answer(fqdn.remove(0));
        }

        @Override
        public MapiSteps.CheckName checkName(CheckContext ctx, String server, String address, String userDn, Transcript t)
                throws RpchFailure {
            calls.add("checkName " + server + " " + address);
            return answer(checkName);
        }

        @Override
        public MailboxLogon.Result logOn(CheckContext ctx, String server, String userDn, Transcript t) throws RpchFailure {
            calls.add("logOn " + server);
            return answer(logOn.remove(0));
        }

        @Override
        public void finished(CheckContext ctx) {
            calls.add("finished");
        }
    }

    static AddressBookClient.Mailbox mailbox(String serverDn) {
        return new AddressBookClient.Mailbox(0x11, new AddressBookClient.Entry("Franky", "franky@frankysweb.org", "franky", DN),
                Optional.of(serverDn + "/cn=Microsoft Private MDB"));
    }

    static AnalyzeOptions options(String language, boolean credentials) {
        return new AnalyzeOptions("franky@frankysweb.org", credentials ? Optional.of("FRANKYSWEB\\franky") : Optional.empty(),
                credentials ? Optional.of("Secret-1") : Optional.empty(), List.of(), Optional.empty(), List.of(), Vantage.OUTSIDE,
                Duration.ofSeconds(3), language, Optional.empty(), 443, 80, List.of(), false);
    }

    static CheckContext autodiscovered() {
        CheckContext ctx = new CheckContext();
        ctx.put(Keys.AUTODISCOVER_RESPONSE, new AutodiscoverResponse(Optional.of(new User(Optional.of("Franky"), Optional.of(DN),
                Optional.empty(), Optional.empty(), Optional.empty())), Optional.of(dev.anywhere.autodiscover.pox.Account.settings(List.of())),
                Optional.empty()));
        ctx.put(Keys.PROXY, new ProxySettings("oa.frankysweb.org", 443, true, Optional.of("ntlm"), "msstd:oa.frankysweb.org", false, EX1));
        ctx.put(Keys.ECHO_SCHEME, "NTLM");
        return ctx;
    }

    static EcDoConnectEx.Response connect(int code) {
        return new EcDoConnectEx.Response(code == 0 ? new ContextHandle(0, UUID.randomUUID()) : ContextHandle.NULL, 60000, 6,
                10000, 1, "", "Franky", dev.anywhere.rpc.emsmdb.ProtocolVersion.of(14, 3, 123, 3), MailboxLogon.CLIENT_VERSION,
                0, Octets.EMPTY, code);
    }

    static MailboxLogon.Result loggedOn() {
        RopLogon.Success s = new RopLogon.Success(0, 1, SpecialFolders.of(MAILBOX), 7, MAILBOX, 1, SpecialFolders.replicaGuid(MAILBOX),
                LocalDateTime.of(2026, 12, 6, 14, 0), 0, 0);
        return new MailboxLogon.Result(connect(0), Optional.of(0), Optional.of(s), true);
    }

    static MailboxLogon.Result redirected(String to) {
        return new MailboxLogon.Result(connect(0), Optional.of(0), Optional.of(new RopLogon.Redirect(0, 1, to)), true);
    }

    static RpchFailure proxyRefuses(String server) {
        return new RpchFailure(RpchFailure.Hop.PROXY, RpchFailure.Kind.RPC_PROXY_ERROR, "503 RPC Error: 6ba for " + server + ":6001");
    }

    /** Runs the four steps in order on one context, as the check tree does. */
    static List<Outcome> run(String language, Script script) {
        AnalyzeOptions o = options(language, true);
        FindingCatalogue catalogue = FindingCatalogue.load(language);
        TunnelChecks tunnel = new TunnelChecks(o, catalogue);
        MapiSteps steps = new MapiSteps(o, catalogue, script, tunnel::failed);
        CheckContext ctx = autodiscovered();
        return List.of(steps.referral(ctx), steps.checkName(ctx), steps.homeServer(ctx), steps.logon(ctx));
    }

    static List<String> ids(Outcome o) {
        return o.findings().stream().map(Finding::id).toList();
    }

    @Test
    void eachStepUsesWhatTheOneBeforeFound() {
        Script s = new Script();
        List<Outcome> o = run("en", s);
        assertThat(o).extracting(Outcome::status).containsOnly(CheckStatus.PASSED);
        // the referral binding is kept until the last step, which closes it
        assertThat(s.calls).containsExactly("newDsa " + EX1, "checkName " + EX1 + " franky@frankysweb.org", "fqdn " + EX1 + " EX2",
                "logOn " + EX2, "finished");
        assertThat(o.get(0).summary()).isEqualTo("The server returned by the Referral service: " + EX1);
        assertThat(o.get(1).summary()).isEqualTo("DisplayName: Franky, LegDN: " + DN + ", home server: EX2");
        assertThat(o.get(2).summary()).isEqualTo("EX2 is " + EX2);
        assertThat(o.get(3).summary()).isEqualTo("logged on to Franky on " + EX2 + " (" + MAILBOX + ", server version 14.3.123.3)");
        assertThat(o.get(3).evidence().get(0).text()).contains(EX2 + ":6001 EcDoConnectEx szUserDN " + DN + ": ecNone (0x00000000)",
                "RopLogon: ecNone", "EcDoDisconnect: closed");
    }

    @Test
    void theReferralServiceRefusing() {
        Script s = new Script();
        s.newDsa = new Referral.Answer(Optional.empty(), 0x8004010F);
        List<Outcome> o = run("en", s);
        assertThat(ids(o.get(0))).containsExactly("referral.refused");
        assertThat(o.get(0).findings().get(0).title()).isEqualTo("The referral service on " + EX1
                + ":6002 refused RfrGetNewDSA (NOT_FOUND (0x8004010F))");
        // the address book is then asked on Autodiscover's server, as Outlook falls back
        assertThat(s.calls.get(1)).isEqualTo("checkName " + EX1 + " franky@frankysweb.org");
    }

    @Test
    void theRpcServerRefusingTheCredentialsTheProxyAccepted() {
        Script s = new Script();
        s.newDsa = new RpchFailure(RpchFailure.Hop.CALL, RpchFailure.Kind.RPC_FAULT, "fault ERROR_ACCESS_DENIED(0x5)",
                new RpcFaultException(DceStatus.ACCESS_DENIED, 2, 0));
        s.checkName = new RpchFailure(RpchFailure.Hop.BIND, RpchFailure.Kind.BIND_REJECTED, "bind_nak for NSPI: provider_reject_reason 8");
        List<Outcome> o = run("en", s);
        assertThat(ids(o.get(0))).containsExactly("rpc.dce-auth-refused");
        assertThat(ids(o.get(1))).containsExactly("rpc.dce-auth-refused");
        Finding f = o.get(0).findings().get(0);
        assertThat(f.title()).isEqualTo("The RPC server EX1 refused the DCE/RPC authentication of FRANKYSWEB\\franky");
        assertThat(f.cause()).contains("accepted FRANKYSWEB\\franky with HTTP NTLM", EX1 + ":6002");
        // nothing found: the later steps fall back or skip, and only the logon's own answer counts
        assertThat(o.get(2).status()).isEqualTo(CheckStatus.SKIPPED);
        assertThat(s.calls).containsExactly("newDsa " + EX1, "checkName " + EX1 + " franky@frankysweb.org", "logOn " + EX1, "finished");
    }

    @Test
    void aMailboxHiddenFromTheAddressLists() {
        Script s = new Script();
        s.checkName = new MapiSteps.CheckName(AddressBookClient.Resolution.Status.UNRESOLVED, Optional.of(mailbox(EX1_DN)));
        s.fqdn = new ArrayList<>(List.of(new Referral.Answer(Optional.of(EX1), 0)));
        List<Outcome> o = run("en", s);
        assertThat(o.get(1).status()).isEqualTo(CheckStatus.WARNING);
        assertThat(ids(o.get(1))).containsExactly("addressbook.user-hidden");
        assertThat(o.get(1).summary()).isEqualTo("franky@frankysweb.org does not resolve by name; found by its LegDN: DisplayName: "
                + "Franky, home server: EX1");
        // found by DN, the home server is known and the mailbox logon works
        assertThat(o.get(3).status()).isEqualTo(CheckStatus.PASSED);
        assertThat(o.get(1).findings().get(0).cause()).contains("Still working for its owner", "Not working");
    }

    @Test
    void aUserTheAddressBookDoesNotKnow() {
        Script s = new Script();
        s.checkName = new MapiSteps.CheckName(AddressBookClient.Resolution.Status.UNRESOLVED, Optional.empty());
        List<Outcome> o = run("en", s);
        assertThat(ids(o.get(1))).containsExactly("addressbook.user-not-found");
        assertThat(o.get(1).findings().get(0).title()).isEqualTo("franky@frankysweb.org is not in the address book of " + EX1);
        assertThat(o.get(2).summary()).isEqualTo("skipped: the address book named no home server");
        assertThat(s.calls).endsWith("logOn " + EX1, "finished");
    }

    @Test
    void aHomeServerTheProxyDoesNotAllow() {
        Script s = new Script();
        s.logOn = new ArrayList<>(List.of(proxyRefuses(EX2)));
        Outcome logon = run("en", s).get(3);
        assertThat(ids(logon)).containsExactly("rpc.home-server-not-allowed");
        Finding f = logon.findings().get(0);
        assertThat(f.title()).isEqualTo("The proxy does not let Outlook reach the mailbox server EX2");
        assertThat(f.fix()).startsWith("Add EX2 to the proxy's ValidPorts: EX2:6001-6002;EX2:6004;" + EX2 + ":6001-6002;" + EX2 + ":6004.");
        assertThat(f.cause()).contains("(" + EX2 + ", from the address book and the Referral service)");
    }

    @Test
    void autodiscoversOwnServerRefusedIsThePortFinding() {
        Script s = new Script();
        s.fqdn = new ArrayList<>(List.of(new Referral.Answer(Optional.of(EX1), 0)));
        s.logOn = new ArrayList<>(List.of(proxyRefuses(EX1)));
        assertThat(ids(run("en", s).get(3))).containsExactly("rpc.port-not-allowed");
    }

    @Test
    void aRedirectIsFollowedOnceThroughTheReferralService() {
        Script s = new Script();
        s.checkName = new MapiSteps.CheckName(AddressBookClient.Resolution.Status.RESOLVED, Optional.of(mailbox(EX1_DN)));
        s.fqdn = new ArrayList<>(List.of(new Referral.Answer(Optional.of(EX1), 0), new Referral.Answer(Optional.of(EX2), 0)));
        s.logOn = new ArrayList<>(List.of(redirected(EX2_DN), loggedOn()));
        Outcome logon = run("en", s).get(3);
        assertThat(logon.status()).isEqualTo(CheckStatus.PASSED);
        assertThat(logon.summary()).startsWith("logged on to Franky on " + EX2);
        assertThat(s.calls).endsWith("logOn " + EX1, "fqdn " + EX1 + " EX2", "logOn " + EX2, "finished");
        assertThat(logon.evidence().get(0).text()).contains("RopLogon: ecWrongServer", "-> " + EX2_DN);
    }

    @Test
    void aRedirectThatCannotBeFollowed() {
        Script s = new Script();
        s.checkName = new MapiSteps.CheckName(AddressBookClient.Resolution.Status.RESOLVED, Optional.of(mailbox(EX1_DN)));
        s.fqdn = new ArrayList<>(List.of(new Referral.Answer(Optional.of(EX1), 0), new Referral.Answer(Optional.empty(), 0x8004010F)));
        s.logOn = new ArrayList<>(List.of(redirected(EX2_DN)));
        Outcome logon = run("en", s).get(3);
        assertThat(ids(logon)).containsExactly("mailbox.wrong-server");
        assertThat(logon.findings().get(0).fix()).contains(EX2_DN);

        Script refused = new Script();
        refused.checkName = s.checkName;
        refused.fqdn = new ArrayList<>(List.of(new Referral.Answer(Optional.of(EX1), 0), new Referral.Answer(Optional.of(EX2), 0)));
        refused.logOn = new ArrayList<>(List.of(redirected(EX2_DN), proxyRefuses(EX2)));
        Outcome o = run("en", refused).get(3);
        assertThat(ids(o)).containsExactly("rpc.home-server-not-allowed");
        assertThat(o.findings().get(0).cause()).contains("from the store's ecWrongServer redirect");
    }

    @Test
    void encryptionRequiredAndLogonDenied() {
        Script s = new Script();
        s.logOn = new ArrayList<>(List.of(new MailboxLogon.Result(connect(EcCode.NOT_ENCRYPTED), Optional.empty(), Optional.empty(), false)));
        Outcome en = run("en", s).get(3);
        assertThat(en.summary()).isEqualTo("EcDoConnectEx answered ecNotEncrypted (0x00000970)");
        assertThat(ids(en)).containsExactly("mailbox.encryption-required");

        Script d = new Script();
        d.logOn = new ArrayList<>(List.of(new MailboxLogon.Result(connect(0), Optional.of(0),
                Optional.of(new RopLogon.Failure(0, EcCode.LOGIN_FAILURE)), true)));
        Outcome de = run("de", d).get(3);
        assertThat(ids(de)).containsExactly("mailbox.logon-denied");
        assertThat(de.summary()).isEqualTo("RopLogon antwortete ecLoginFailure (0x80040111)");
        assertThat(de.findings().get(0).title()).startsWith("Die Postfachanmeldung von FRANKYSWEB\\franky wurde abgelehnt");
    }

    @Test
    void germanTextsOfEveryOutcome() {
        Script hidden = new Script();
        hidden.checkName = new MapiSteps.CheckName(AddressBookClient.Resolution.Status.UNRESOLVED, Optional.of(mailbox(EX2_DN)));
        hidden.logOn = new ArrayList<>(List.of(proxyRefuses(EX2)));
        List<Outcome> o = run("de", hidden);
        assertThat(o.get(0).summary()).isEqualTo("Der vom Verweisdienst genannte Server: " + EX1);
        assertThat(o.get(1).findings().get(0).title()).isEqualTo("franky@frankysweb.org ist in den Adresslisten ausgeblendet");
        assertThat(o.get(2).summary()).isEqualTo("EX2 ist " + EX2);
        assertThat(o.get(3).findings().get(0).title()).isEqualTo("Der Proxy lässt Outlook nicht zum Postfachserver EX2");
        for (Outcome x : o) {
            for (Finding f : x.findings()) {
                for (String t : List.of(x.summary(), f.title(), f.cause(), f.fix())) {
                    assertThat(TextAudit.englishWords(t)).as(t).isEmpty();
                }
            }
        }
    }

    @Test
    void aRefusedReferralSaysItsAnswerInTheReportsLanguage() {
        Script s = new Script();
        s.newDsa = new Referral.Answer(Optional.empty(), RfrCalls.NOT_FOUND);
        s.fqdn = new ArrayList<>(List.of(new Referral.Answer(Optional.empty(), RfrCalls.INVALID_PARAMETER)));
        List<Outcome> de = run("de", s);
        assertThat(de.get(0).evidence().get(0).text())
                .isEqualTo("RfrGetNewDSA pUserDN " + DN + ": NotFound(0x8004010f): kein Exchange-Server hat diesen DN\n");
        assertThat(de.get(2).evidence().get(0).text()).isEqualTo("RfrGetFQDNFromServerDN " + EX2_DN
                + ": InvalidParameter(0x80070057): kein Server-DN (/o=…/ou=…/cn=Configuration/cn=Servers/cn=NAME)\n");
        List<CheckResult> steps = new ArrayList<>();
        for (Outcome x : de) {
            steps.add(new CheckResult("step-" + steps.size(), "Schritt " + steps.size(), x.status(), x.summary(), 0, x.evidence(),
                    x.findings(), List.of()));
        }
        CheckResult tree = new CheckResult("rpc-proxy.mapi", Messages.of("de").get("check.rpc-proxy.mapi.title"), CheckStatus.PASSED, "",
                0, List.of(), List.of(), steps);
        assertThat(TextAudit.audit(tree, "de")).isEmpty();

        Script en = new Script();
        en.newDsa = new Referral.Answer(Optional.empty(), RfrCalls.NOT_FOUND);
        assertThat(run("en", en).get(0).evidence().get(0).text())
                .isEqualTo("RfrGetNewDSA pUserDN " + DN + ": NotFound(0x8004010f): no Exchange server has that DN\n");
    }

    @Test
    void skippedWithoutCredentialsOrLegacyDn() {
        Script never = new Script() {
            @Override
            public Referral.Answer newDsa(CheckContext ctx, String server, String userDn, Transcript t) {
                throw new AssertionError("no call expected");
            }
        };
        MapiSteps anonymous = new MapiSteps(options("en", false), FindingCatalogue.load("en"), never, (c, s, p, f, t) -> {
            throw new AssertionError();
        });
        assertThat(anonymous.referral(autodiscovered()).summary()).isEqualTo("skipped: needs credentials (--user, --password-env)");
        assertThat(anonymous.logon(autodiscovered()).status()).isEqualTo(CheckStatus.SKIPPED);
        MapiSteps german = new MapiSteps(options("de", true), FindingCatalogue.load("de"), never, (c, s, p, f, t) -> {
            throw new AssertionError();
        });
        CheckContext noDn = new CheckContext();
        noDn.put(Keys.PROXY, autodiscovered().require(Keys.PROXY, ProxySettings.class));
        assertThat(german.logon(noDn).summary()).isEqualTo("übersprungen: die Autodiscover-Antwort nennt keinen LegacyDN");
    }
}
