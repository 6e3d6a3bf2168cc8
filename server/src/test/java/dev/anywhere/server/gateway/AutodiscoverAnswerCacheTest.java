package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AutodiscoverAnswerCacheTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void answersAreReusedOnlyForTheExactSameQuestionAndOnlyBriefly() throws Exception {
        AutodiscoverAnswerCache c = new AutodiscoverAnswerCache(Duration.ofMillis(300));
        String key = AutodiscoverAnswerCache.key("FRANKYSWEB\\franky", "h", b("<Autodiscover>franky</Autodiscover>"));
        c.put(key, b("<answer/>"), "settings");
        assertThat(c.get(key).document()).isEqualTo(b("<answer/>"));
        assertThat(c.get(AutodiscoverAnswerCache.key("FRANKYSWEB\\hanna", "h", b("<Autodiscover>franky</Autodiscover>")))).isNull();
        assertThat(c.get(AutodiscoverAnswerCache.key("FRANKYSWEB\\franky", "other headers", b("<Autodiscover>franky</Autodiscover>")))).isNull();
        assertThat(c.get(AutodiscoverAnswerCache.key("FRANKYSWEB\\franky", "h", b("<Autodiscover>franky </Autodiscover>")))).isNull();
        Thread.sleep(400);
        assertThat(c.get(key)).isNull();
    }

    @Test
    void zeroTurnsItOffAndItStaysBounded() {
        AutodiscoverAnswerCache off = new AutodiscoverAnswerCache(Duration.ZERO);
        off.put("k", b("x"), "settings");
        assertThat(off.enabled()).isFalse();
        assertThat(off.get("k")).isNull();
        AutodiscoverAnswerCache c = new AutodiscoverAnswerCache(Duration.ofMinutes(1));
        for (int i = 0; i < AutodiscoverAnswerCache.MAX_ENTRIES + 100; i++) {
            c.put("k" + i, b("x"), "settings");
        }
        assertThat(c.size()).isEqualTo(AutodiscoverAnswerCache.MAX_ENTRIES);
        assertThat(c.get("k0")).isNull();
        assertThat(c.get("k" + (AutodiscoverAnswerCache.MAX_ENTRIES + 99))).isNotNull();
    }
}
