package dev.anywhere.analyzer.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.check.CheckContext;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.check.Outcome;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.analyzer.rpch.MailboxLogon;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.User;
import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.Octets;
import dev.anywhere.rpc.emsmdb.EcCode;
import dev.anywhere.rpc.emsmdb.EcDoConnectEx;
import dev.anywhere.rpc.emsmdb.RopLogon;
import dev.anywhere.rpc.emsmdb.SpecialFolders;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** RCA's mailbox logon step: each outcome of the logon sequence becomes its summary and finding, in both languages. */
class MailboxLogonCheckTest {

    static final String DN = "/o=FRANKYSWEB/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky";
    static final UUID MAILBOX = UUID.fromString("11111111-2222-3333-4444-555555555555");

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
        return ctx;
    }

    static EcDoConnectEx.Response connect(int code) {
        return new EcDoConnectEx.Response(code == 0 ? new ContextHandle(0, UUID.randomUUID()) : ContextHandle.NULL, 60000, 6,
                10000, 1, "", "Franky", dev.anywhere.rpc.emsmdb.ProtocolVersion.of(14, 3, 123, 3), MailboxLogon.CLIENT_VERSION,
                0, Octets.EMPTY, code);
    }

    static Outcome run(String language, MailboxLogon.Result result) throws Exception {
        return new MailboxLogonCheck(options(language, true), FindingCatalogue.load(language), (ctx, dn) -> {
            assertThat(dn).isEqualTo(DN);
            return result;
        }).run(autodiscovered());
    }

    static List<String> ids(Outcome o) {
        return o.findings().stream().map(Finding::id).toList();
    }

    @Test
    void loggedOn() throws Exception {
        RopLogon.Success s = new RopLogon.Success(0, 1, SpecialFolders.of(MAILBOX), 7, MAILBOX, 1, SpecialFolders.replicaGuid(MAILBOX),
                LocalDateTime.of(2026, 12, 6, 14, 0), 0, 0);
        Outcome o = run("en", new MailboxLogon.Result(connect(0), Optional.of(0), Optional.of(s), true));
        assertThat(o.status()).isEqualTo(CheckStatus.PASSED);
        assertThat(o.summary()).isEqualTo("logged on to Franky (" + MAILBOX + ", server version 14.3.123.3)");
        assertThat(o.evidence().get(0).text()).contains("EcDoConnectEx szUserDN " + DN + ": ecNone (0x00000000)",
                "RopLogon: ecNone", "EcDoDisconnect: closed");
    }

    @Test
    void encryptionRequired() throws Exception {
        MailboxLogon.Result r = new MailboxLogon.Result(connect(EcCode.NOT_ENCRYPTED), Optional.empty(), Optional.empty(), false);
        Outcome en = run("en", r);
        assertThat(en.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(en.summary()).isEqualTo("CONNECT: ecNotEncrypted (0x00000970)");
        assertThat(ids(en)).containsExactly("mailbox.encryption-required");
        assertThat(en.findings().get(0).title()).isEqualTo("The mailbox server requires encrypted RPC, the connection of FRANKYSWEB\\franky is not sealed");
        assertThat(run("de", r).findings().get(0).title()).startsWith("Der Postfachserver verlangt verschlüsseltes RPC");
    }

    @Test
    void logonDenied() throws Exception {
        Outcome o = run("en", new MailboxLogon.Result(connect(0), Optional.of(0),
                Optional.of(new RopLogon.Failure(0, EcCode.LOGIN_FAILURE)), true));
        assertThat(ids(o)).containsExactly("mailbox.logon-denied");
        assertThat(o.findings().get(0).title()).isEqualTo("The mailbox logon of FRANKYSWEB\\franky was refused (ecLoginFailure (0x80040111))");
        Outcome connectDenied = run("de", new MailboxLogon.Result(connect(EcCode.ACCESS_DENIED), Optional.empty(), Optional.empty(), false));
        assertThat(ids(connectDenied)).containsExactly("mailbox.logon-denied");
        assertThat(connectDenied.findings().get(0).title()).startsWith("Die Postfachanmeldung von FRANKYSWEB\\franky wurde abgelehnt");
    }

    @Test
    void mailboxOnAnotherServer() throws Exception {
        String ex2 = "/o=FRANKYSWEB/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration/cn=Servers/cn=EX2";
        Outcome o = run("en", new MailboxLogon.Result(connect(0), Optional.of(0), Optional.of(new RopLogon.Redirect(0, 1, ex2)), true));
        assertThat(o.status()).isEqualTo(CheckStatus.FAILED);
        assertThat(ids(o)).containsExactly("mailbox.wrong-server");
        assertThat(o.findings().get(0).fix()).contains(ex2);
    }

    @Test
    void skippedWithoutCredentialsOrLegacyDn() throws Exception {
        MailboxLogonCheck.Runner never = (ctx, dn) -> {
            throw new AssertionError("no logon expected");
        };
        assertThat(new MailboxLogonCheck(options("en", false), FindingCatalogue.load("en"), never).run(autodiscovered()).summary())
                .isEqualTo("skipped: needs credentials");
        assertThat(new MailboxLogonCheck(options("de", true), FindingCatalogue.load("de"), never).run(new CheckContext()).summary())
                .isEqualTo("übersprungen: die Autodiscover-Antwort nennt keinen LegacyDN");
    }
}
