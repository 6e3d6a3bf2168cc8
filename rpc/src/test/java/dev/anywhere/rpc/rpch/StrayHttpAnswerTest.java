package dev.anywhere.rpc.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An HTTP error line where the OUT channel's next PDU should start: recognised at the boundary, reported as one line. */
class StrayHttpAnswerTest {

    @Test
    void anHttpStatusLineIsRecognisedAtThePduBoundaryAndAPduIsNot() {
        ByteBuf b = buffer("\u0005\u0000\u0014\u0003" + "HTTP/1.0 503 RPC Error: 6ba\r\n\r\n");
        assertThat(StrayHttpAnswer.startsAt(b, 0)).isFalse(); // rpc_vers 5: an RTS PDU's header
        assertThat(StrayHttpAnswer.startsAt(b, 4)).isTrue();
        assertThat(StrayHttpAnswer.line(b, 4)).isEqualTo("HTTP/1.0 503 RPC Error: 6ba");
    }

    @Test
    void theLineEndsAtCrOrLfAndAtMostAtMaxLineCharacters() {
        assertThat(StrayHttpAnswer.line(buffer("HTTP/1.1 502 Bad Gateway\nServer: x\n"), 0)).isEqualTo("HTTP/1.1 502 Bad Gateway");
        assertThat(StrayHttpAnswer.line(buffer("HTTP/1.1 503 x"), 0)).isEqualTo("HTTP/1.1 503 x");
        String longReason = "HTTP/1.1 503 " + "y".repeat(500) + "\r\n";
        assertThat(StrayHttpAnswer.line(buffer(longReason), 0)).isEqualTo(longReason.substring(0, StrayHttpAnswer.MAX_LINE));
    }

    private static ByteBuf buffer(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
