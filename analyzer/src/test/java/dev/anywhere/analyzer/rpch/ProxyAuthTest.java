package dev.anywhere.analyzer.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProxyAuthTest {

    @Test
    void basicWritesRfc7617sAuthorization() {
        assertThat(new ProxyAuth.Basic("Aladdin", "open sesame").authorization()).isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assertThat(new ProxyAuth.Basic("Aladdin", "open sesame").toString()).doesNotContain("open sesame");
    }

    /** Refused when the options are built, not at the first leg with a half-open virtual connection. */
    @Test
    void basicRefusesAUserWithAColonAtOnce() {
        assertThatThrownBy(() -> new ProxyAuth.Basic("FRANKYSWEB:franky", "pw")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Basic user-id: contains ':' (expected: no colon, RFC 7617 §2)");
    }
}
