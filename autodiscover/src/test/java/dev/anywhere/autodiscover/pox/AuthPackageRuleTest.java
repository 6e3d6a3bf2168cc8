package dev.anywhere.autodiscover.pox;

import static dev.anywhere.autodiscover.pox.AuthMethod.BASIC;
import static dev.anywhere.autodiscover.pox.AuthMethod.NEGOTIATE;
import static dev.anywhere.autodiscover.pox.AuthMethod.NEGO_EX;
import static dev.anywhere.autodiscover.pox.AuthMethod.NTLM;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthPackageRuleTest {

    private static final Set<AuthMethod> ALL = EnumSet.of(BASIC, NTLM, NEGOTIATE);
    private static final String OUTLOOK_2016_WIN10 =
            "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.4266; Pro)";
    private static final String OUTLOOK_2010_OLD_WIN7 =
            "Microsoft Office/14.0 (Windows NT 6.1; Microsoft Outlook 14.0.4760; Pro)";
    private static final String OUTLOOK_2010_SP1_WIN7 =
            "Microsoft Office/14.0 (Windows NT 6.1; Microsoft Outlook 14.0.5133; Pro)";
    private static final String OUTLOOK_2007_WIN7 =
            "Microsoft Office/12.0 (Windows NT 6.1; Microsoft Office Outlook 12.0.6552; Pro)";
    private static final String OUTLOOK_2013_VISTA =
            "Microsoft Office/15.0 (Windows NT 6.0; Microsoft Outlook 15.0.4420; Pro)";

    private static Optional<AuthPackage> choose(AuthMethod configured, Set<AuthMethod> iis, boolean ssl,
            String canHandle, String ua) {
        return AuthPackageRule.choose(Optional.of(configured), iis, ssl, canHandle, ua);
    }

    @Test
    void basicAndNtlmPassThrough() {
        assertThat(choose(BASIC, ALL, true, null, null)).contains(AuthPackage.BASIC);
        assertThat(choose(NTLM, ALL, true, null, null)).contains(AuthPackage.NTLM);
    }

    @Test
    void negotiateForCapableClients() {
        assertThat(choose(NEGOTIATE, ALL, true, "Negotiate", null)).contains(AuthPackage.NEGOTIATE);
        assertThat(choose(NEGOTIATE, ALL, true, "ExHttpInfo,negotiate", null)).contains(AuthPackage.NEGOTIATE);
        assertThat(choose(NEGOTIATE, ALL, true, null, OUTLOOK_2016_WIN10)).contains(AuthPackage.NEGOTIATE);
        assertThat(choose(NEGOTIATE, ALL, true, null, OUTLOOK_2010_SP1_WIN7)).contains(AuthPackage.NEGOTIATE);
        assertThat(choose(NEGOTIATE, ALL, true, null, OUTLOOK_2007_WIN7)).contains(AuthPackage.NEGOTIATE);
    }

    @Test
    void negotiateDowngradesToNtlmWhenIisHasNtlmOrNegotiate() {
        assertThat(choose(NEGOTIATE, ALL, true, null, null)).contains(AuthPackage.NTLM);
        assertThat(choose(NEGOTIATE, ALL, true, null, OUTLOOK_2010_OLD_WIN7)).contains(AuthPackage.NTLM);
        assertThat(choose(NEGOTIATE, ALL, true, null, OUTLOOK_2013_VISTA)).contains(AuthPackage.NTLM);
        assertThat(choose(NEGOTIATE, EnumSet.of(NEGOTIATE), false, "ExHttpInfo", null)).contains(AuthPackage.NTLM);
    }

    @Test
    void negotiateDowngradesToBasicOnlyWithSsl() {
        assertThat(choose(NEGOTIATE, EnumSet.of(BASIC), true, null, null)).contains(AuthPackage.BASIC);
        assertThat(choose(NEGOTIATE, EnumSet.of(BASIC), false, null, null)).isEmpty();
        assertThat(choose(NEGOTIATE, EnumSet.noneOf(AuthMethod.class), true, null, null)).isEmpty();
    }

    @Test
    void negoExOnlyForNegoExClients() {
        assertThat(choose(NEGO_EX, ALL, true, "NegoEx", null)).contains(AuthPackage.NEGO2);
        assertThat(choose(NEGO_EX, ALL, true, "Negotiate", null)).contains(AuthPackage.NEGOTIATE);
        assertThat(choose(NEGO_EX, ALL, true, null, null)).contains(AuthPackage.NTLM);
    }

    @Test
    void misconfiguredOmitsAuthPackage() {
        assertThat(AuthPackageRule.choose(Optional.empty(), ALL, true, ClientCapabilities.NONE)).isEmpty();
        assertThat(choose(AuthMethod.KERBEROS, ALL, true, "Negotiate", null)).isEmpty();
    }

    @Test
    void capabilitiesFromHeaders() {
        assertThat(ClientCapabilities.fromHeaders("Negotiate, ExHttpInfo", null))
                .isEqualTo(new ClientCapabilities(true, true, false));
        assertThat(ClientCapabilities.fromHeaders(null, null)).isEqualTo(ClientCapabilities.NONE);
        assertThat(ClientCapabilities.fromHeaders("", "curl/8.0")).isEqualTo(ClientCapabilities.NONE);
    }
}
