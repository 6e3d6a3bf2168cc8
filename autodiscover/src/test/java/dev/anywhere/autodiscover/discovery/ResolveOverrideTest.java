package dev.anywhere.autodiscover.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.input.InvalidValue;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ResolveOverrideTest {

    @Test
    void parsesIpv4AndBracketedOrBareIpv6() throws Exception {
        ResolveOverride v4 = ResolveOverride.parse("OA.frankysweb.org:443:127.0.0.20");
        assertThat(v4.address()).isEqualTo(InetAddress.getByName("127.0.0.20"));
        assertThat(v4.key()).isEqualTo("oa.frankysweb.org:443");
        assertThat(ResolveOverride.parse("oa.frankysweb.org:443:[::1]").address()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(ResolveOverride.parse("oa.frankysweb.org:443:::1").address()).isEqualTo(InetAddress.getByName("::1"));
    }

    /** Hex letters without a colon are a name ("cafe"), not an address: resolving it would ask DNS. */
    @Test
    void aNameThatLooksLikeHexIsNotALiteral() {
        assertThatThrownBy(() -> ResolveOverride.parse("oa.frankysweb.org:443:cafe"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--resolve address: cafe (expected: an IP literal)");
    }

    /**
     * Each wrong part is a keyed refusal, so the command line says it in its reader's language: the key, and the value
     * the text names (the whole option for its form and port, the address part for the address).
     */
    @Test
    void eachWrongPartIsAKeyedRefusalWithTheValueItNames() {
        assertRefused("oa.frankysweb.org:443", "resolve.form", "oa.frankysweb.org:443",
                "--resolve: oa.frankysweb.org:443 (expected: HOST:PORT:ADDR)");
        assertRefused(":443:127.0.0.1", "resolve.form", ":443:127.0.0.1", "--resolve: :443:127.0.0.1 (expected: HOST:PORT:ADDR)");
        assertRefused("oa.frankysweb.org:https:127.0.0.1", "resolve.port", "oa.frankysweb.org:https:127.0.0.1",
                "--resolve port: oa.frankysweb.org:https:127.0.0.1 (expected: HOST:PORT:ADDR)");
        assertRefused("oa.frankysweb.org:443:[evil.example]", "resolve.address", "evil.example",
                "--resolve address: evil.example (expected: an IP literal)");
        // looks like an IPv6 literal, is none (the JDK refuses it without a lookup): its refusal stays the cause, for logs
        assertRefused("oa.frankysweb.org:443:1::2::3", "resolve.address", "1::2::3", "--resolve address: 1::2::3 (expected: an IP literal)");
    }

    private static void assertRefused(String spec, String key, String value, String message) {
        assertThatThrownBy(() -> ResolveOverride.parse(spec)).isInstanceOfSatisfying(InvalidValue.class, e -> {
            assertThat(e.key()).isEqualTo(key);
            assertThat(e.value()).isEqualTo(value);
            assertThat(e).hasMessage(message);
        });
    }
}
