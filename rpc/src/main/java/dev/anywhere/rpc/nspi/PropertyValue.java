package dev.anywhere.rpc.nspi;

import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import dev.anywhere.rpc.wire.Octets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One property: its tag and a value whose Java type follows the tag's property type ({@code tag & 0xFFFF}):
 *
 * <table>
 * <caption>Property types and values</caption>
 * <tr><th>type</th><th>arm</th><th>value</th></tr>
 * <tr><td>0x0002 PtypInteger16</td><td>i</td><td>{@link Short}</td></tr>
 * <tr><td>0x0003 PtypInteger32, 0x000A PtypErrorCode, 0x0000/0x0001/0x000D</td><td>l, err, lReserved</td><td>{@link Integer}</td></tr>
 * <tr><td>0x000B PtypBoolean</td><td>b</td><td>{@link Boolean}</td></tr>
 * <tr><td>0x001E PtypString8</td><td>lpszA</td><td>{@link Octets} without the NUL (the code page is the caller's business), or null</td></tr>
 * <tr><td>0x001F PtypString</td><td>lpszW</td><td>{@link String}, or null</td></tr>
 * <tr><td>0x0102 PtypBinary</td><td>bin</td><td>{@link Octets}</td></tr>
 * <tr><td>0x0048 PtypGuid</td><td>lpguid</td><td>{@link Octets} of 16 bytes (FlatUID_r), or null</td></tr>
 * <tr><td>0x0040 PtypTime</td><td>ft</td><td>{@link Long}, a FILETIME</td></tr>
 * <tr><td>0x1002, 0x1003, 0x101E, 0x101F, 0x1102, 0x1048, 0x1040</td><td>MV…</td><td>a {@link List} of the single-valued type</td></tr>
 * </table>
 *
 * @see [MS-OXNSPI] 2.3.1.11 PROP_VAL_UNION, 2.3.1.12 PropertyValue_r
 */
public record PropertyValue(int tag, Object value) {

    public static final int PT_SHORT = 0x0002;
    public static final int PT_LONG = 0x0003;
    public static final int PT_ERROR = 0x000A;
    public static final int PT_BOOLEAN = 0x000B;
    public static final int PT_STRING8 = 0x001E;
    public static final int PT_UNICODE = 0x001F;
    public static final int PT_SYSTIME = 0x0040;
    public static final int PT_CLSID = 0x0048;
    public static final int PT_BINARY = 0x0102;
    public static final int PT_MV_FLAG = 0x1000;
    /** Elements of one multi-valued property on the wire; the IDL's {@code range(0, 100000)}. */
    public static final int MAX_VALUES = 100_000;
    /** Bytes of one string or binary value we accept (the IDL's Binary_r allows 2 MiB). */
    public static final int MAX_BYTES = 2 * 1024 * 1024;

    public PropertyValue {
        value = checked(tag, value);
    }

    public int type() {
        return tag & 0xFFFF;
    }

    public static PropertyValue int32(int tag, int v) {
        return new PropertyValue(tag, v);
    }

    public static PropertyValue bool(int tag, boolean v) {
        return new PropertyValue(tag, v);
    }

    public static PropertyValue unicode(int tag, String v) {
        return new PropertyValue(tag, v);
    }

    public static PropertyValue binary(int tag, Octets v) {
        return new PropertyValue(tag, v);
    }

    /** PT_ERROR for {@code tag}'s property ID with {@code code} (e.g. NotFound 0x8004010F). */
    public static PropertyValue error(int tag, int code) {
        return new PropertyValue((tag & 0xFFFF0000) | PT_ERROR, code);
    }

    /** The value as a string, for PtypString; fails for other types. */
    public String string() {
        return (String) value;
    }

    private static Object checked(int tag, Object value) {
        int type = tag & 0xFFFF;
        Class<?> want = switch (type) {
            case PT_SHORT -> Short.class;
            case PT_LONG, PT_ERROR, 0x0000, 0x0001, 0x000D -> Integer.class;
            case PT_BOOLEAN -> Boolean.class;
            case PT_STRING8, PT_BINARY, PT_CLSID -> Octets.class;
            case PT_UNICODE -> String.class;
            case PT_SYSTIME -> Long.class;
            case 0x1002, 0x1003, 0x101E, 0x101F, 0x1102, 0x1048, 0x1040 -> List.class;
            default -> throw new IllegalArgumentException(String.format("property type: 0x%04X of tag 0x%08X"
                    + " (expected: one of PROP_VAL_UNION's types)", type, tag));
        };
        boolean nullable = type == PT_STRING8 || type == PT_UNICODE || type == PT_CLSID;
        if (value == null ? !nullable : !want.isInstance(value)) {
            throw new IllegalArgumentException(String.format("value of tag 0x%08X: %s (expected: %s)", tag,
                    value == null ? "null" : value.getClass().getSimpleName(), want.getSimpleName()));
        }
        if (type == PT_CLSID && value != null && ((Octets) value).length() != 16) {
            throw new IllegalArgumentException("PtypGuid: " + ((Octets) value).length() + " bytes (expected: 16)");
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(checked((tag & 0xFFFF0000) | (type & ~PT_MV_FLAG), element));
            }
            return List.copyOf(copy);
        }
        return value;
    }

    // ---- NDR ----

    void write(NdrWriter w) {
        w.u32(tag); // ulPropTag
        w.u32(0); // ulReserved
        w.u32(type()); // the union's discriminant: switch_is(ulPropTag & 0xFFFF)
        switch (type()) {
            case PT_SHORT -> w.u16((Short) value);
            case PT_LONG, PT_ERROR, 0x0000, 0x0001, 0x000D -> w.u32((Integer) value);
            case PT_BOOLEAN -> w.u16((Boolean) value ? 1 : 0);
            case PT_SYSTIME -> writeFiletime(w, (Long) value);
            case PT_STRING8 -> w.uniquePointer((Octets) value, PropertyValue::writeString8);
            case PT_UNICODE -> w.uniquePointer((String) value, NdrWriter::wideString);
            case PT_CLSID -> w.uniquePointer((Octets) value, NdrWriter::bytes);
            case PT_BINARY -> writeBinary(w, (Octets) value);
            default -> writeMultiple(w);
        }
    }

    @SuppressWarnings("unchecked")
    private void writeMultiple(NdrWriter w) {
        List<Object> list = (List<Object>) value;
        w.u32(list.size()); // cValues
        w.uniquePointer(list, (ww, l) -> ww.conformantArray(l, (www, element) -> {
            switch (type() & ~PT_MV_FLAG) {
                case PT_SHORT -> www.u16((Short) element);
                case PT_LONG -> www.u32((Integer) element);
                case PT_SYSTIME -> writeFiletime(www, (Long) element);
                case PT_STRING8 -> www.uniquePointer((Octets) element, PropertyValue::writeString8);
                case PT_UNICODE -> www.uniquePointer((String) element, NdrWriter::wideString);
                case PT_CLSID -> www.uniquePointer((Octets) element, NdrWriter::bytes);
                default -> writeBinary(www, (Octets) element);
            }
        }));
    }

    static void writeString8(NdrWriter w, Octets s) {
        byte[] withNul = new byte[s.length() + 1];
        System.arraycopy(s.toByteArray(), 0, withNul, 0, s.length());
        w.conformantVaryingBytes(Octets.of(withNul));
    }

    /**
     * A {@code BinaryArray_r}: cValues, then a pointer to the Binary_r elements (each cb and a pointer to its bytes),
     * the same shape as the PtypMultipleBinary arm.
     *
     * @see [MS-OXNSPI] 2.2.2.7 BinaryArray_r
     */
    static void writeBinaryArray(NdrWriter w, List<Octets> values) {
        w.u32(values.size());
        w.uniquePointer(values, (ww, l) -> ww.conformantArray(l, PropertyValue::writeBinary));
    }

    /** Reads a {@code BinaryArray_r}; complete once the caller has run {@link NdrReader#readDeferred()}. */
    static Supplier<List<Octets>> readBinaryArray(NdrReader r, String field) {
        long count = r.u32(field + " cValues");
        NdrReader.Deferred<List<Supplier<Object>>> values = r.uniquePointer(field + " lpbin", rr -> {
            int n = rr.conformance(field + " lpbin", MAX_VALUES);
            if (n != count) {
                throw new DceProtocolException(field + " lpbin max_count: " + n + " (expected: cValues " + count + ")");
            }
            if (rr.remaining() < 8L * n) {
                throw new DceProtocolException(field + " lpbin: " + n + " values, " + rr.remaining()
                        + " bytes left (expected: 8 per Binary_r)");
            }
            List<Supplier<Object>> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(readPointed(rr, PT_BINARY));
            }
            return out;
        });
        return () -> values.toOptional().map(l -> l.stream().map(s -> (Octets) s.get()).toList()).orElse(List.of());
    }

    private static void writeBinary(NdrWriter w, Octets b) {
        w.u32(b.length()); // cb
        w.uniquePointer(b, NdrWriter::conformantBytes); // lpb
    }

    private static void writeFiletime(NdrWriter w, long ft) {
        w.u32(ft & 0xFFFF_FFFFL).u32(ft >>> 32); // dwLowDateTime, dwHighDateTime
    }

    /** Reads one PropertyValue_r; the result is complete once the caller has run {@link NdrReader#readDeferred()}. */
    static Supplier<PropertyValue> read(NdrReader r) {
        int tag = r.i32("PropertyValue_r ulPropTag");
        r.u32("PropertyValue_r ulReserved");
        long discriminant = r.u32("PROP_VAL_UNION discriminant");
        int type = tag & 0xFFFF;
        if (discriminant != type) {
            throw new DceProtocolException(String.format("PROP_VAL_UNION discriminant: 0x%X (expected: 0x%04X, the type"
                    + " of tag 0x%08X)", discriminant, type, tag));
        }
        switch (type) {
            case PT_SHORT -> {
                short v = (short) r.u16("PropertyValue_r i");
                return () -> new PropertyValue(tag, v);
            }
            case PT_LONG, PT_ERROR, 0x0000, 0x0001, 0x000D -> {
                int v = r.i32("PropertyValue_r l");
                return () -> new PropertyValue(tag, v);
            }
            case PT_BOOLEAN -> {
                boolean v = r.u16("PropertyValue_r b") != 0;
                return () -> new PropertyValue(tag, v);
            }
            case PT_SYSTIME -> {
                long v = readFiletime(r);
                return () -> new PropertyValue(tag, v);
            }
            case PT_STRING8, PT_UNICODE, PT_CLSID, PT_BINARY -> {
                Supplier<Object> v = readPointed(r, type);
                return () -> new PropertyValue(tag, v.get());
            }
            case 0x1002, 0x1003, 0x101E, 0x101F, 0x1102, 0x1048, 0x1040 -> {
                long count = r.u32("PropertyValue_r MV cValues");
                int elementType = type & ~PT_MV_FLAG;
                NdrReader.Deferred<List<Supplier<Object>>> values = r.uniquePointer("PropertyValue_r MV values",
                        rr -> {
                            int n = rr.conformance("PropertyValue_r MV values", MAX_VALUES);
                            if (n != count) {
                                throw new DceProtocolException("PropertyValue_r MV max_count: " + n
                                        + " (expected: cValues " + count + ")");
                            }
                            List<Supplier<Object>> out = new ArrayList<>();
                            for (int i = 0; i < n; i++) {
                                out.add(readElement(rr, elementType));
                            }
                            return out;
                        });
                return () -> {
                    List<Object> list = new ArrayList<>();
                    values.toOptional().ifPresent(l -> l.forEach(s -> list.add(s.get())));
                    return new PropertyValue(tag, list);
                };
            }
            default -> throw new DceProtocolException(String.format("PropertyValue_r ulPropTag: 0x%08X (expected: a"
                    + " type of PROP_VAL_UNION)", tag));
        }
    }

    private static Supplier<Object> readElement(NdrReader r, int type) {
        return switch (type) {
            case PT_SHORT -> constant((short) r.u16("MV i"));
            case PT_LONG -> constant(r.i32("MV l"));
            case PT_SYSTIME -> constant(readFiletime(r));
            default -> readPointed(r, type);
        };
    }

    private static Supplier<Object> constant(Object v) {
        return () -> v;
    }

    /** The arms with deferred referents: string pointers, GUID pointers and Binary_r. */
    private static Supplier<Object> readPointed(NdrReader r, int type) {
        if (type == PT_BINARY) {
            long cb = r.u32("Binary_r cb");
            NdrReader.Deferred<Octets> lpb = r.uniquePointer("Binary_r lpb", rr -> {
                Octets b = rr.conformantBytes("Binary_r lpb", MAX_BYTES);
                if (b.length() != cb) {
                    throw new DceProtocolException("Binary_r lpb max_count: " + b.length() + " (expected: cb " + cb + ")");
                }
                return b;
            });
            return () -> lpb.toOptional().orElse(Octets.EMPTY);
        }
        NdrReader.Deferred<Object> p = r.uniquePointer("PropertyValue_r pointer", rr -> switch (type) {
            case PT_STRING8 -> readString8(rr, "lpszA");
            case PT_UNICODE -> rr.wideString("lpszW", MAX_BYTES / 2);
            default -> rr.bytes(16, "lpguid");
        });
        return () -> p.toOptional().orElse(null);
    }

    /** A {@code [string] char*} referent: conformant varying bytes whose last is NUL; the NUL is dropped. */
    static Octets readString8(NdrReader r, String field) {
        Octets withNul = r.conformantVaryingBytes(field, MAX_BYTES);
        if (withNul.length() == 0 || withNul.get(withNul.length() - 1) != 0) {
            throw new DceProtocolException(field + ": no terminating NUL (expected: last of " + withNul.length()
                    + " bytes is 0)");
        }
        return withNul.slice(0, withNul.length() - 1);
    }

    private static long readFiletime(NdrReader r) {
        long low = r.u32("FILETIME dwLowDateTime");
        long high = r.u32("FILETIME dwHighDateTime");
        return (high << 32) | low;
    }

    /** For diagnostics: strings shown, binaries as hex. */
    @Override
    public String toString() {
        Object shown = value instanceof Octets o && type() == PT_STRING8
                ? new String(o.toByteArray(), StandardCharsets.ISO_8859_1) : value;
        return String.format("0x%08X=%s", tag, Objects.toString(shown));
    }
}
