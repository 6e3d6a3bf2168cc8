package dev.anywhere.rpc.dce;

import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * Unmarshals NDR 2.0 stub data, little-endian ([C706] chapter 14), through one bounds-checked
 * {@link WireReader}. Alignment is counted from where the reader started.
 *
 * <p>Every count from the wire is checked against a cap the caller states (what the IDL's {@code range()}
 * or the interface's own limit allows) and against the bytes actually present <em>before</em> anything is
 * allocated, so a 4-byte count of 0xffffffff costs nothing. Errors throw {@link DceProtocolException}.
 *
 * <p>Embedded pointers return a {@link Deferred} that is filled by {@link #readDeferred()}, which the caller
 * invokes after the outermost constructed type (see {@link NdrWriter} for the placement rules).
 *
 * @see [C706] 14.3 NDR Constructed Types
 */
public final class NdrReader {

    /** Reads one value of type {@code T}. */
    @FunctionalInterface
    public interface Unmarshaller<T> {
        T read(NdrReader r);
    }

    /** The referent of an embedded pointer, available once {@link #readDeferred()} has run. */
    public static final class Deferred<T> {
        private final boolean present;
        private T value;
        private boolean resolved;

        private Deferred(boolean present) {
            this.present = present;
            this.resolved = !present;
        }

        /** False for a null pointer. */
        public boolean isPresent() {
            return present;
        }

        /** The referent; fails for a null pointer or before {@link NdrReader#readDeferred()}. */
        public T get() {
            if (!present) {
                throw new NoSuchElementException("null pointer");
            }
            if (!resolved) {
                throw new IllegalStateException("referent not read yet: call readDeferred()");
            }
            return value;
        }

        /** The referent, or empty for a null pointer. */
        public Optional<T> toOptional() {
            return present ? Optional.of(get()) : Optional.empty();
        }
    }

    private final WireReader r;
    private ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    private final Map<Integer, Deferred<?>> fullPointers = new HashMap<>();

    /** A reader over the readable bytes of {@code stub}. */
    public NdrReader(ByteBuf stub) {
        this.r = DceCodec.reader(stub);
    }

    /** A reader over {@code stub}. */
    public NdrReader(Octets stub) {
        this(io.netty.buffer.Unpooled.wrappedBuffer(stub.toByteArray()));
    }

    public int position() {
        return r.position();
    }

    public int remaining() {
        return r.remaining();
    }

    /** Fails unless the whole stub has been read. */
    public void expectEnd(String what) {
        r.expectEnd(what);
    }

    /** Skips padding to a multiple of {@code alignment}. */
    public NdrReader align(int alignment) {
        r.align(alignment, "alignment padding");
        return this;
    }

    public int u8(String field) {
        return r.u8(field);
    }

    public int u16(String field) {
        align(2);
        return r.u16(field);
    }

    /** An NDR enum (16 bits on the wire). */
    public int enum16(String field) {
        return u16(field);
    }

    /** An unsigned 32-bit value. */
    public long u32(String field) {
        align(4);
        return r.u32(field);
    }

    /** A 32-bit value as its signed bit pattern. */
    public int i32(String field) {
        align(4);
        return r.i32(field);
    }

    /** A 64-bit {@code hyper}, 8-aligned. */
    public long hyper(String field) {
        align(8);
        return r.u64(field);
    }

    /** An unsigned 64-bit integer (same wire form as {@code hyper}); values above 2^63 come back negative. */
    public long u64(String field) {
        return hyper(field);
    }

    public UUID uuid(String field) {
        align(4);
        return r.guid(field);
    }

    public ContextHandle contextHandle(String field) {
        align(4);
        int attributes = r.i32(field + " attributes"); // context_handle_attributes (4 bytes)
        UUID uuid = r.guid(field + " uuid"); // context_handle_uuid (16 bytes)
        return new ContextHandle(attributes, uuid);
    }

    /** {@code n} raw bytes (a fixed byte array). */
    public Octets bytes(int n, String field) {
        return r.bytes(n, field);
    }

    /**
     * A conformance (max_count) checked against {@code cap}.
     *
     * @throws DceProtocolException {@code FIELD max_count: N (expected: <= CAP)}
     */
    public int conformance(String field, int cap) {
        long n = u32(field + " max_count"); // max_count (4 bytes)
        return checkCount(field + " max_count", n, cap);
    }

    private int checkCount(String what, long n, int cap) {
        if (n > cap) {
            throw r.error(what + ": " + n + " (expected: <= " + cap + ")");
        }
        return (int) n;
    }

    /** Reads offset and actual_count of a varying array of capacity {@code max}; offset must be 0. */
    private int variance(String field, long max) {
        long offset = u32(field + " offset"); // offset (4 bytes)
        if (offset != 0) {
            throw r.error(field + " offset: " + offset + " (expected: 0)");
        }
        long actual = u32(field + " actual_count"); // actual_count (4 bytes)
        if (actual > max) {
            throw r.error(field + " actual_count: " + actual + " (expected: <= max_count " + max + ")");
        }
        return (int) actual;
    }

    /** A conformant array of bytes. */
    public Octets conformantBytes(String field, int cap) {
        int n = conformance(field, cap);
        return r.bytes(n, field);
    }

    /** A conformant varying array of bytes. */
    public Octets conformantVaryingBytes(String field, int cap) {
        int max = conformance(field, cap);
        int n = variance(field, max);
        return r.bytes(n, field);
    }

    /**
     * A conformant array of {@code T}; each element is at least {@code minElementSize} bytes, which is checked
     * against the bytes left before the list is allocated.
     */
    public <T> List<T> conformantArray(String field, int cap, int minElementSize, Unmarshaller<T> element) {
        int n = conformance(field, cap);
        r.require((long) n * Math.max(minElementSize, 0), field);
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(element.read(this));
        }
        return list;
    }

    /** A conformant varying array of {@code T} (offset must be 0); returns the transmitted elements. */
    public <T> List<T> conformantVaryingArray(String field, int cap, int minElementSize, Unmarshaller<T> element) {
        int max = conformance(field, cap);
        int n = variance(field, max);
        r.require((long) n * Math.max(minElementSize, 0), field);
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(element.read(this));
        }
        return list;
    }

    /**
     * A {@code [string] wchar_t *} body: conformant varying UTF-16LE; the terminating NUL must be the last
     * character transmitted and is not part of the result.
     *
     * @param maxChars cap on max_count, including the NUL
     */
    public String wideString(String field, int maxChars) {
        int max = conformance(field, maxChars);
        int n = variance(field, max);
        if (n == 0) {
            throw r.error(field + " actual_count: 0 (expected: >= 1, the terminating NUL)");
        }
        Octets chars = r.bytes(n * 2, field);
        if (chars.get(2 * n - 2) != 0 || chars.get(2 * n - 1) != 0) {
            throw r.error(field + ": no terminating NUL (expected: last of " + n + " characters is 0)");
        }
        return new String(chars.toByteArray(), 0, 2 * n - 2, StandardCharsets.UTF_16LE);
    }

    /**
     * A {@code [string] char[capacity]} fixed array: offset and actual_count (no max_count), ASCII bytes, the
     * last one NUL.
     */
    public String varyingAsciiString(String field, int capacity) {
        int n = variance(field, capacity);
        if (n == 0) {
            throw r.error(field + " actual_count: 0 (expected: >= 1, the terminating NUL)");
        }
        Octets chars = r.bytes(n, field);
        if (chars.get(n - 1) != 0) {
            throw r.error(field + ": no terminating NUL (expected: last of " + n + " bytes is 0)");
        }
        return new String(chars.toByteArray(), 0, n - 1, StandardCharsets.ISO_8859_1);
    }

    /** A {@code twr_t}: max_count and tower_length must agree; the octets are decoded as a {@link Tower}. */
    public Tower tower(String field, int cap) {
        int max = conformance(field, cap);
        long length = u32(field + " tower_length"); // tower_length (4 bytes)
        if (length != max) {
            throw r.error(field + " tower_length: " + length + " (expected: max_count " + max + ")");
        }
        Octets octets = r.bytes(max, field + " tower_octet_string");
        return Tower.decode(octets, r::error);
    }

    /** An embedded unique pointer; the referent is read by {@link #readDeferred()}. */
    public <T> Deferred<T> uniquePointer(String field, Unmarshaller<T> referent) {
        int id = i32(field + " referent id");
        if (id == 0) {
            return new Deferred<>(false);
        }
        Deferred<T> d = new Deferred<>(true);
        deferred.add(() -> resolve(d, referent));
        return d;
    }

    /** An embedded ref pointer: like unique, but a null referent id is an error. */
    public <T> Deferred<T> refPointer(String field, Unmarshaller<T> referent) {
        Deferred<T> d = uniquePointer(field, referent);
        if (!d.isPresent()) {
            throw r.error(field + " referent id: 0 (expected: non-null [ref] pointer)");
        }
        return d;
    }

    /** An embedded full pointer: a referent id seen before shares the first occurrence's referent. */
    @SuppressWarnings("unchecked")
    public <T> Deferred<T> fullPointer(String field, Unmarshaller<T> referent) {
        int id = i32(field + " referent id");
        if (id == 0) {
            return new Deferred<>(false);
        }
        Deferred<?> seen = fullPointers.get(id);
        if (seen != null) {
            return (Deferred<T>) seen;
        }
        Deferred<T> d = new Deferred<>(true);
        fullPointers.put(id, d);
        deferred.add(() -> resolve(d, referent));
        return d;
    }

    /** A top-level unique pointer: referent id, then the referent and its deferred referents at once. */
    public <T> Optional<T> topLevelUnique(String field, Unmarshaller<T> referent) {
        int id = i32(field + " referent id");
        if (id == 0) {
            return Optional.empty();
        }
        T value = referent.read(this);
        readDeferred();
        return Optional.of(value);
    }

    /** Reads every deferred referent in order, each followed by the referents it deferred. */
    public NdrReader readDeferred() {
        ArrayDeque<Runnable> pending = deferred;
        deferred = new ArrayDeque<>();
        for (Runnable task : pending) {
            task.run();
            readDeferred();
        }
        return this;
    }

    private <T> void resolve(Deferred<T> d, Unmarshaller<T> referent) {
        d.value = referent.read(this);
        d.resolved = true;
    }
}
