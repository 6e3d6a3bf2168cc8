package dev.anywhere.rpc.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Timeout;

/**
 * Any bytes handed to {@link RpchCodec#decode} yield an RTS PDU or an {@link RpchProtocolException}, and a decoded
 * PDU re-encodes to exactly as many bytes as it took and decodes back to an equal PDU. Inputs:
 * {@code RpchCodecFuzzTestInputs/} (the golden PDUs of {@link RpchCodecTest} and every crash found). docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class RpchCodecFuzzTest {

    @FuzzTest
    void decodeReencodes(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        RtsPdu pdu;
        try {
            pdu = RpchCodec.decode(in);
        } catch (RpchProtocolException expected) {
            return;
        }
        int consumed = in.readerIndex();
        byte[] encoded = RpchCodec.toBytes(pdu);
        assertThat(encoded).hasSize(consumed);
        assertThat(RpchCodec.decode(Unpooled.wrappedBuffer(encoded))).isEqualTo(pdu);
    }
}
