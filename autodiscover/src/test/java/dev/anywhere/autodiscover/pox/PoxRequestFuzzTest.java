package dev.anywhere.autodiscover.pox;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Any bytes POSTed to Autodiscover, read by {@link PoxCodec#readRequest}: a request or a {@link PoxParseException}
 * (which the service answers with ErrorCode 600), never anything else; a request that was read writes out and reads
 * back equal. Inputs: {@code PoxRequestFuzzTestInputs/} (Microsoft's POX request sample). docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class PoxRequestFuzzTest {

    @FuzzTest
    @DictionaryFile(resourcePath = "pox.dict")
    void readRewrite(byte[] input) {
        AutodiscoverRequest request;
        try {
            request = PoxCodec.readRequest(input);
        } catch (PoxParseException expected) {
            return;
        }
        try {
            assertThat(PoxCodec.readRequest(PoxCodec.writeRequest(request))).isEqualTo(request);
        } catch (PoxParseException e) {
            throw new AssertionError("a request that was read does not read back after writing: " + request, e);
        }
    }
}
