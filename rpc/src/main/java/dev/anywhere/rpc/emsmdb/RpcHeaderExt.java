package dev.anywhere.rpc.emsmdb;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * RPC_HEADER_EXT {Version u16 = 0, Flags u16, Size u16, SizeActual u16}, the 8-byte header in front of every payload in EcDoRpcExt2's rgbIn and rgbOut, and the
 * extended buffer it starts: the payload, possibly LZ77-compressed ({@link Lz77}) and then XOR-0xA5-obfuscated.
 *
 * <p>{@link #unwrap} undoes both on what a peer sent and concatenates chained payloads up to the one flagged
 * Last; {@link #wrap} builds one Last-flagged buffer, compressed and obfuscated only when asked (the server
 * answers plain, which the pulFlags of [MS-OXCRPC] 3.1.4.2 leave to the server).
 *
 * @see [MS-OXCRPC] 2.2.2.1 RPC_HEADER_EXT, 3.1.4.1.1.3 Obfuscation Algorithm
 */
public final class RpcHeaderExt {
    public static final int LENGTH = 8;
    public static final int COMPRESSED = 0x0001;
    public static final int XOR_MAGIC = 0x0002;
    public static final int LAST = 0x0004;
    /** The byte every payload byte is XORed with. */
    static final int XOR_KEY = 0xA5;

    private RpcHeaderExt() {
    }

    /**
     * The payload of an extended buffer: every header read and checked, each payload de-obfuscated and decompressed,
     * the payloads concatenated up to the one flagged Last, which must end the buffer.
     *
     * <p>The payloads together may be at most {@link Emsmdb#MAX_RGB} bytes: each header may announce 65535
     * decompressed bytes from a few compressed ones, so without a cap a 256 KiB buffer of chained headers would
     * unpack to gigabytes.
     *
     * @throws EmsmdbFormatException on any violation, naming the field
     */
    public static Octets unwrap(Octets buffer) {
        ByteBuf in = Unpooled.wrappedBuffer(buffer.toByteArray());
        WireReader r = new WireReader(in, EmsmdbFormatException::new);
        ByteBuf out = Unpooled.buffer();
        while (true) {
            int version = r.u16("RPC_HEADER_EXT Version");
            int flags = r.u16("RPC_HEADER_EXT Flags");
            int size = r.u16("RPC_HEADER_EXT Size");
            int sizeActual = r.u16("RPC_HEADER_EXT SizeActual");
            if (version != 0) {
                throw r.error("RPC_HEADER_EXT Version: " + version + " (expected: 0)");
            }
            if ((flags & ~(COMPRESSED | XOR_MAGIC | LAST)) != 0) {
                throw r.error(String.format("RPC_HEADER_EXT Flags: 0x%04X (expected: only Compressed 0x1, XorMagic 0x2, Last 0x4)", flags));
            }
            boolean compressed = (flags & COMPRESSED) != 0;
            if (compressed ? size >= sizeActual : size != sizeActual) {
                throw r.error("RPC_HEADER_EXT Size: " + size + " (expected: " + (compressed ? "< SizeActual " : "= SizeActual ")
                        + sizeActual + (compressed ? " when Compressed)" : " when not Compressed)"));
            }
            if ((long) out.readableBytes() + sizeActual > Emsmdb.MAX_RGB) {
                throw r.error("RPC_HEADER_EXT SizeActual: " + sizeActual + " after " + out.readableBytes()
                        + " bytes (expected: payloads of at most " + Emsmdb.MAX_RGB + " bytes in all)");
            }
            byte[] payload = r.byteArray(size, "RPC_HEADER_EXT payload");
            if ((flags & XOR_MAGIC) != 0) {
                xor(payload);
            }
            out.writeBytes(compressed ? Lz77.decompress(payload, sizeActual) : payload);
            if ((flags & LAST) != 0) {
                r.expectEnd("extended buffer after the RPC_HEADER_EXT flagged Last");
                return Octets.copyOf(out);
            }
        }
    }

    /** One Last-flagged extended buffer around {@code payload} (at most 65535 bytes), compressed and XORed if asked. */
    public static Octets wrap(Octets payload, boolean compress, boolean obfuscate) {
        if (payload.length() > 0xFFFF) {
            throw new IllegalArgumentException("payload: " + payload.length() + " bytes (expected: <= 65535)");
        }
        byte[] body = payload.toByteArray();
        int flags = LAST;
        if (compress) {
            byte[] packed = Lz77.compress(body);
            if (packed.length < body.length) { // Size must be less than SizeActual; else send it plain
                body = packed;
                flags |= COMPRESSED;
            }
        }
        if (obfuscate) {
            xor(body);
            flags |= XOR_MAGIC;
        }
        ByteBuf out = Unpooled.buffer(LENGTH + body.length);
        out.writeShortLE(0); // Version
        out.writeShortLE(flags); // Flags
        out.writeShortLE(body.length); // Size
        out.writeShortLE(payload.length()); // SizeActual
        out.writeBytes(body);
        return Octets.copyOf(out);
    }

    private static void xor(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            b[i] ^= (byte) XOR_KEY;
        }
    }
}
