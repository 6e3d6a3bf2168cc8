package dev.anywhere.rpc.nspi;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.wire.Octets;
import java.util.Objects;
import java.util.Optional;

/**
 * The two NSPI calls about the order of rows: NspiCompareMIds (which of two rows comes first in a container) and
 * NspiResortRestriction (an explicit table put in display-name order). Requests and results encode and decode
 * themselves, as in {@link NspiCalls}.
 *
 * @see [MS-OXNSPI] 3.1.4.1.11 NspiResortRestriction, 3.1.4.1.12 NspiCompareMIds
 */
public final class NspiSortCalls {

    private NspiSortCalls() {
    }

    /** NspiCompareMIds (opnum 10): the position of MId1 against MId2 in the container of {@code stat}. */
    public record CompareMids(ContextHandle handle, int reserved, Stat stat, int mid1, int mid2) {
        public static final int OPNUM = 10;

        public CompareMids {
            Objects.requireNonNull(stat, "stat");
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(reserved);
                stat.write(w);
                w.u32(mid1).u32(mid2);
            });
        }

        public static CompareMids decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new CompareMids(r.contextHandle("hRpc"), r.i32("Reserved"), Stat.read(r),
                    r.i32("MId1"), r.i32("MId2")));
        }
    }

    /** {@code plResult}: below 0, 0 or above 0 as MId1 comes before, at or after MId2; then the return value. */
    public record CompareMidsResult(int result, int returnCode) {
        public Octets encode() {
            return NspiCalls.encode(w -> w.u32(result).u32(returnCode));
        }

        public static CompareMidsResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new CompareMidsResult(r.i32("plResult"), r.i32("return value")));
        }
    }

    /**
     * NspiResortRestriction (opnum 6): {@code inMids} sorted as {@code stat.sortType()} says. {@code outMids} is what
     * the client sent in the [in, out] {@code ppOutMIds} (a unique pointer, usually NULL); the server ignores it.
     */
    public record ResortRestriction(ContextHandle handle, int reserved, Stat stat, PropertyTagArray inMids,
            Optional<PropertyTagArray> outMids) {
        public static final int OPNUM = 6;

        public ResortRestriction {
            Objects.requireNonNull(stat, "stat");
            Objects.requireNonNull(inMids, "inMids");
            Objects.requireNonNull(outMids, "outMids");
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(reserved);
                stat.write(w);
                w.topLevelRef(inMids, (ww, p) -> p.write(ww)); // [in] PropertyTagArray_r*: a ref pointer, inline
                w.topLevelUnique(outMids.orElse(null), (ww, p) -> p.write(ww));
            });
        }

        public static ResortRestriction decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new ResortRestriction(r.contextHandle("hRpc"), r.i32("Reserved"),
                    Stat.read(r), PropertyTagArray.read(r), r.topLevelUnique("ppOutMIds", PropertyTagArray::read)));
        }
    }

    /** The updated STAT, the sorted explicit table ({@code ppOutMIds}, NULL unless Success) and the return value. */
    public record ResortRestrictionResult(Stat stat, Optional<PropertyTagArray> mids, int returnCode) {
        public ResortRestrictionResult {
            Objects.requireNonNull(stat, "stat");
            Objects.requireNonNull(mids, "mids");
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                stat.write(w);
                w.topLevelUnique(mids.orElse(null), (ww, p) -> p.write(ww));
                w.u32(returnCode);
            });
        }

        public static ResortRestrictionResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new ResortRestrictionResult(Stat.read(r),
                    r.topLevelUnique("ppOutMIds", PropertyTagArray::read), r.i32("return value")));
        }
    }
}
