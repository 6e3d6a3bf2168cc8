package dev.anywhere.rpc.ntlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.ntlm.NtlmHttpHeader.Scheme;
import dev.anywhere.rpc.wire.Octets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NtlmHttpHeaderTest {

    private static final byte[] NEGOTIATE = new NtlmClient(NtlmCredentials.parse("a", "b")).negotiate();

    @Test
    void formatAndParseNtlm() {
        String value = NtlmHttpHeader.format(Scheme.NTLM, NEGOTIATE);
        assertThat(value).isEqualTo("NTLM " + Base64.getEncoder().encodeToString(NEGOTIATE));
        NtlmHttpHeader.Token token = NtlmHttpHeader.parse(value);
        assertThat(token.scheme()).isEqualTo(Scheme.NTLM);
        assertThat(token.type()).isEqualTo(MessageType.NEGOTIATE_MESSAGE);
        assertThat(token.message()).isEqualTo(Octets.of(NEGOTIATE));
    }

    @Test
    void negotiateCarryingRawNtlmIsAccepted() {
        NtlmHttpHeader.Token token = NtlmHttpHeader.parse("negotiate   " + Base64.getEncoder().encodeToString(NEGOTIATE));
        assertThat(token.scheme()).isEqualTo(Scheme.NEGOTIATE);
        assertThat(token.type()).isEqualTo(MessageType.NEGOTIATE_MESSAGE);
        assertThat(NtlmHttpHeader.format(Scheme.NEGOTIATE, NEGOTIATE)).startsWith("Negotiate TlRMTVNTUAAB");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Basic YTpi | authorization scheme: Basic (expected: NTLM or Negotiate)",
        "NTLM | NTLM token: missing (expected: base64 after the scheme)",
        "NTLM ***** | NTLM token: not base64 (expected: base64 of an NTLMSSP message)",
        "Negotiate YIIBAAYGKwYBBQUCoA== | Negotiate token: spnego-wrapped (first byte 0x60) (expected: a raw NTLMSSP message, spnego is not supported)",
        "Negotiate oRswGaADCgEBohIEEA== | Negotiate token: spnego-wrapped (first byte 0xa1) (expected: a raw NTLMSSP message, spnego is not supported)",
        "NTLM aGVsbG8gd29ybGQh | signature: 68656c6c6f20776f (expected: 4e544c4d53535000, NTLMSSP\\0)",
        "NTLM TlRMTVNTUAAJAAAA | message type: 9 (expected: 1, 2 or 3)",
    })
    void badHeadersAreRefused(String header, String expected) {
        assertThatThrownBy(() -> NtlmHttpHeader.parse(header)).isInstanceOf(NtlmProtocolException.class)
                .hasMessage(expected);
    }

    @Test
    void hugeTokenIsRefusedBeforeDecoding() {
        String huge = "NTLM " + "A".repeat(NtlmHttpHeader.MAX_TOKEN_CHARS + 4);
        assertThatThrownBy(() -> NtlmHttpHeader.parse(huge)).isInstanceOf(NtlmProtocolException.class)
                .hasMessage("NTLM token: 87388 characters (expected: at most 87384)");
    }
}
