package dev.anywhere.rpc.nspi;

import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import java.util.List;

/**
 * A list of property tags, or of MIds where a call returns them ({@code PropertyTagArray_r}). On the wire a
 * conformant varying structure: {@code max_count = cValues + 1}, {@code cValues}, offset 0, {@code actual_count =
 * cValues}, the values (the IDL's {@code size_is(cValues+1), length_is(cValues)}).
 *
 * @see [MS-OXNSPI] 2.3.1.2 PropertyTagArray_r
 */
public record PropertyTagArray(List<Integer> values) {

    /** The IDL's {@code range(0, 100000)}. */
    public static final int MAX_VALUES = 100_000;

    public PropertyTagArray {
        values = List.copyOf(values);
        if (values.size() > MAX_VALUES) {
            throw new IllegalArgumentException("cValues: " + values.size() + " (expected: <= " + MAX_VALUES + ")");
        }
    }

    public static PropertyTagArray of(Integer... values) {
        return new PropertyTagArray(List.of(values));
    }

    static PropertyTagArray read(NdrReader r) {
        int max = r.conformance("PropertyTagArray_r aulPropTag", MAX_VALUES + 1);
        long count = r.u32("PropertyTagArray_r cValues");
        if (count > MAX_VALUES) {
            throw new DceProtocolException("PropertyTagArray_r cValues: " + count + " (expected: <= " + MAX_VALUES + ")");
        }
        long offset = r.u32("PropertyTagArray_r aulPropTag offset");
        long actual = r.u32("PropertyTagArray_r aulPropTag actual_count");
        // The IDL has actual_count = cValues; impacket's NspiGetProps sends cValues one higher (hNspiGetProps), so
        // only the transmitted values count and cValues may exceed them.
        if (offset != 0 || actual > count || actual > max) {
            throw new DceProtocolException("PropertyTagArray_r: max_count " + max + ", offset " + offset
                    + ", actual_count " + actual + ", cValues " + count
                    + " (expected: offset 0, actual_count <= cValues and <= max_count)");
        }
        if (r.remaining() < 4L * actual) {
            throw new DceProtocolException("PropertyTagArray_r aulPropTag: " + actual + " values, " + r.remaining()
                    + " bytes left (expected: 4 per value)");
        }
        Integer[] tags = new Integer[(int) actual];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = r.i32("PropertyTagArray_r aulPropTag");
        }
        return new PropertyTagArray(List.of(tags));
    }

    void write(NdrWriter w) {
        w.u32(values.size() + 1L); // max_count: size_is(cValues+1)
        w.u32(values.size()); // cValues
        w.u32(0); // offset
        w.u32(values.size()); // actual_count: length_is(cValues)
        for (int v : values) {
            w.u32(v);
        }
    }
}
