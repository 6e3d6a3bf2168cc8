package dev.anywhere.rpc.dce;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Timeout;

/**
 * Any bytes handed to {@link DceCodec#decode} yield a PDU or a {@link DceProtocolException}; a decoded PDU encodes to
 * bytes that decode to an equal PDU. Inputs: {@code DceCodecFuzzTestInputs/} (the golden PDUs of {@link DceCodecTest}
 * and every crash found). docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class DceCodecFuzzTest {

    @FuzzTest
    void decodeReencodes(byte[] input) {
        DcePdu pdu;
        try {
            pdu = DceCodec.decode(Unpooled.wrappedBuffer(input));
        } catch (DceProtocolException expected) {
            return;
        }
        ByteBuf encoded = Unpooled.buffer();
        DceCodec.encode(pdu, encoded);
        assertThat(DceCodec.decode(encoded)).isEqualTo(pdu);
        assertThat(encoded.isReadable()).as("re-encoded bytes left over").isFalse();
    }
}
