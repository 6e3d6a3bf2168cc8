package dev.anywhere.rpc.httpauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpBasicTest {

    /** RFC 7617 §2's own example. */
    @Test
    void encodesTheRfcExample() {
        HttpBasic aladdin = new HttpBasic("Aladdin", "open sesame");
        assertThat(aladdin.token()).isEqualTo("QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assertThat(aladdin.authorization()).isEqualTo("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    }

    @Test
    void decodesTheRfcExampleWithAnySchemeCase() {
        assertThat(HttpBasic.parse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")).isEqualTo(new HttpBasic("Aladdin", "open sesame"));
        assertThat(HttpBasic.parse("  bAsIc   QWxhZGRpbjpvcGVuIHNlc2FtZQ== ")).isEqualTo(new HttpBasic("Aladdin", "open sesame"));
    }

    /** RFC 7617 §2.1's example of charset="UTF-8": user "test", password "123£". */
    @Test
    void octetsAreUtf8() {
        assertThat(new HttpBasic("test", "123\u00a3").token()).isEqualTo("dGVzdDoxMjPCow==");
        assertThat(HttpBasic.parse("Basic dGVzdDoxMjPCow==").password()).isEqualTo("123\u00a3");
    }

    @Test
    void theUserIdEndsAtTheFirstColonAndThePasswordMayHoldMore() {
        HttpBasic parsed = HttpBasic.parse(new HttpBasic("FRANKYSWEB\\franky", "a:b:c").authorization());
        assertThat(parsed.userId()).isEqualTo("FRANKYSWEB\\franky");
        assertThat(parsed.password()).isEqualTo("a:b:c");
    }

    @Test
    void aUserIdWithAColonIsInvalid() {
        assertThatThrownBy(() -> new HttpBasic("FRANKYSWEB:franky", "Secret-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Basic user-id: contains ':' (expected: no colon, RFC 7617 §2)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NTLM TlRMTVNTUAAB | authorization scheme: NTLM (expected: Basic)",
        "Basic | Basic token: missing (expected: base64 after the scheme)",
        "Basic ***** | Basic token: not base64 (expected: base64 of user-id:password)",
        "Basic QWxhZGRpbg== | Basic token: no ':' (expected: base64 of user-id:password)",
    })
    void badValuesAreRefused(String value, String expected) {
        assertThatThrownBy(() -> HttpBasic.parse(value)).isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
    }

    @Test
    void matchesComparesUserIdAndPassword() {
        HttpBasic login = new HttpBasic("helpdesk", "Page-Pass-1");
        assertThat(login.matches(HttpBasic.parse("Basic aGVscGRlc2s6UGFnZS1QYXNzLTE="))).isTrue();
        assertThat(login.matches(new HttpBasic("helpdesk", "guess"))).isFalse();
        assertThat(login.matches(new HttpBasic("helpdes", "kPage-Pass-1"))).isFalse();
    }

    @Test
    void thePasswordIsNeverPrinted() {
        assertThat(new HttpBasic("Aladdin", "open sesame").toString()).doesNotContain("open sesame")
                .doesNotContain("QWxhZGRpbjpvcGVuIHNlc2FtZQ==").contains("Aladdin");
    }
}
