package dev.anywhere.rpc.nspi;

import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One row: the properties of one address-book object, in the order of the requested columns.
 *
 * @see [MS-OXNSPI] 2.3.2 PropertyRow_r
 */
public record PropertyRow(List<PropertyValue> values) {

    /** Columns per row we accept (the IDL's {@code range(0, 100000)}). */
    public static final int MAX_VALUES = 100_000;

    public PropertyRow {
        values = List.copyOf(values);
    }

    /** The value with exactly this tag. */
    public Optional<PropertyValue> get(int tag) {
        return values.stream().filter(v -> v.tag() == tag).findFirst();
    }

    void write(NdrWriter w) {
        w.u32(0); // Reserved (ulAdrEntryPad)
        w.u32(values.size()); // cValues
        w.uniquePointer(values, (ww, list) -> ww.conformantArray(list, (www, v) -> v.write(www))); // lpProps
    }

    /** Complete once the caller has run {@link NdrReader#readDeferred()}. */
    static Supplier<PropertyRow> read(NdrReader r) {
        r.u32("PropertyRow_r Reserved");
        long count = r.u32("PropertyRow_r cValues");
        NdrReader.Deferred<List<Supplier<PropertyValue>>> props = r.uniquePointer("PropertyRow_r lpProps", rr -> {
            int n = rr.conformance("PropertyRow_r lpProps", MAX_VALUES);
            if (n != count) {
                throw new DceProtocolException("PropertyRow_r lpProps max_count: " + n + " (expected: cValues " + count + ")");
            }
            List<Supplier<PropertyValue>> out = new ArrayList<>(Math.min(n, rr.remaining() / 12 + 1));
            for (int i = 0; i < n; i++) {
                out.add(PropertyValue.read(rr));
            }
            return out;
        });
        return () -> new PropertyRow(props.toOptional().map(l -> l.stream().map(Supplier::get).toList()).orElse(List.of()));
    }
}
