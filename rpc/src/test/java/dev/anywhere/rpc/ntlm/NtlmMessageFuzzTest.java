package dev.anywhere.rpc.ntlm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Any bytes handed to the NEGOTIATE, CHALLENGE or AUTHENTICATE decoder (the MessageType field picks it, as the
 * gateway and the client do) yield a message or an {@link NtlmProtocolException}; a decoded message encodes to bytes
 * that decode to an equal message. Inputs: {@code NtlmMessageFuzzTestInputs/} (the [MS-NLMP] 4.2.4 messages and our
 * client's NEGOTIATE). docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class NtlmMessageFuzzTest {

    @FuzzTest
    void decodeReencodes(byte[] input) {
        MessageType type;
        try {
            type = NtlmHttpHeader.typeOf(input);
            switch (type) {
                case NEGOTIATE_MESSAGE -> {
                    NegotiateMessage m = NegotiateMessage.decode(input);
                    assertThat(NegotiateMessage.decode(m.encode())).isEqualTo(m);
                }
                case CHALLENGE_MESSAGE -> {
                    ChallengeMessage m = ChallengeMessage.decode(input);
                    assertThat(ChallengeMessage.decode(m.encode())).isEqualTo(m);
                }
                case AUTHENTICATE_MESSAGE -> {
                    AuthenticateMessage m = AuthenticateMessage.decode(input);
                    assertThat(AuthenticateMessage.decode(m.encode())).isEqualTo(m);
                }
            }
        } catch (NtlmProtocolException expected) {
            // the documented refusal
        }
    }
}
