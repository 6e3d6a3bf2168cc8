package dev.anywhere.rpc.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Any byte stream, cut into arbitrary reads, framed by {@link RpchFrameDecoder}: it passes on RTS PDUs and
 * {@link RpcPduFrame}s whose length is their frag_length, or raises one {@link RpchProtocolException}, and every buffer
 * it was given is released. The first input byte chooses the read size (1..256), the rest is the stream. docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class RpchFrameDecoderFuzzTest {

    @FuzzTest
    void framesAnyStream(byte[] input) {
        int readSize = input.length == 0 ? 1 : (input[0] & 0xff) + 1;
        byte[] stream = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        EmbeddedChannel channel = new EmbeddedChannel(new RpchFrameDecoder());
        List<ByteBuf> given = new ArrayList<>();
        try {
            for (int at = 0; at < stream.length; at += readSize) {
                ByteBuf read = Unpooled.copiedBuffer(stream, at, Math.min(readSize, stream.length - at));
                given.add(read);
                try {
                    channel.writeInbound(read);
                } catch (RpchProtocolException expected) {
                    break;
                }
                drain(channel);
            }
            drain(channel);
        } finally {
            channel.finishAndReleaseAll();
        }
        for (ByteBuf b : given) {
            assertThat(b.refCnt()).as("input buffer released").isZero();
        }
    }

    private static void drain(EmbeddedChannel channel) {
        for (Object o = channel.readInbound(); o != null; o = channel.readInbound()) {
            if (o instanceof RpcPduFrame frame) {
                try {
                    assertThat(frame.content().readableBytes()).isEqualTo(frame.fragLength());
                } finally {
                    frame.release();
                }
            } else {
                assertThat(o).isInstanceOf(RtsPdu.class);
            }
        }
    }
}
