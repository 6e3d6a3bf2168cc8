package dev.anywhere.rpc.rpch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Test helper: hex strings (spaces and {@code |} ignored) to buffers and back. */
final class Hex {
    private Hex() {}

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s|]", ""));
    }

    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    static String of(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    static String normalize(String hex) {
        return hex.replaceAll("[\\s|]", "").toLowerCase(java.util.Locale.ROOT);
    }
}
