package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.DirectoryText;
import org.junit.jupiter.api.Test;

/**
 * The directory module's sentences in the command line's bundle: English word for word the module's own (so English
 * output is unchanged), German for every key; a failed operation said in the reader's language, the DN and the LDAP
 * result code as the directory had them.
 */
class DirectoryProblemTextTest {

    @Test
    void theEnglishBundleSaysWhatTheDirectoryModuleSays() {
        CliText en = CliText.of("en");
        CliText de = CliText.of("de");
        for (DirectoryText.Key key : DirectoryText.Key.values()) {
            assertThat(en.get("directory.problem." + key.id())).as(key.name()).isEqualTo(key.english());
            assertThat(de.get("directory.problem." + key.id())).as(key.name()).isNotEqualTo(key.english());
        }
    }

    @Test
    void aRefusedBindInBothLanguages() {
        DirectoryText bind = DirectoryText.of(DirectoryText.Key.BIND, "user", "franky");
        DirectoryException e = new DirectoryException(DirectoryText.of(DirectoryText.Key.LDAP_FAILED, "what", bind,
                "code", "invalid credentials(49)"), false, null);
        assertThat(e).hasMessage("bind as franky: invalid credentials(49) (expected: success)");
        assertThat(DirectoryProblemText.say(e, CliText.of("en"))).isEqualTo(e.getMessage());
        assertThat(DirectoryProblemText.say(e, CliText.of("de"))).isEqualTo("Anmeldung als franky: „invalid credentials(49)“ (erwartet: Erfolg)");
    }

    @Test
    void aSearchFilterWithBracesIsFilledOnce() {
        DirectoryText search = DirectoryText.of(DirectoryText.Key.SEARCH, "base", "dc=frankysweb,dc=local", "filter", "(cn={dn})");
        assertThat(search.english()).isEqualTo("search dc=frankysweb,dc=local for (cn={dn})");
        assertThat(DirectoryProblemText.say(search, CliText.of("de"))).isEqualTo("Suche in dc=frankysweb,dc=local nach (cn={dn})");
    }

    /**
     * A directory failure that reaches the last-resort error line (e.g. slapd missing under {@code lab --scenario}) is
     * said in the JVM's language, also when a wrapper repeats its English message.
     */
    @Test
    void theInternalErrorLineSaysAKeyedCauseInTheJvmsLanguage() {
        DirectoryException missing = new DirectoryException(DirectoryText.of(DirectoryText.Key.SLAPD_MISSING, "binary", "/usr/sbin/slapd"),
                false, null);
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMAN);
            assertThat(Anywhere.describe(new IllegalStateException(missing))).isEqualTo("slapd ist nicht installiert (erwartet: "
                    + "/usr/sbin/slapd; Debian: apt-get install slapd ldap-utils, danach seinen Dienst angehalten lassen)");
            java.util.Locale.setDefault(java.util.Locale.ENGLISH);
            assertThat(Anywhere.describe(new IllegalStateException("lab site", missing))).isEqualTo("lab site: slapd: not installed "
                    + "(expected: /usr/sbin/slapd; Debian: apt-get install slapd ldap-utils, then keep its service stopped)");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void aFailureWithoutATextIsItsMessage() {
        DirectoryException e = new DirectoryException("local server not found: EX9", false, null);
        assertThat(DirectoryProblemText.say(e, CliText.of("de"))).isEqualTo("local server not found: EX9");
    }
}
