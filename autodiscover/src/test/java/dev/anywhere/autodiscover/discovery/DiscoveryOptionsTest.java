package dev.anywhere.autodiscover.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.input.InvalidValue;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryOptionsTest {

    @Test
    void curlResolveSyntax() throws Exception {
        DiscoveryOptions o = DiscoveryOptions.builder("franky@FranksWeb.org").resolve("oa.frankysweb.org:443:127.0.0.1")
                .resolve("autodiscover.frankysweb.org:8443:[::1]").build();
        assertThat(o.domain()).isEqualTo("franksweb.org");
        assertThat(o.resolveOverrides()).containsEntry("oa.frankysweb.org:443", InetAddress.getByName("127.0.0.1"))
                .containsEntry("autodiscover.frankysweb.org:8443", InetAddress.getByName("::1"));
        assertThat(o.stepTimeout()).isEqualTo(DiscoveryOptions.DEFAULT_STEP_TIMEOUT);
        assertThat(o.httpsPort()).isEqualTo(443);
        assertThat(o.httpPort()).isEqualTo(80);
    }

    @Test
    void badInputIsRefusedWithReason() {
        assertThatThrownBy(() -> DiscoveryOptions.builder("nobody").build())
                .hasMessage("email address: nobody (expected: local@domain)");
        assertThatThrownBy(() -> DiscoveryOptions.builder("a@b.c").resolve("host:443"))
                .hasMessage("--resolve: host:443 (expected: HOST:PORT:ADDR)");
        assertThatThrownBy(() -> DiscoveryOptions.builder("a@b.c").resolve("host:443:evil.example"))
                .hasMessage("--resolve address: evil.example (expected: an IP literal)");
        assertThatThrownBy(() -> DiscoveryOptions.builder("a@b.c").httpsPort(0).build())
                .hasMessage("https port: 0 (expected: 1..65535)");
    }

    /** What a run cannot use is a keyed refusal (the command line says it from its bundle), English unchanged. */
    @Test
    void refusalsCarryAKeyAndTheValueAsGiven() {
        assertThatThrownBy(() -> DiscoveryOptions.builder("franky@").build()).isInstanceOfSatisfying(InvalidValue.class, e -> {
            assertThat(e.key()).isEqualTo("discovery.email");
            assertThat(e.value()).isEqualTo("franky@");
            assertThat(e).hasMessage("email address: franky@ (expected: local@domain)");
        });
        assertThatThrownBy(() -> DiscoveryOptions.builder("a@b.c").stepTimeout(java.time.Duration.ZERO).build())
                .isInstanceOfSatisfying(InvalidValue.class, e -> {
                    assertThat(e.key()).isEqualTo("discovery.step-timeout");
                    assertThat(e.value()).isEqualTo("PT0S");
                    assertThat(e).hasMessage("step timeout: PT0S (expected: > 0)");
                });
        assertThatThrownBy(() -> DiscoveryOptions.builder("a@b.c").httpPort(65536).build()).isInstanceOfSatisfying(InvalidValue.class, e -> {
            assertThat(e.key()).isEqualTo("discovery.http-port");
            assertThat(e.value()).isEqualTo("65536");
            assertThat(e).hasMessage("http port: 65536 (expected: 1..65535)");
        });
        assertThatThrownBy(() -> DiscoveryOptions.builder("a@b.c").httpsPort(0).build())
                .isInstanceOfSatisfying(InvalidValue.class, e -> assertThat(e.key()).isEqualTo("discovery.https-port"));
    }

    @Test
    void redirectTargetsMustBeHttpsAutodiscoverUrls() {
        assertThat(AutodiscoverClient.invalidTarget("https://mail.example.org/Autodiscover/Autodiscover.xml")).isEmpty();
        assertThat(AutodiscoverClient.invalidTarget("http://mail.example.org/autodiscover/autodiscover.xml"))
                .isPresent();
        assertThat(AutodiscoverClient.invalidTarget("https://mail.example.org/evil").map(AttemptReason::line)).contains(
                "redirect target: https://mail.example.org/evil (expected: an https URL ending in "
                        + "/autodiscover/autodiscover.xml)");
    }

    @Test
    void basicCredentialsAnswerOnlyBasicAndHideThePassword() {
        BasicCredentials c = new BasicCredentials("franky", "pw");
        assertThat(c.answer(List.of("Negotiate", "NTLM"))).isEmpty();
        assertThat(c.answer(List.of("NTLM", "Basic realm=\"x\""))).contains("Basic ZnJhbmt5OnB3");
        assertThat(c.toString()).doesNotContain("pw\"").isEqualTo("BasicCredentials[user=franky, password=[redacted]]");
        assertThat(c.secrets()).containsExactly("pw", "ZnJhbmt5OnB3");
    }

    @Test
    void basicCredentialsRefuseAUserWithAColonBeforeAnyRequest() {
        assertThatThrownBy(() -> new BasicCredentials("FRANKYSWEB:franky", "pw")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Basic user-id: contains ':' (expected: no colon, RFC 7617 §2)");
    }
}
