package dev.anywhere.rpc.ntlm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Any Authorization header value (bytes read as ISO-8859-1, as HTTP/1.1 field values arrive) handed to
 * {@link NtlmHttpHeader#parse} yields a token or an {@link NtlmProtocolException}. docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class NtlmHttpHeaderFuzzTest {

    @FuzzTest
    void parsesOrRefuses(byte[] input) {
        try {
            NtlmHttpHeader.parse(new String(input, StandardCharsets.ISO_8859_1));
        } catch (NtlmProtocolException expected) {
            // the documented refusal
        }
    }
}
