package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyze command's input handling and --diff; the checks themselves are tested in module analyzer and the lab. */
class AnalyzeCommandTest extends CommandTestBase {

    @TempDir
    Path tmp;


    @Test
    void usageErrorsAreOneLineAndExit2() {
        assertThat(run("analyze")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: EMAIL|DOMAIN is required (or --diff A.json B.json)\n");
        assertThat(run("analyze", "frankysweb.org")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: Autodiscover needs an e-mail address; for a domain give --rpc-proxy (manual mode)\n");
        assertThat(run("analyze", "franky@frankysweb.org", "--format", "pdf")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --format: 'pdf' (expected: text, json, html or junit)\n");
        assertThat(run("analyze", "franky@frankysweb.org", "--lang", "fr")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --lang: 'fr' (expected: en or de)\n");
        assertThat(run("analyze", "franky@frankysweb.org", "--member", "10.0.0.5:http")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --member: member 10.0.0.5:http: expected ADDRESS or ADDRESS:PORT (port 1..65535)\n");
        assertThat(run("analyze", "franky@frankysweb.org", "--array", "--array-connections", "0")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --array-connections: connections must be between 1 and 64, not 0\n");
        assertThat(run("analyze", "franky@frankysweb.org", "--inside", "--outside")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --inside and --outside exclude each other\n");
        assertThat(run("analyze", "franky@frankysweb.org", "--password-env", "ANYWHERE_TEST_UNSET")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --password-env: ANYWHERE_TEST_UNSET is not set\n");
        assertThat(run("analyze", "franky@frankysweb.org", "--timeout", "soon")).isEqualTo(2);
        assertThat(err).startsWith("anywhere: --timeout: duration: 'soon'");
        assertThat(run("analyze", "franky@frankysweb.org", "--resolve", "oa.frankysweb.org:443")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --resolve: oa.frankysweb.org:443 (expected: HOST:PORT:ADDR)\n");
        Path ca = tmp.resolve("ca.pem");
        assertThat(run("analyze", "franky@frankysweb.org", "--trust", ca.toString())).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --trust: " + ca + " is not a readable file (expected: PEM CA certificates)\n");
    }

    /**
     * What the Autodiscover client refuses, as analyze, autodiscover and profile say it in English: the words they always
     * printed, now from the bundle's keys.
     */
    @Test
    void resolveAndAddressErrorsOfTheAutodiscoverClient() throws Exception {
        assertThat(run("analyze", "franky@frankysweb.org", "--resolve", "oa.frankysweb.org:https:127.0.0.1")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --resolve port: oa.frankysweb.org:https:127.0.0.1 (expected: HOST:PORT:ADDR)\n");
        assertThat(run("analyze", "franky@frankysweb.org", "--resolve", "oa.frankysweb.org:443:cafe")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --resolve address: cafe (expected: an IP literal)\n");
        assertThat(run("autodiscover", "franky@frankysweb.org", "--resolve", "bad")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --resolve: bad (expected: HOST:PORT:ADDR)\n");
        assertThat(run("autodiscover", "franky@")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: email address: franky@ (expected: local@domain)\n");
        assertThat(run("autodiscover", "franky@frankysweb.org", "--https-port", "0")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: https port: 0 (expected: 1..65535)\n");
        // profile create and connect: were internal errors (exit 3), now the same usage error
        assertThat(run("profile", "create", "franky@frankysweb.org", "--profile-dir", tmp.toString(), "--resolve", "oa.frankysweb.org:443"))
                .isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --resolve: oa.frankysweb.org:443 (expected: HOST:PORT:ADDR)\n");
        CliInGermanTest.storedProfile(tmp);
        assertThat(run("profile", "connect", "franky@frankysweb.org", "--profile-dir", tmp.toString(), "--resolve", "oa.frankysweb.org:443"))
                .isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --resolve: oa.frankysweb.org:443 (expected: HOST:PORT:ADDR)\n");
    }

    @Test
    void diffShowsWhatDiffersBetweenInsideAndOutside() throws Exception {
        Path a = tmp.resolve("inside.json");
        Path b = tmp.resolve("outside.json");
        Files.writeString(a, "{\"vantage\":\"inside\",\"status\":\"passed\",\"checks\":{\"id\":\"outlook-anywhere\",\"status\":\"passed\",\"summary\":\"\","
                + "\"findings\":[],\"children\":[{\"id\":\"rpc-proxy.dns\",\"status\":\"passed\",\"summary\":\"IP addresses returned: 127.0.100.251\","
                + "\"findings\":[],\"children\":[]}]}}");
        Files.writeString(b, "{\"vantage\":\"outside\",\"status\":\"failed\",\"checks\":{\"id\":\"outlook-anywhere\",\"status\":\"passed\",\"summary\":\"\","
                + "\"findings\":[],\"children\":[{\"id\":\"rpc-proxy.dns\",\"status\":\"failed\",\"summary\":\"NXDOMAIN\","
                + "\"findings\":[{\"id\":\"dns.host-not-found\"}],\"children\":[]}]}}");
        assertThat(run("analyze", "--diff", a.toString(), b.toString())).isEqualTo(1);
        assertThat(out).contains("rpc-proxy.dns\n  A: passed - IP addresses returned: 127.0.100.251\n  B: failed - NXDOMAIN [dns.host-not-found]")
                .contains("1 difference(s).");
        assertThat(run("analyze", "--diff", a.toString(), a.toString())).isZero();
    }
}
