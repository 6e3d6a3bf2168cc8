package dev.anywhere.rpc.spnego;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anywhere.rpc.wire.Octets;
import org.junit.jupiter.api.Timeout;

/**
 * Any auth_value of a SPNEGO bind handed to {@link NegotiationToken#decode} yields a token or a
 * {@link SpnegoException}; a token that decodes encodes to bytes that decode to the same token. docs/fuzzing.md
 */
@Timeout(10)
class NegotiationTokenFuzzTest {

    @FuzzTest
    void decodesOrRefuses(byte[] input) {
        NegotiationToken token;
        try {
            token = NegotiationToken.decode(Octets.of(input));
        } catch (SpnegoException expected) {
            return;
        }
        assertThat(NegotiationToken.decode(token.encode())).isEqualTo(token);
    }
}
