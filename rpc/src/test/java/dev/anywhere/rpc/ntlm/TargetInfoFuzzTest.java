package dev.anywhere.rpc.ntlm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anywhere.rpc.wire.Octets;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * AV pairs as a CHALLENGE carries them ({@link TargetInfo#decode} exact) and an NTLMv2 response as an AUTHENTICATE
 * carries it ({@link Ntlmv2Response#decode}, TargetInfo inside, bytes may follow): the first input byte picks which.
 * Each yields a value or an {@link NtlmProtocolException}; a decoded TargetInfo encodes to bytes that decode to an
 * equal one. docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class TargetInfoFuzzTest {

    @FuzzTest
    void decodeReencodes(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        try {
            if ((input[0] & 1) == 0) {
                TargetInfo info = TargetInfo.decode(bytes, true);
                assertThat(TargetInfo.decode(info.encode(), true)).isEqualTo(info);
            } else {
                Ntlmv2Response.decode(Octets.of(bytes));
            }
        } catch (NtlmProtocolException expected) {
            // the documented refusal
        }
    }
}
