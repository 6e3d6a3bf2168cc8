package dev.anywhere.autodiscover.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
