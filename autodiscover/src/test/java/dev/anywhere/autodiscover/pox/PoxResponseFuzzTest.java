package dev.anywhere.autodiscover.pox;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Any bytes an Autodiscover server answers with, read by {@link PoxCodec#readResponse}: a response or a
 * {@link PoxParseException} (which the client reports as a bad answer), never anything else; a response that was read
 * writes out and reads back equal. Inputs: {@code PoxResponseFuzzTestInputs/} (the [MS-OXDSCLI] 4.4 example and our
 * own answers). docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class PoxResponseFuzzTest {

    @FuzzTest
    @DictionaryFile(resourcePath = "pox.dict")
    void readRewrite(byte[] input) {
        AutodiscoverResponse response;
        try {
            response = PoxCodec.readResponse(input);
        } catch (PoxParseException expected) {
            return;
        }
        try {
            assertThat(PoxCodec.readResponse(PoxCodec.writeResponse(response))).isEqualTo(response);
        } catch (PoxParseException e) {
            throw new AssertionError("a response that was read does not read back after writing: " + response, e);
        }
    }
}
