package dev.anywhere.analyzer.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.PoxCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutlookProfileTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    static AutodiscoverResponse answer(String expr) throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">"
                + "<Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\">"
                + "<User><DisplayName>Franky Weber</DisplayName><AutoDiscoverSMTPAddress>franky@frankysweb.org</AutoDiscoverSMTPAddress></User>"
                + "<Account><AccountType>email</AccountType><Action>settings</Action>"
                + "<Protocol><Type>EXCH</Type><Server>ex1.frankysweb.local</Server><ServerExclusiveConnect>off</ServerExclusiveConnect></Protocol>"
                + expr + "</Account></Response></Autodiscover>";
        return PoxCodec.readResponse(xml.getBytes(StandardCharsets.UTF_8));
    }

    static String expr(String server, String auth, String extra) {
        return "<Protocol><Type>EXPR</Type><Server>" + server + "</Server><SSL>On</SSL><AuthPackage>" + auth + "</AuthPackage>" + extra
                + "</Protocol>";
    }

    @Test
    void settingsFollowTheAnswerAsOutlookMapsThem() throws Exception {
        OutlookProfile.Settings s = OutlookProfile.Settings.from(answer(expr("oa.frankysweb.org", "Ntlm",
                "<ServerExclusiveConnect>on</ServerExclusiveConnect><CertPrincipalName>msstd:oa.frankysweb.org</CertPrincipalName>")));
        assertThat(s.flags()).containsExactlyInAnyOrder(RohFlags.USE_ROH, RohFlags.SSL_ONLY, RohFlags.MUTUAL_AUTH,
                RohFlags.HTTP_FIRST_ON_FAST, RohFlags.HTTP_FIRST_ON_SLOW);
        assertThat(RohFlags.toBits(s.flags())).isEqualTo(0x2f);
        assertThat(s.principal()).hasValue("msstd:oa.frankysweb.org");
        assertThat(s.authScheme()).hasValue("ntlm");
        // Without CertPrincipalName Outlook implies msstd:<Server>; without ServerExclusiveConnect HTTP first only on slow networks.
        OutlookProfile.Settings plain = OutlookProfile.Settings.from(answer(expr("oa.frankysweb.org", "Basic", "")));
        assertThat(plain.principal()).hasValue("msstd:oa.frankysweb.org");
        assertThat(plain.flags()).doesNotContain(RohFlags.HTTP_FIRST_ON_FAST).contains(RohFlags.HTTP_FIRST_ON_SLOW);
        assertThat(OutlookProfile.Settings.from(answer("")).flags()).isEmpty();
    }

    @Test
    void outlook2016RefreshesHourlyWithJitterAndBacksOffAfterFailure() {
        RefreshPolicy p = RefreshPolicy.OUTLOOK_2016;
        assertThat(p.next(T0, true, 1, () -> 0.0)).hasValue(T0.plus(Duration.ofMinutes(45)));
        assertThat(p.next(T0, true, 1, () -> 0.5)).hasValue(T0.plus(Duration.ofHours(1)));
        assertThat(p.next(T0, true, 1, () -> 0.999999)).get().satisfies(t ->
                assertThat(Duration.between(T0, t)).isLessThanOrEqualTo(Duration.ofMinutes(75)).isGreaterThan(Duration.ofMinutes(74)));
        assertThat(p.next(T0, false, 1, () -> 0.0)).hasValue(T0.plus(Duration.ofSeconds(225)));
        assertThat(p.next(T0, false, 1, () -> 0.5)).hasValue(T0.plus(Duration.ofMinutes(5)));
        assertThat(p.next(T0, true, 3, () -> 0.5)).hasValue(T0.plus(Duration.ofHours(3)));
        assertThat(p.next(T0, true, 0, () -> 0.5)).isEmpty();
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 1000; i++) {
            Duration d = Duration.between(T0, p.next(T0, true, 1, r::nextDouble).orElseThrow());
            assertThat(d).isBetween(Duration.ofMinutes(45), Duration.ofMinutes(75));
        }
    }

    @Test
    void anExistingProfileIsUpdatedByOutlook2016ButNotByTheLegacyPolicy() throws Exception {
        AutodiscoverResponse before = answer(expr("oa.old-host.org", "Basic", ""));
        AutodiscoverResponse after = answer(expr("oa.frankysweb.org", "Ntlm", ""));
        OutlookProfile modern = OutlookProfile.create("franky@frankysweb.org", before, RefreshPolicy.OUTLOOK_2016, T0, () -> 0.5);
        OutlookProfile legacy = OutlookProfile.create("franky@frankysweb.org", before, RefreshPolicy.LEGACY, T0, () -> 0.5);
        Instant later = T0.plus(Duration.ofHours(1));
        assertThat(modern.refreshDue(later)).isTrue();
        assertThat(modern.refreshDue(T0.plus(Duration.ofMinutes(59)))).isFalse();
        OutlookProfile m2 = modern.refreshed(Optional.of(after), later, () -> 0.5);
        OutlookProfile l2 = legacy.refreshed(Optional.of(after), later, () -> 0.5);
        assertThat(m2.proxyServer()).hasValue("oa.frankysweb.org");
        assertThat(l2.proxyServer()).hasValue("oa.old-host.org");
        assertThat(l2.settings().differences(OutlookProfile.Settings.from(after)))
                .containsExactly("proxy oa.old-host.org -> oa.frankysweb.org", "principal msstd:oa.old-host.org -> msstd:oa.frankysweb.org",
                        "authentication basic -> ntlm");
        OutlookProfile failed = m2.refreshed(Optional.empty(), later.plus(Duration.ofHours(1)), () -> 0.5);
        assertThat(failed.lastRefreshSucceeded()).isFalse();
        assertThat(failed.proxyServer()).hasValue("oa.frankysweb.org");
        assertThat(failed.nextRefresh()).hasValue(later.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(5)));
    }

    @Test
    void theConnectionChoiceFollowsFlagsNetworkAndReachability() throws Exception {
        OutlookProfile exclusive = OutlookProfile.create("franky@frankysweb.org", answer(expr("oa.frankysweb.org", "Ntlm",
                "<ServerExclusiveConnect>on</ServerExclusiveConnect>")), RefreshPolicy.OUTLOOK_2016, T0, () -> 0.5);
        assertThat(ConnectionChoice.choose(exclusive, true, h -> true).transport()).isEqualTo(ConnectionChoice.Transport.EXPR_RPC_HTTP);
        assertThat(ConnectionChoice.choose(exclusive, true, h -> true).reason()).isEqualTo("HTTP first on fast networks (EXPR ServerExclusiveConnect on)");
        OutlookProfile classic = OutlookProfile.create("franky@frankysweb.org", answer(expr("oa.frankysweb.org", "Ntlm", "")),
                RefreshPolicy.OUTLOOK_2016, T0, () -> 0.5);
        assertThat(ConnectionChoice.choose(classic, true, h -> true).transport()).isEqualTo(ConnectionChoice.Transport.EXCH_RPC_TCP);
        ConnectionChoice.Choice outside = ConnectionChoice.choose(classic, true, h -> false);
        assertThat(outside.transport()).isEqualTo(ConnectionChoice.Transport.EXPR_RPC_HTTP);
        assertThat(outside.reason()).isEqualTo("the mailbox server ex1.frankysweb.local cannot be reached from here: falling back to Outlook Anywhere");
        assertThat(outside.reason(dev.anywhere.analyzer.text.Messages.of("de")))
                .isEqualTo("der Postfachserver ex1.frankysweb.local ist von hier aus nicht erreichbar: Outlook Anywhere als Ausweg");
        assertThat(ConnectionChoice.choose(classic, false, h -> true).transport()).isEqualTo(ConnectionChoice.Transport.EXPR_RPC_HTTP);
        OutlookProfile noOa = OutlookProfile.create("franky@frankysweb.org", answer(""), RefreshPolicy.OUTLOOK_2016, T0, () -> 0.5);
        assertThat(ConnectionChoice.choose(noOa, true, h -> false).transport()).isEqualTo(ConnectionChoice.Transport.NONE);
        assertThat(ConnectionChoice.choose(noOa, true, h -> false).reason(dev.anywhere.analyzer.text.Messages.of("de")))
                .isEqualTo("das Profil hat keine Outlook-Anywhere-Einstellungen, und der Postfachserver ex1.frankysweb.local ist von hier aus nicht erreichbar");
    }

    @Test
    void profilesSurviveTheStore(@TempDir Path dir) throws Exception {
        OutlookProfile p = OutlookProfile.create("Franky@frankysweb.org", answer(expr("oa.frankysweb.org", "Ntlm", "")),
                RefreshPolicy.LEGACY, T0, () -> 0.25);
        ProfileStore store = new ProfileStore(dir);
        store.save(p);
        assertThat(store.load("franky@frankysweb.org")).hasValue(p);
        assertThat(store.load("nobody@frankysweb.org")).isEmpty();
        assertThat(RohFlags.fromBits(0x2f)).isEqualTo(Set.copyOf(EnumSet.allOf(RohFlags.class)));
    }

    static final String FRANKY_DN = "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky";

    static AutodiscoverResponse withLegacyDn(String expr) throws Exception {
        String xml = new String(PoxCodec.writeResponse(answer(expr)), StandardCharsets.UTF_8);
        return PoxCodec.readResponse(xml.replace("</DisplayName>", "</DisplayName><LegacyDN>" + FRANKY_DN + "</LegacyDN>")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theUsersLegacyDnAndTheEncryptionChoiceAreKept(@TempDir Path dir) throws Exception {
        OutlookProfile p = OutlookProfile.create("franky@frankysweb.org", withLegacyDn(expr("oa.frankysweb.org", "Ntlm", "")),
                RefreshPolicy.OUTLOOK_2016, T0, () -> 0.5);
        assertThat(p.userDn()).hasValue(FRANKY_DN);
        assertThat(p.encryptRpc()).as("Outlook encrypts by default").isTrue();
        ProfileStore store = new ProfileStore(dir);
        store.save(p.withEncryptRpc(false));
        assertThat(store.load("franky@frankysweb.org")).hasValue(p.withEncryptRpc(false));
        // A profile stored before the DN was kept learns it at its next refresh, even under the legacy policy.
        OutlookProfile old = OutlookProfile.create("franky@frankysweb.org", answer(expr("oa.frankysweb.org", "Ntlm", "")),
                RefreshPolicy.LEGACY, T0, () -> 0.5);
        assertThat(old.userDn()).isEmpty();
        OutlookProfile refreshed = old.refreshed(Optional.of(withLegacyDn(expr("oa.frankysweb.org", "Ntlm", ""))), T0, () -> 0.5);
        assertThat(refreshed.userDn()).hasValue(FRANKY_DN);
        assertThat(refreshed.refreshed(Optional.empty(), T0, () -> 0.5).userDn()).hasValue(FRANKY_DN);
        java.nio.file.Files.writeString(store.file("old@frankysweb.org"), "{\"email\":\"old@frankysweb.org\",\"rohFlags\":1,"
                + "\"policy\":\"LEGACY\",\"created\":\"2026-11-26T10:00:00Z\",\"lastRefresh\":\"2026-11-26T10:00:00Z\"}");
        OutlookProfile loaded = store.load("old@frankysweb.org").orElseThrow();
        assertThat(loaded.userDn()).isEmpty();
        assertThat(loaded.encryptRpc()).isTrue();
    }
}
