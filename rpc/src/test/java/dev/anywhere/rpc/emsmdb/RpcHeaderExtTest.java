package dev.anywhere.rpc.emsmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.wire.Octets;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The extended buffer: DIRECT2 vectors worked out from [MS-OXCRPC] 3.1.4.1.1.2, XOR 0xA5, chaining, every refusal. */
class RpcHeaderExtTest {

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void direct2ShortMatch() {
        // literals a b c (bits 0 0 0), then offset 3 length 9: metadata (3-1)<<3 | (9-3) = 0x0016; the unused bits are 1s
        byte[] packed = Octets.ofHex("ffffff1f 616263 1600").toByteArray();
        assertThat(Lz77.decompress(packed, 12)).isEqualTo(ascii("abcabcabcabc"));
        assertThat(Lz77.compress(ascii("abcabcabcabc"))).isEqualTo(packed);
    }

    @Test
    void direct2LengthInNibbleThenByte() {
        // 'a', then offset 1 length 29: 3 bits 7, nibble 15, byte 4 (3 + 7 + 15 + 4 = 29)
        byte[] packed = Octets.ofHex("ffffff7f 61 0700 0f 04").toByteArray();
        assertThat(Lz77.decompress(packed, 30)).isEqualTo(ascii("a".repeat(30)));
        assertThat(Lz77.compress(ascii("a".repeat(30)))).isEqualTo(packed);
    }

    @Test
    void direct2TwoMatchesShareOneNibbleByte() {
        // 'a', match len 10 (nibble 0, low half), 'b', match len 11 (nibble 1, high half of the same byte 0x10)
        byte[] packed = Octets.ofHex("ffffff5f 61 0700 10 62 0700").toByteArray();
        assertThat(Lz77.decompress(packed, 23)).isEqualTo(ascii("a".repeat(11) + "b".repeat(12)));
        assertThat(Lz77.compress(ascii("a".repeat(11) + "b".repeat(12)))).isEqualTo(packed);
    }

    @Test
    void direct2LengthInWord() {
        // 'a', match of 1000: 7, nibble 15, byte 255, word 997 (the length minus 3)
        byte[] packed = Octets.ofHex("ffffff7f 61 0700 0f ff e503").toByteArray();
        assertThat(Lz77.decompress(packed, 1001)).isEqualTo(ascii("a".repeat(1001)));
        assertThat(Lz77.compress(ascii("a".repeat(1001)))).isEqualTo(packed);
    }

