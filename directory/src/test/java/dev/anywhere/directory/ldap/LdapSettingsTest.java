package dev.anywhere.directory.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class LdapSettingsTest {

    @Test
    void toStringNeverShowsThePassword() {
        LdapSettings s = LdapSettings.of(URI.create("ldap://127.0.100.250"), "CN=svc-anywhere,CN=Users,DC=frankysweb,DC=local",
                "Top-Secret-42", SiteSeed.FRANKYSWEB);
        assertThat(s.toString()).doesNotContain("Top-Secret-42").contains("<redacted>");
        assertThat(s.port()).isEqualTo(389);
        assertThat(LdapSettings.of(URI.create("ldaps://dc1.frankysweb.local"), "x", "y", SiteSeed.FRANKYSWEB).port())
                .isEqualTo(636);
    }

    @Test
    void rejectsOtherSchemes() {
        assertThatThrownBy(() -> LdapSettings.of(URI.create("http://dc1:389"), "x", "y", SiteSeed.FRANKYSWEB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("directory url scheme: http (expected: ldap or ldaps)");
    }
}
