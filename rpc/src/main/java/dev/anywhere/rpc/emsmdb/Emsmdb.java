package dev.anywhere.rpc.emsmdb;

import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The EMSMDB interface ({@code a4f1db00-ca47-1067-b31f-00dd010662da} v0.81) and the NDR pieces its calls share.
 * Each call is a class of its own ({@link EcDoConnectEx}, {@link EcDoRpcExt2}, {@link EcDoDisconnect},
 * {@link EcDummyRpc}) whose Request and Response records encode and decode in both directions.
 *
 * @see [MS-OXCRPC] 1.9 Standards Assignments, 3.1.4 Message Processing Events and Sequencing Rules
 */
public final class Emsmdb {
    /** The interface a client binds to on port 6001. */
    public static final SyntaxId INTERFACE = new SyntaxId(UUID.fromString("a4f1db00-ca47-1067-b31f-00dd010662da"), 0, 81);
    /** The endpoint mapper's annotation for it. */
    public static final String ANNOTATION = "Exchange Server STORE EMSMDB Interface";
    /** Opnums 0..14 exist (EcDoAsyncConnectEx is 14). */
    public static final int OPNUM_COUNT = 15;
    /** SMALL_RANGE_ULONG: the cap on auxiliary buffers (cbAuxIn, *pcbAuxOut). */
    public static final int MAX_AUX = 0x1008;
    /** BIG_RANGE_ULONG: the cap on rgbIn and *pcbOut. */
    public static final int MAX_RGB = 0x40000;
    /** Longest szUserDN accepted, NUL included (a legacyExchangeDN is far shorter). */
    static final int MAX_DN = 1024;

    private Emsmdb() {
    }

    /** Encodes with a fresh NDR writer. */
    static Octets encode(Consumer<NdrWriter> body) {
        ByteBuf out = Unpooled.buffer();
        body.accept(new NdrWriter(out));
        return Octets.copyOf(out);
    }

    /** {@code [string] unsigned char *}: max_count, offset 0, actual_count, the ASCII bytes and NUL. */
    static void asciiString(NdrWriter w, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        w.conformantVaryingBytes(Octets.of(java.util.Arrays.copyOf(b, b.length + 1)));
    }

    /** Reads what {@link #asciiString(NdrWriter, String)} writes; the NUL must be the last byte. */
    static String asciiString(NdrReader r, String field, int maxChars) {
        Octets b = r.conformantVaryingBytes(field, maxChars);
        if (b.length() == 0 || b.get(b.length() - 1) != 0) {
            throw new DceProtocolException(field + ": no terminating NUL (expected: last of "
                    + b.length() + " bytes is 0)");
        }
        return new String(b.toByteArray(), 0, b.length() - 1, StandardCharsets.ISO_8859_1);
    }

    /** A size_is array followed by its count parameter: the two must agree. */
    static Octets sizedBytes(NdrReader r, String field, String countField, int cap) {
        return counted(r, r.conformantBytes(field, cap), countField, "the max_count of " + field);
    }

    /** An [in, out] range-checked ulong such as *pcbAuxOut. */
    static long rangedU32(NdrReader r, String field, long max) {
        long v = r.u32(field);
        if (v > max) {
            throw new DceProtocolException(field + ": " + v + " (expected: <= " + max + ")");
        }
        return v;
    }

    /** An [out, length_is(n), size_is(n)] byte array answered with max_count = actual_count, then n itself. */
    static Octets outBytes(NdrReader r, String field, String countField, int cap) {
        return counted(r, r.conformantVaryingBytes(field, cap), countField, "the actual_count of " + field);
    }

    private static Octets counted(NdrReader r, Octets bytes, String countField, String countedBy) {
        long count = r.u32(countField);
        if (count != bytes.length()) {
            throw new DceProtocolException(countField + ": " + count + " (expected: " + bytes.length() + ", " + countedBy + ")");
        }
        return bytes;
    }
}
