package dev.anywhere.analyzer.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NameResolverTest {

    @Test
    void overridesAnswerWithoutDns() throws Exception {
        NameResolver r = new NameResolver(List.of("OA.frankysweb.org:443:127.0.0.20", "oa.frankysweb.org:8443:[::1]"),
                Optional.empty(), Duration.ofSeconds(1));
        assertThat(r.resolve("oa.frankysweb.org", 443).addresses()).containsExactly(InetAddress.getByName("127.0.0.20"));
        assertThat(r.resolve("oa.frankysweb.org", 443).source()).isEqualTo("--resolve override");
        assertThat(r.override("oa.frankysweb.org", 8443)).contains(InetAddress.getByName("::1"));
    }

    /** The Autodiscover client's rules, so one --resolve means the same in both phases: a name as ADDR is refused. */
    @Test
    void badOverridesAreRefusedAsTheAutodiscoverClientRefusesThem() {
        assertThatThrownBy(() -> new NameResolver(List.of("oa.frankysweb.org:443"), Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--resolve: oa.frankysweb.org:443 (expected: HOST:PORT:ADDR)");
        assertThatThrownBy(() -> new NameResolver(List.of("oa.frankysweb.org:443:localhost"), Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--resolve address: localhost (expected: an IP literal)");
        assertThatThrownBy(() -> new NameResolver(List.of("oa.frankysweb.org:https:127.0.0.20"), Optional.empty(), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--resolve port: oa.frankysweb.org:https:127.0.0.20 (expected: HOST:PORT:ADDR)");
    }
}
