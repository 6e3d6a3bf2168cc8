package dev.anywhere.rpc.nspi;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.wire.Octets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The two NSPI calls that would change the address book: NspiModProps (an object's properties, e.g. a user's
 * certificates) and NspiModLinkAtt (a link property such as a distribution list's members). Both answer with a return
 * value only ({@link StatusResult}).
 *
 * @see [MS-OXNSPI] 3.1.4.1.14 NspiModProps, 3.1.4.1.15 NspiModLinkAtt
 */
public final class NspiModifyCalls {

    private NspiModifyCalls() {
    }

    /**
     * NspiModProps (opnum 11): removes the values of {@code propTags} from the object at {@code stat.currentRec()},
     * then replaces those of {@code row}.
     */
    public record ModProps(ContextHandle handle, int reserved, Stat stat, Optional<PropertyTagArray> propTags,
            PropertyRow row) {
        public static final int OPNUM = 11;

        public ModProps {
            Objects.requireNonNull(stat, "stat");
            Objects.requireNonNull(propTags, "propTags");
            Objects.requireNonNull(row, "row");
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(reserved);
                stat.write(w);
                w.topLevelUnique(propTags.orElse(null), (ww, p) -> p.write(ww));
                w.topLevelRef(row, (ww, p) -> p.write(ww)); // [in] PropertyRow_r*: a ref pointer, inline
            });
        }

        public static ModProps decode(Octets stub) {
            return NspiCalls.decode(stub, r -> {
                ContextHandle h = r.contextHandle("hRpc");
                int reserved = r.i32("Reserved");
                Stat stat = Stat.read(r);
                Optional<PropertyTagArray> tags = r.topLevelUnique("pPropTags", PropertyTagArray::read);
                Supplier<PropertyRow> row = PropertyRow.read(r);
                r.readDeferred();
                return new ModProps(h, reserved, stat, tags, row.get());
            });
        }
    }

    /**
     * NspiModLinkAtt (opnum 14): adds the objects named by {@code entryIds} (ephemeral or permanent entry IDs) to the
     * link property {@code propTag} of the object {@code mid}, or removes them with {@link #F_DELETE}.
     */
    public record ModLinkAtt(ContextHandle handle, int flags, int propTag, int mid, List<Octets> entryIds) {
        public static final int OPNUM = 14;
        /** fDelete: remove the values instead of adding them ([MS-OXNSPI] 2.2.1.15). */
        public static final int F_DELETE = 0x1;

        public ModLinkAtt {
            entryIds = List.copyOf(entryIds);
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(flags).u32(propTag).u32(mid);
                w.topLevelRef(entryIds, PropertyValue::writeBinaryArray); // [in] BinaryArray_r*: inline
            });
        }

        public static ModLinkAtt decode(Octets stub) {
            return NspiCalls.decode(stub, r -> {
                ContextHandle h = r.contextHandle("hRpc");
                int flags = r.i32("dwFlags");
                int tag = r.i32("ulPropTag");
                int mid = r.i32("dwMId");
                Supplier<List<Octets>> ids = PropertyValue.readBinaryArray(r, "lpEntryIds");
                r.readDeferred();
                return new ModLinkAtt(h, flags, tag, mid, ids.get());
            });
        }
    }

    /** The answer of a call without output parameters: the return value alone. */
    public record StatusResult(int returnCode) {
        public Octets encode() {
            return NspiCalls.encode(w -> w.u32(returnCode));
        }

        public static StatusResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new StatusResult(r.i32("return value")));
        }
    }
}
