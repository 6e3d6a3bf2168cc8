package dev.anywhere.rpc.nspi;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import dev.anywhere.rpc.wire.Octets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Named properties: NspiGetNamesFromIDs (opnum 17) and NspiGetIDsFromNames (opnum 18). [MS-OXNSPI] lists neither
 * (its opnums 17 and 18 are "reserved for local use"); both are specified in [MS-NSPI], whose IDL is followed here.
 * NspiGetIDsFromNames answers with {@link NspiCalls.TagsResult}.
 *
 * <p>impacket 0.10 marshals NspiGetIDsFromNames' {@code pNames} as a conformant varying array of structures; the IDL
 * has an array of pointers to structures ({@code [size_is(cPropNames)] PropertyName_r** pNames}), which is what this
 * codec writes. Both forms are read (see {@link GetIdsFromNames#decode}).
 *
 * @see [MS-NSPI] 3.1.4.16 NspiGetNamesFromIDs, 3.1.4.17 NspiGetIDsFromNames, 2.3.5 Property Name/Property ID Structures
 */
public final class NspiNameCalls {

    /** The IDL's {@code range(0, 100000)} on cPropNames and cNames. */
    public static final int MAX_NAMES = 100_000;

    private NspiNameCalls() {
    }

    /**
     * NspiGetNamesFromIDs: the names of {@code propTags} (all the server knows when empty) in the property set
     * {@code guid} (every set the server supports when empty).
     */
    public record GetNamesFromIds(ContextHandle handle, int reserved, Optional<Octets> guid,
            Optional<PropertyTagArray> propTags) {
        public static final int OPNUM = 17;

        public GetNamesFromIds {
            Objects.requireNonNull(guid, "guid");
            Objects.requireNonNull(propTags, "propTags");
            guid.ifPresent(g -> {
                if (g.length() != 16) {
                    throw new IllegalArgumentException("lpguid: " + g.length() + " bytes (expected: 16)");
                }
            });
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(reserved);
                w.topLevelUnique(guid.orElse(null), NdrWriter::bytes);
                w.topLevelUnique(propTags.orElse(null), (ww, p) -> p.write(ww));
            });
        }

        public static GetNamesFromIds decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new GetNamesFromIds(r.contextHandle("hRpc"), r.i32("Reserved"),
                    r.topLevelUnique("lpguid", rr -> rr.bytes(16, "FlatUID_r")),
                    r.topLevelUnique("pPropTags", PropertyTagArray::read)));
        }
    }

    /**
     * The tags of the set asked for ({@code ppReturnedPropTags}, only when pPropTags was NULL), their names
     * ({@code ppNames}), the return value.
     */
    public record NamesResult(Optional<PropertyTagArray> tags, Optional<List<NspiCalls.PropertyName>> names,
            int returnCode) {
        public NamesResult {
            Objects.requireNonNull(tags, "tags");
            names = Objects.requireNonNull(names, "names").map(List::copyOf);
            names.ifPresent(n -> {
                if (n.size() > MAX_NAMES) {
                    throw new IllegalArgumentException("cNames: " + n.size() + " (expected: <= " + MAX_NAMES + ")");
                }
            });
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.topLevelUnique(tags.orElse(null), (ww, p) -> p.write(ww));
                w.topLevelUnique(names.orElse(null), NspiNameCalls::writeNameSet);
                w.u32(returnCode);
            });
        }

        public static NamesResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new NamesResult(r.topLevelUnique("ppReturnedPropTags",
                    PropertyTagArray::read), r.topLevelUnique("ppNames", NspiNameCalls::readNameSet),
                    r.i32("return value")));
        }
    }

    /** NspiGetIDsFromNames: a proptag for each name, in order; {@code flags} 0 or {@link #VERIFY_NAMES}. */
    public record GetIdsFromNames(ContextHandle handle, int reserved, int flags, List<NspiCalls.PropertyName> names) {
        public static final int OPNUM = 18;
        /** NspiVerifyNames: every name must be known, else AccessDenied ([MS-NSPI] 2.2.15). */
        public static final int VERIFY_NAMES = 0x2;

        public GetIdsFromNames {
            names = List.copyOf(names);
            if (names.size() > MAX_NAMES) {
                throw new IllegalArgumentException("cPropNames: " + names.size() + " (expected: <= " + MAX_NAMES + ")");
            }
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(reserved).u32(flags);
                w.u32(names.size()); // cPropNames
                w.u32(names.size()); // pNames: max_count of the array of pointers (a ref pointer, inline)
                for (NspiCalls.PropertyName n : names) {
                    w.uniquePointer(n, (ww, p) -> p.write(ww));
                }
                w.flushDeferred(); // each structure, then its GUID (depth first)
            });
        }

        /**
         * Reads the IDL's form or impacket's (a conformant varying array of structures: offset 0 and actual_count
         * where the IDL's first pointer is). A NULL element of {@code pNames} reads as a name without a property set
         * (which names nothing).
         */
        public static GetIdsFromNames decode(Octets stub) {
            boolean impacket = stub.length() >= 44 && NspiCalls.u32At(stub, 36) == 0
                    && NspiCalls.u32At(stub, 40) == NspiCalls.u32At(stub, 28) && NspiCalls.u32At(stub, 28) > 0;
            return NspiCalls.decode(stub, r -> {
                ContextHandle h = r.contextHandle("hRpc");
                int reserved = r.i32("Reserved");
                int flags = r.i32("dwFlags");
                long count = r.u32("cPropNames");
                if (count > MAX_NAMES) {
                    throw new DceProtocolException("cPropNames: " + count + " (expected: <= " + MAX_NAMES + ")");
                }
                int max = r.conformance("pNames", MAX_NAMES);
                if (max != count) {
                    throw new DceProtocolException("pNames max_count: " + max + " (expected: cPropNames " + count + ")");
                }
                if (impacket) {
                    r.u32("pNames offset (impacket)");
                    r.u32("pNames actual_count (impacket)");
                    return new GetIdsFromNames(h, reserved, flags, readNames(r, max, "pNames"));
                }
                if (r.remaining() < 4L * max) {
                    throw new DceProtocolException("pNames: " + max + " pointers, " + r.remaining()
                            + " bytes left (expected: 4 per pointer)");
                }
                List<NdrReader.Deferred<Supplier<NspiCalls.PropertyName>>> pointers = new ArrayList<>(max);
                for (int i = 0; i < max; i++) {
                    pointers.add(r.uniquePointer("pNames", NspiCalls.PropertyName::read));
                }
                r.readDeferred();
                List<NspiCalls.PropertyName> names = new ArrayList<>(max);
                for (NdrReader.Deferred<Supplier<NspiCalls.PropertyName>> p : pointers) {
                    names.add(p.isPresent() ? p.get().get() : new NspiCalls.PropertyName(Optional.empty(), 0, 0));
                }
                return new GetIdsFromNames(h, reserved, flags, names);
            });
        }
    }

    /** PropertyNameSet_r: max_count and cNames, the structures, then their GUIDs. */
    private static void writeNameSet(NdrWriter w, List<NspiCalls.PropertyName> names) {
        w.u32(names.size()); // max_count, hoisted
        w.u32(names.size()); // cNames
        for (NspiCalls.PropertyName n : names) {
            n.write(w);
        }
        w.flushDeferred();
    }

    private static List<NspiCalls.PropertyName> readNameSet(NdrReader r) {
        int max = r.conformance("PropertyNameSet_r aNames", MAX_NAMES);
        long count = r.u32("PropertyNameSet_r cNames");
        if (count != max) {
            throw new DceProtocolException("PropertyNameSet_r cNames: " + count + " (expected: max_count " + max + ")");
        }
        return readNames(r, max, "PropertyNameSet_r aNames");
    }

    /** {@code n} PropertyName_r structures in a row, then their GUIDs. */
    private static List<NspiCalls.PropertyName> readNames(NdrReader r, int n, String field) {
        if (r.remaining() < 12L * n) {
            throw new DceProtocolException(field + ": " + n + " names, " + r.remaining()
                    + " bytes left (expected: 12 per name)");
        }
        List<Supplier<NspiCalls.PropertyName>> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(NspiCalls.PropertyName.read(r));
        }
        r.readDeferred();
        return names.stream().map(Supplier::get).toList();
    }
}
