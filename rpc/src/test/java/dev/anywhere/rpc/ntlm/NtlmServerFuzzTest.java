package dev.anywhere.rpc.ntlm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway's side of a handshake fed two client messages: the first two input bytes (little-endian) are the
 * NEGOTIATE's length, then the NEGOTIATE, then the AUTHENTICATE. The server answers each or refuses with an
 * {@link NtlmAuthenticationException} — nothing else escapes. Nonces and clock are fixed so that a recorded
 * AUTHENTICATE stays valid. docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class NtlmServerFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T18:00:00Z"), ZoneOffset.UTC);

    @FuzzTest
    void answersOrRefuses(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int negotiateLength = Math.min((input[0] & 0xff) | (input[1] & 0xff) << 8, input.length - 2);
        byte[] negotiate = Arrays.copyOfRange(input, 2, 2 + negotiateLength);
        byte[] authenticate = Arrays.copyOfRange(input, 2 + negotiateLength, input.length);
        NtlmServer server = new NtlmServer(NtlmFixtures.EX1, NtlmFixtures.ACCOUNTS, n -> new byte[n], CLOCK);
        try {
            server.challenge(negotiate);
            server.authenticate(authenticate);
        } catch (NtlmAuthenticationException expected) {
            // the documented refusal
        }
    }
}
