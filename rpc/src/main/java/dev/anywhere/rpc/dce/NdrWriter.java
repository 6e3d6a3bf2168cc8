package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Marshals stub data in NDR 2.0, little-endian ([C706] chapter 14). Alignment is counted from where the writer
 * started (the start of the stub), as NDR requires.
 *
 * <p>Pointers follow NDR's two kinds of placement. A <em>top-level</em> pointer (a procedure parameter) is
 * written with its referent right after it ({@link #topLevelUnique}). An <em>embedded</em> pointer (a field of
 * a structure or array) writes only its referent id; the referent is deferred until {@link #flushDeferred()},
 * which the caller invokes after the outermost constructed type, and which writes referents in order, each
 * followed by its own deferred referents (depth first, as MIDL does).
 *
 * @see [C706] 14.3.10 Pointers, 14.3.12 Algorithm for Deferral of Referents
 */
public final class NdrWriter {

    /** Writes one value of type {@code T}. */
    @FunctionalInterface
    public interface Marshaller<T> {
        void write(NdrWriter w, T value);
    }

    private final ByteBuf out;
    private final int start;
    private final int referentIdStep;
    private int nextReferentId;
    private ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    private final Map<Object, Integer> fullPointerIds = new IdentityHashMap<>();

    /** A writer with MIDL's referent ids 0x00020000, 0x00020004, … */
    public NdrWriter(ByteBuf out) {
        this(out, 0x0002_0000, 4);
    }

    /** A writer whose referent ids start at {@code firstReferentId} and grow by {@code step} (Windows' EPM uses 1, 1). */
    public NdrWriter(ByteBuf out, int firstReferentId, int step) {
        if (firstReferentId == 0 || step <= 0) {
            throw new IllegalArgumentException("referent ids: first " + firstReferentId + " step " + step
                    + " (expected: first != 0, step > 0)");
        }
        this.out = out;
        this.start = out.writerIndex();
        this.nextReferentId = firstReferentId;
        this.referentIdStep = step;
    }

    /** Bytes written so far. */
    public int position() {
        return out.writerIndex() - start;
    }

    /** Pads with zeros to a multiple of {@code alignment} (1, 2, 4 or 8). */
    public NdrWriter align(int alignment) {
        out.writeZero(WireReader.padding(position(), alignment));
        return this;
    }

    public NdrWriter u8(int v) {
        out.writeByte(v);
        return this;
    }

    public NdrWriter u16(int v) {
        align(2);
        out.writeShortLE(v);
        return this;
    }

    /** An NDR enum: 16 bits on the wire ([C706] 14.2.5). */
    public NdrWriter enum16(int v) {
        return u16(v);
    }

    public NdrWriter u32(long v) {
        align(4);
        out.writeIntLE((int) v);
        return this;
    }

    /** A 64-bit {@code hyper}, 8-aligned. */
    public NdrWriter hyper(long v) {
        align(8);
        out.writeLongLE(v);
        return this;
    }

    /** An unsigned 64-bit integer (same wire form as {@code hyper}). */
    public NdrWriter u64(long v) {
        return hyper(v);
    }

    /** A GUID ({@code uuid_t}, 4-aligned structure of 16 bytes). */
    public NdrWriter uuid(UUID v) {
        align(4);
        Guids.write(out, v);
        return this;
    }

    public NdrWriter contextHandle(ContextHandle h) {
        align(4);
        out.writeIntLE(h.attributes()); // context_handle_attributes (4 bytes)
        Guids.write(out, h.uuid()); // context_handle_uuid (16 bytes)
        return this;
    }

    /** Raw bytes with no alignment or count (the body of a fixed array of bytes). */
    public NdrWriter bytes(Octets b) {
        b.writeTo(out);
        return this;
    }

    /** A conformant array of bytes: max_count, then the bytes. */
    public NdrWriter conformantBytes(Octets b) {
        u32(b.length()); // max_count (4 bytes)
        b.writeTo(out);
        return this;
    }

    /** A conformant varying array of bytes: max_count, offset 0, actual_count, then the bytes. */
    public NdrWriter conformantVaryingBytes(Octets b) {
        u32(b.length()); // max_count (4 bytes)
        u32(0); // offset (4 bytes)
        u32(b.length()); // actual_count (4 bytes)
        b.writeTo(out);
        return this;
    }

    /** A conformant array: max_count, then each element. */
    public <T> NdrWriter conformantArray(List<T> values, Marshaller<T> element) {
        u32(values.size()); // max_count (4 bytes)
        for (T v : values) {
            element.write(this, v);
        }
        return this;
    }

    /** A conformant varying array with max_count = actual_count = size and offset 0. */
    public <T> NdrWriter conformantVaryingArray(List<T> values, Marshaller<T> element) {
        return conformantVaryingArray(values.size(), values, element);
    }

    /** A conformant varying array of capacity {@code maxCount} transmitting {@code values} from offset 0. */
    public <T> NdrWriter conformantVaryingArray(int maxCount, List<T> values, Marshaller<T> element) {
        if (values.size() > maxCount) {
            throw new IllegalArgumentException("actual_count: " + values.size() + " (expected: <= max_count " + maxCount + ")");
        }
        u32(maxCount); // max_count (4 bytes)
        u32(0); // offset (4 bytes)
        u32(values.size()); // actual_count (4 bytes)
        for (T v : values) {
            element.write(this, v);
        }
        return this;
    }

    /**
     * A {@code [string] wchar_t *} body: conformant varying UTF-16LE with the terminating NUL counted in
     * max_count and actual_count.
     *
     * @see [C706] 14.3.4 Strings
     */
    public NdrWriter wideString(String s) {
        byte[] chars = s.getBytes(StandardCharsets.UTF_16LE);
        int count = chars.length / 2 + 1;
        u32(count); // max_count (4 bytes)
        u32(0); // offset (4 bytes)
        u32(count); // actual_count (4 bytes)
        out.writeBytes(chars); // characters
        out.writeShortLE(0); // terminating NUL
        return this;
    }

    /**
     * A {@code [string] char[n]} fixed array (varying only): offset 0, actual_count including the NUL, ASCII
     * bytes and the NUL, as the endpoint mapper's annotation.
     */
    public NdrWriter varyingAsciiString(String s) {
        byte[] chars = s.getBytes(StandardCharsets.US_ASCII);
        u32(0); // offset (4 bytes)
        u32(chars.length + 1); // actual_count (4 bytes)
        out.writeBytes(chars); // characters
        out.writeByte(0); // terminating NUL
        return this;
    }

    /** A {@code twr_t}: conformant max_count, tower_length, then the tower octets. */
    public NdrWriter tower(Tower tower) {
        Octets octets = tower.encode();
        u32(octets.length()); // max_count of tower_octet_string (4 bytes)
        u32(octets.length()); // tower_length (4 bytes)
        octets.writeTo(out); // tower_octet_string
        return this;
    }

    /** An embedded unique pointer: referent id (0 for null); the referent is deferred. */
    public <T> NdrWriter uniquePointer(T value, Marshaller<T> referent) {
        if (value == null) {
            return u32(0);
        }
        u32(takeReferentId());
        deferred.add(() -> referent.write(this, value));
        return this;
    }

    /** An embedded ref pointer: a non-zero referent id; the referent is deferred. */
    public <T> NdrWriter refPointer(T value, Marshaller<T> referent) {
        if (value == null) {
            throw new IllegalArgumentException("ref pointer: null (expected: a referent)");
        }
        return uniquePointer(value, referent);
    }

    /**
     * An embedded full pointer: the same object (by identity) gets the same referent id and its referent is
     * written only once.
     */
    public <T> NdrWriter fullPointer(T value, Marshaller<T> referent) {
        if (value == null) {
            return u32(0);
        }
        Integer id = fullPointerIds.get(value);
        if (id != null) {
            return u32(id);
        }
        int newId = takeReferentId();
        fullPointerIds.put(value, newId);
        u32(newId);
        deferred.add(() -> referent.write(this, value));
        return this;
    }

    /** A top-level unique pointer: referent id, then the referent and its deferred referents at once. */
    public <T> NdrWriter topLevelUnique(T value, Marshaller<T> referent) {
        if (value == null) {
            return u32(0);
        }
        u32(takeReferentId());
        referent.write(this, value);
        return flushDeferred();
    }

    /** A top-level ref pointer: no wire representation of its own; the referent, then its deferrals. */
    public <T> NdrWriter topLevelRef(T value, Marshaller<T> referent) {
        referent.write(this, value);
        return flushDeferred();
    }

    /** Writes every deferred referent in order, each followed by the referents it deferred (depth first). */
    public NdrWriter flushDeferred() {
        ArrayDeque<Runnable> pending = deferred;
        deferred = new ArrayDeque<>();
        for (Runnable r : pending) {
            r.run(); // may defer further referents into the fresh queue...
            flushDeferred(); // ...which are written right after this one
        }
        return this;
    }

    private int takeReferentId() {
        int id = nextReferentId;
        nextReferentId += referentIdStep;
        return id;
    }
}
