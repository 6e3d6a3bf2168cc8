package dev.anywhere.rpc.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The one byte string of the rpc codecs: immutable, compared by content, short in logs. */
class OctetsTest {

    @Test
    void factoriesAndReadersCopySoNobodyChangesAValue() {
        byte[] given = {1, 2, 3};
        Octets o = Octets.of(given);
        given[0] = 9;
        o.toByteArray()[1] = 9;
        assertThat(o).isEqualTo(Octets.ofHex("01 02 | 03"));
        assertThat(Octets.of(new byte[] {0, 1, 2, 3, 4}, 1, 4)).isEqualTo(o);
        assertThat(o.slice(1, 3)).isEqualTo(Octets.of((byte) 2, (byte) 3));
        assertThat(Octets.copyOf(Unpooled.wrappedBuffer(given).skipBytes(1))).isEqualTo(Octets.of((byte) 2, (byte) 3));
        assertThat(Octets.of()).isSameAs(Octets.EMPTY);
    }

    @Test
    void badRangesAndLengthsAreRefused() {
        assertThatThrownBy(() -> Octets.zeros(-1)).hasMessage("length: -1 (expected: >= 0)");
        assertThatThrownBy(() -> Octets.of(new byte[2], 1, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void toStringShowsTheLengthAndAtMost32Bytes() {
        assertThat(Octets.ofHex("0a0b")).hasToString("Octets[2: 0a0b]");
        assertThat(Octets.zeros(40).toString()).isEqualTo("Octets[40: " + "00".repeat(32) + "…]");
    }

    @Test
    void equalityIsByContent() {
        assertThat(Octets.zeros(16).constantTimeEquals(Octets.zeros(16))).isTrue();
        assertThat(Octets.zeros(16).constantTimeEquals(Octets.zeros(15))).isFalse();
        assertThat(Octets.zeros(4)).hasSameHashCodeAs(Octets.zeros(4)).isNotEqualTo(Octets.zeros(5));
        assertThat(Octets.zeros(3).isAllZero()).isTrue();
        assertThat(Octets.ofHex("000100").isAllZero()).isFalse();
    }
}
