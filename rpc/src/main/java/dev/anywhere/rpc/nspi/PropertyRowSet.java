package dev.anywhere.rpc.nspi;

import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Rows of a table. On the wire a conformant structure: {@code max_count = cRows}, {@code cRows}, the rows' fixed
 * parts, then each row's properties followed by that row's strings and binaries.
 *
 * @see [MS-OXNSPI] 2.3.3 PropertyRowSet_r
 */
public record PropertyRowSet(List<PropertyRow> rows) {

    /** Rows per set we accept (the IDL's {@code range(0, 100000)}). */
    public static final int MAX_ROWS = 100_000;

    public PropertyRowSet {
        rows = List.copyOf(rows);
    }

    void write(NdrWriter w) {
        w.u32(rows.size()); // max_count, hoisted before the structure
        w.u32(rows.size()); // cRows
        for (PropertyRow row : rows) {
            row.write(w);
        }
        w.flushDeferred();
    }

    static PropertyRowSet read(NdrReader r) {
        int max = r.conformance("PropertyRowSet_r aRow", MAX_ROWS);
        long count = r.u32("PropertyRowSet_r cRows");
        if (count != max) {
            throw new DceProtocolException("PropertyRowSet_r cRows: " + count + " (expected: max_count " + max + ")");
        }
        if (r.remaining() < 12L * max) {
            throw new DceProtocolException("PropertyRowSet_r aRow: " + max + " rows, " + r.remaining()
                    + " bytes left (expected: 12 per row)");
        }
        List<Supplier<PropertyRow>> rows = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            rows.add(PropertyRow.read(r));
        }
        r.readDeferred();
        return new PropertyRowSet(rows.stream().map(Supplier::get).toList());
    }
}
