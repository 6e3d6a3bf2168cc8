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

    @Test
    void aSliceIsAValueOfItsRangeOnly() {
        Octets whole = Octets.ofHex("00 01 02 03 04 05");
        Octets mid = whole.slice(1, 5);
        Octets inner = mid.slice(1, 3);
        assertThat(inner).isEqualTo(Octets.ofHex("0203")).hasSameHashCodeAs(Octets.ofHex("0203"));
        assertThat(inner.length()).isEqualTo(2);
        assertThat(inner.get(0)).isEqualTo(2);
        assertThatThrownBy(() -> inner.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> inner.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> mid.slice(2, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(inner.toByteArray()).containsExactly(2, 3);
        assertThat(inner.hex()).isEqualTo("0203");
        assertThat(inner).hasToString("Octets[2: 0203]");
        assertThat(mid.slice(0, 4)).isSameAs(mid);
        assertThat(mid.slice(2, 2)).isSameAs(Octets.EMPTY);
        assertThat(whole.slice(0, 1).isAllZero()).isTrue();
        assertThat(mid.isAllZero()).isFalse();
        assertThat(inner.constantTimeEquals(Octets.ofHex("0203"))).isTrue();
        assertThat(inner.constantTimeEquals(whole.slice(1, 3))).isFalse();

        io.netty.buffer.ByteBuf buf = Unpooled.buffer();
        inner.writeTo(buf);
        assertThat(Octets.copyOf(buf)).isEqualTo(inner);
        byte[] dst = new byte[4];
        inner.copyTo(dst, 1);
        assertThat(dst).containsExactly(0, 2, 3, 0);
        assertThat(new WireWriter().u8(9).bytes(inner).toByteArray()).containsExactly(9, 2, 3);
    }

    @Test
    void anAdoptedArrayIsTakenUpToItsLength() {
        byte[] filled = {7, 8, 9, 0};
        assertThat(Octets.adopt(filled, 3)).isEqualTo(Octets.ofHex("070809"));
        assertThat(Octets.adopt(filled, 0)).isSameAs(Octets.EMPTY);
        assertThatThrownBy(() -> Octets.adopt(filled, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Octets.adopt(filled, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