    @Test
    void compressionRoundTripsOverMoreThanOneBitmask() {
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append(random.nextInt(4) == 0 ? "IPM.Note" : Character.toString('a' + random.nextInt(26)));
        }
        byte[] plain = ascii(text.toString());
        byte[] packed = Lz77.compress(plain);
        assertThat(packed.length).isLessThan(plain.length);
        assertThat(Lz77.decompress(packed, plain.length)).isEqualTo(plain);
    }

    @Test
    void decompressionRefusals() {
        assertThatThrownBy(() -> Lz77.decompress(Octets.ofHex("ffffff7f 61 0800").toByteArray(), 5))
                .isInstanceOf(EmsmdbFormatException.class)
                .hasMessage("LZ77 match offset: 2 (expected: <= 1 bytes decoded so far)");
        assertThatThrownBy(() -> Lz77.decompress(Octets.ofHex("ffffff7f 61 0600").toByteArray(), 5))
                .hasMessage("LZ77 match length: 9 (expected: <= 4 bytes left of SizeActual 5)");
        assertThatThrownBy(() -> Lz77.decompress(Octets.ofHex("ffff").toByteArray(), 5))
                .hasMessage("truncated LZ77 bitmask: 2 bytes (expected: 4)");
        assertThatThrownBy(() -> Lz77.decompress(Octets.ofHex("00000000 6162").toByteArray(), 5))
                .hasMessage("truncated LZ77 literal: 0 bytes (expected: 1)");
        assertThatThrownBy(() -> Lz77.decompress(Octets.ofHex("ffffff7f 61 0700").toByteArray(), 20))
                .hasMessage("truncated LZ77 match length nibble: 0 bytes (expected: 1)");
    }

    @Test
    void obfuscatedAndCompressedPayloadsAreUndone() {
        Octets payload = Octets.of(ascii("abcabcabcabc"));
        Octets xored = RpcHeaderExt.wrap(payload, false, true);
        assertThat(xored).isEqualTo(Octets.ofHex("0000 0600 0c00 0c00 c4c7c6c4c7c6c4c7c6c4c7c6"));
        assertThat(RpcHeaderExt.unwrap(xored)).isEqualTo(payload);

        Octets both = RpcHeaderExt.wrap(payload, true, true);
        // compressed ffffff1f 616263 1600, then every byte XOR 0xA5
        assertThat(both).isEqualTo(Octets.ofHex("0000 0700 0900 0c00 5a5a5aba c4c7c6 b3a5"));
        assertThat(RpcHeaderExt.unwrap(both)).isEqualTo(payload);
    }

    @Test
    void incompressiblePayloadIsSentPlain() {
        Octets payload = Octets.of(ascii("abc"));
        assertThat(RpcHeaderExt.wrap(payload, true, false)).isEqualTo(Octets.ofHex("0000 0400 0300 0300 616263"));
    }

    @Test
    void chainedBuffersAreConcatenatedUpToLast() {
        Octets chained = Octets.ofHex("0000 0000 0200 0200 6162" + "0000 0400 0100 0100 63");
        assertThat(RpcHeaderExt.unwrap(chained)).isEqualTo(Octets.of(ascii("abc")));
    }

    @Test
    void chainedPayloadsAreCappedBeforeTheyAreDecompressed() {
        // each header: 'a' and one match of 65534 (9 compressed bytes for 65535), 5 of them exceed 256 KiB
        byte[] packed = Octets.ofHex("ffffff7f 61 0700 0f ff fbff").toByteArray();
        assertThat(Lz77.decompress(packed, 0xFFFF)).hasSize(0xFFFF);
        String header = "0000 0100 0b00 ffff" + Octets.of(packed).hex(); // Compressed, Size 11, SizeActual 65535
        Octets bomb = Octets.ofHex(header.repeat(4) + header.replace("0000 0100", "0000 0500"));
        assertThatThrownBy(() -> RpcHeaderExt.unwrap(bomb)).isInstanceOf(EmsmdbFormatException.class)
                .hasMessage("RPC_HEADER_EXT SizeActual: 65535 after 262140 bytes (expected: payloads of at most 262144 bytes in all)");
    }

    @Test
    void headerRefusals() {
        assertThatThrownBy(() -> RpcHeaderExt.unwrap(Octets.ofHex("0100 0400 0000 0000")))
                .isInstanceOf(EmsmdbFormatException.class).hasMessage("RPC_HEADER_EXT Version: 1 (expected: 0)");
        assertThatThrownBy(() -> RpcHeaderExt.unwrap(Octets.ofHex("0000 0c00 0000 0000")))
                .hasMessage("RPC_HEADER_EXT Flags: 0x000C (expected: only Compressed 0x1, XorMagic 0x2, Last 0x4)");
        assertThatThrownBy(() -> RpcHeaderExt.unwrap(Octets.ofHex("0000 0400 0100 0200 61")))
                .hasMessage("RPC_HEADER_EXT Size: 1 (expected: = SizeActual 2 when not Compressed)");
        assertThatThrownBy(() -> RpcHeaderExt.unwrap(Octets.ofHex("0000 0500 0200 0200 6161")))
                .hasMessage("RPC_HEADER_EXT Size: 2 (expected: < SizeActual 2 when Compressed)");
        assertThatThrownBy(() -> RpcHeaderExt.unwrap(Octets.ofHex("0000 0400 0400 0400 61")))
                .hasMessage("truncated RPC_HEADER_EXT payload: 1 bytes (expected: 4)");
        assertThatThrownBy(() -> RpcHeaderExt.unwrap(Octets.ofHex("0000 0000 0100 0100 61")))
                .hasMessage("truncated RPC_HEADER_EXT Version: 0 bytes (expected: 2)");
        assertThatThrownBy(() -> RpcHeaderExt.unwrap(Octets.ofHex("0000 0400 0100 0100 61 00")))
                .hasMessageStartingWith("extended buffer after the RPC_HEADER_EXT flagged Last");
    }
}
