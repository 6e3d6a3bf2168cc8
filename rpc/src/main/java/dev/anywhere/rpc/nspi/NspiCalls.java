package dev.anywhere.rpc.nspi;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every NSPI call the server answers, each a request and a result record that encode and decode themselves (the
 * server decodes requests and encodes results; a client does the reverse with the same records). Decoders read what
 * the IDL says and ignore bytes after it (Windows clients may pad).
 *
 * <p>One deviation is tolerated on purpose: impacket marshals {@code pStat} of NspiGetSpecialTable and NspiGetProps
 * as a unique pointer (a referent ID before the STAT) where the IDL has a plain {@code [in] STAT*}. Both decoders
 * recognise that form (see {@link GetSpecialTable#decode} and {@link GetProps#decode}).
 *
 * @see [MS-OXNSPI] 3.1.4.1 (the methods), 6 Appendix A: Full IDL
 */
public final class NspiCalls {

    /** The IDL's {@code range(0, 100000)} on string arrays and explicit tables. */
    public static final int MAX_COUNT = 100_000;
    /** Characters of one DN or name we accept. */
    public static final int MAX_STRING = 64 * 1024;

    private NspiCalls() {
    }

    /** NspiBind (opnum 0). */
    public record Bind(int flags, Stat stat, Optional<UUID> serverGuid) {
        public static final int OPNUM = 0;
        /** fAnonymousLogin ([MS-OXNSPI] 2.2.1.6). */
        public static final int ANONYMOUS_LOGIN = 0x20;

        public Bind {
            Objects.requireNonNull(stat, "stat");
            Objects.requireNonNull(serverGuid, "serverGuid");
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.u32(flags);
                stat.write(w);
                w.topLevelUnique(serverGuid.orElse(null), NspiCalls::writeFlatUid);
            });
        }

        public static Bind decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new Bind(r.i32("dwFlags"), Stat.read(r),
                    r.topLevelUnique("pServerGuid", NspiCalls::readFlatUid)));
        }
    }

    public record BindResult(Optional<UUID> serverGuid, ContextHandle handle, int returnCode) {
        public BindResult {
            Objects.requireNonNull(serverGuid, "serverGuid");
            Objects.requireNonNull(handle, "handle");
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.topLevelUnique(serverGuid.orElse(null), NspiCalls::writeFlatUid);
                w.contextHandle(handle).u32(returnCode);
            });
        }

        public static BindResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new BindResult(r.topLevelUnique("pServerGuid", NspiCalls::readFlatUid),
                    r.contextHandle("contextHandle"), r.i32("return value")));
        }
    }

    /** NspiUnbind (opnum 1). */
    public record Unbind(ContextHandle handle, int reserved) {
        public static final int OPNUM = 1;

        public Octets encode() {
            return NspiCalls.encode(w -> w.contextHandle(handle).u32(reserved));
        }

        public static Unbind decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new Unbind(r.contextHandle("contextHandle"), r.i32("Reserved")));
        }
    }

    public record UnbindResult(ContextHandle handle, int returnCode) {
        public Octets encode() {
            return NspiCalls.encode(w -> w.contextHandle(handle).u32(returnCode));
        }

        public static UnbindResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new UnbindResult(r.contextHandle("contextHandle"), r.i32("return value")));
        }
    }

    /** NspiUpdateStat (opnum 2). */
    public record UpdateStat(ContextHandle handle, int reserved, Stat stat, Optional<Integer> delta) {
        public static final int OPNUM = 2;

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(reserved);
                stat.write(w);
                w.topLevelUnique(delta.orElse(null), (ww, d) -> ww.u32(d));
            });
        }

        public static UpdateStat decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new UpdateStat(r.contextHandle("hRpc"), r.i32("Reserved"), Stat.read(r),
                    r.topLevelUnique("plDelta", rr -> rr.i32("plDelta"))));
        }
    }

    public record UpdateStatResult(Stat stat, Optional<Integer> delta, int returnCode) {
        public Octets encode() {
            return NspiCalls.encode(w -> {
                stat.write(w);
                w.topLevelUnique(delta.orElse(null), (ww, d) -> ww.u32(d));
                w.u32(returnCode);
            });
        }

        public static UpdateStatResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new UpdateStatResult(Stat.read(r),
                    r.topLevelUnique("plDelta", rr -> rr.i32("plDelta")), r.i32("return value")));
        }
    }

    /** NspiQueryRows (opnum 3): positioned rows of a container, or the rows of an explicit table of MIds. */
    public record QueryRows(ContextHandle handle, int flags, Stat stat, Optional<List<Integer>> explicitTable, int count,
            Optional<PropertyTagArray> propTags) {
        public static final int OPNUM = 3;
        /** fSkipObjects ([MS-OXNSPI] 2.2.1.13). */
        public static final int SKIP_OBJECTS = 0x1;
        /** fEphID: entry IDs as ephemeral entry IDs. */
        public static final int EPH_ID = 0x2;

        public QueryRows {
            explicitTable = explicitTable.map(List::copyOf);
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(flags);
                stat.write(w);
                w.u32(explicitTable.map(List::size).orElse(0)); // dwETableCount
                w.topLevelUnique(explicitTable.orElse(null), (ww, t) -> ww.conformantArray(t, (www, mid) -> www.u32(mid)));
                w.u32(count);
                w.topLevelUnique(propTags.orElse(null), (ww, p) -> p.write(ww));
            });
        }

        public static QueryRows decode(Octets stub) {
            return NspiCalls.decode(stub, r -> {
                ContextHandle h = r.contextHandle("hRpc");
                int flags = r.i32("dwFlags");
                Stat stat = Stat.read(r);
                long eCount = r.u32("dwETableCount");
                if (eCount > MAX_COUNT) {
                    throw new DceProtocolException("dwETableCount: " + eCount + " (expected: <= " + MAX_COUNT + ")");
                }
                Optional<List<Integer>> table = r.topLevelUnique("lpETable", rr -> {
                    List<Integer> mids = rr.conformantArray("lpETable", MAX_COUNT, 4, rrr -> rrr.i32("lpETable"));
                    if (mids.size() != eCount) {
                        throw new DceProtocolException("lpETable max_count: " + mids.size() + " (expected: dwETableCount "
                                + eCount + ")");
                    }
                    return mids;
                });
                int count = r.i32("Count");
                return new QueryRows(h, flags, stat, table, count, r.topLevelUnique("pPropTags", PropertyTagArray::read));
            });
        }
    }

    /** The result of QueryRows and SeekEntries: the new position and the rows. */
    public record RowsResult(Stat stat, Optional<PropertyRowSet> rows, int returnCode) {
        public Octets encode() {
            return NspiCalls.encode(w -> {
                stat.write(w);
                w.topLevelUnique(rows.orElse(null), (ww, s) -> s.write(ww));
                w.u32(returnCode);
            });
        }

        public static RowsResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new RowsResult(Stat.read(r),
                    r.topLevelUnique("ppRows", PropertyRowSet::read), r.i32("return value")));
        }
    }

    /** NspiSeekEntries (opnum 4): moves to the first row whose sort key is at least {@code target}. */
    public record SeekEntries(ContextHandle handle, int reserved, Stat stat, PropertyValue target,
            Optional<PropertyTagArray> explicitTable, Optional<PropertyTagArray> propTags) {
        public static final int OPNUM = 4;

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(reserved);
                stat.write(w);
                w.topLevelRef(target, (ww, v) -> v.write(ww));
                w.topLevelUnique(explicitTable.orElse(null), (ww, p) -> p.write(ww));
                w.topLevelUnique(propTags.orElse(null), (ww, p) -> p.write(ww));
            });
        }

        public static SeekEntries decode(Octets stub) {
            return NspiCalls.decode(stub, r -> {
                ContextHandle h = r.contextHandle("hRpc");
                int reserved = r.i32("Reserved");
                Stat stat = Stat.read(r);
                Supplier<PropertyValue> target = PropertyValue.read(r);
                r.readDeferred();
                return new SeekEntries(h, reserved, stat, target.get(),
                        r.topLevelUnique("lpInDNTList", PropertyTagArray::read),
                        r.topLevelUnique("pPropTags", PropertyTagArray::read));
            });
        }
    }

    /** NspiGetMatches (opnum 5): the MIds (and rows) a restriction selects. */
    public record GetMatches(ContextHandle handle, int reserved1, Stat stat, Optional<PropertyTagArray> reserved,
            int reserved2, Optional<Restriction> filter, Optional<PropertyName> propName, int requested,
            Optional<PropertyTagArray> propTags) {
        public static final int OPNUM = 5;

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(reserved1);
                stat.write(w);
                w.topLevelUnique(reserved.orElse(null), (ww, p) -> p.write(ww));
                w.u32(reserved2);
                w.topLevelUnique(filter.orElse(null), Restriction::write);
                w.topLevelUnique(propName.orElse(null), (ww, p) -> p.write(ww));
                w.u32(requested);
                w.topLevelUnique(propTags.orElse(null), (ww, p) -> p.write(ww));
            });
        }

        public static GetMatches decode(Octets stub) {
            return NspiCalls.decode(stub, r -> {
                ContextHandle h = r.contextHandle("hRpc");
                int reserved1 = r.i32("Reserved1");
                Stat stat = Stat.read(r);
                Optional<PropertyTagArray> reserved = r.topLevelUnique("pReserved", PropertyTagArray::read);
                int reserved2 = r.i32("Reserved2");
                Optional<Supplier<Restriction>> filter = r.topLevelUnique("Filter", rr -> Restriction.read(rr, 0));
                Optional<PropertyName> name = r.topLevelUnique("lpPropName", PropertyName::read).map(Supplier::get);
                int requested = r.i32("ulRequested");
                return new GetMatches(h, reserved1, stat, reserved, reserved2, filter.map(Supplier::get), name, requested,
                        r.topLevelUnique("pPropTags", PropertyTagArray::read));
            });
        }
    }

    public record GetMatchesResult(Stat stat, Optional<PropertyTagArray> mids, Optional<PropertyRowSet> rows,
            int returnCode) {
        public Octets encode() {
            return NspiCalls.encode(w -> {
                stat.write(w);
                w.topLevelUnique(mids.orElse(null), (ww, p) -> p.write(ww));
                w.topLevelUnique(rows.orElse(null), (ww, s) -> s.write(ww));
                w.u32(returnCode);
            });
        }

        public static GetMatchesResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new GetMatchesResult(Stat.read(r),
                    r.topLevelUnique("ppOutMIds", PropertyTagArray::read),
                    r.topLevelUnique("ppRows", PropertyRowSet::read), r.i32("return value")));
        }
    }

    /** NspiDNToMId (opnum 7): legacy DNs to MIds (0 for a DN that names nothing). */
    public record DnToMid(ContextHandle handle, int reserved, List<String> names) {
        public static final int OPNUM = 7;

        public DnToMid {
            names = List.copyOf(names);
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(reserved);
                writeStrings8(w, names.stream().map(NspiCalls::latin1).toList());
            });
        }

        public static DnToMid decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new DnToMid(r.contextHandle("hRpc"), r.i32("Reserved"),
                    readStrings8(r).stream().map(NspiCalls::latin1).toList()));
        }
    }

    /** The result of the calls that return only a PropertyTagArray_r (DNToMId, GetPropList, QueryColumns). */
    public record TagsResult(Optional<PropertyTagArray> tags, int returnCode) {
        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.topLevelUnique(tags.orElse(null), (ww, p) -> p.write(ww));
                w.u32(returnCode);
            });
        }

        public static TagsResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new TagsResult(r.topLevelUnique("ppPropTags", PropertyTagArray::read),
                    r.i32("return value")));
        }
    }

    /** NspiGetPropList (opnum 8): the tags of every property an object has. */
    public record GetPropList(ContextHandle handle, int flags, int mid, int codePage) {
        public static final int OPNUM = 8;

        public Octets encode() {
            return NspiCalls.encode(w -> w.contextHandle(handle).u32(flags).u32(mid).u32(codePage));
        }

        public static GetPropList decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new GetPropList(r.contextHandle("hRpc"), r.i32("dwFlags"), r.i32("dwMId"),
                    r.i32("CodePage")));
        }
    }

    /** NspiGetProps (opnum 9): one object's properties; the object is {@code stat.currentRec()}. */
    public record GetProps(ContextHandle handle, int flags, Stat stat, Optional<PropertyTagArray> propTags) {
        public static final int OPNUM = 9;

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(flags);
                stat.write(w);
                w.topLevelUnique(propTags.orElse(null), (ww, p) -> p.write(ww));
            });
        }

        /**
         * Reads the IDL's form, or impacket's (a referent ID before the STAT). The word after {@code dwFlags} tells
         * them apart: in the IDL's form it is STAT.SortType, which is 0, 3, 1000 or 1001 ([MS-OXNSPI] 2.2.1.11);
         * impacket's referent IDs are none of these.
         */
        public static GetProps decode(Octets stub) {
            boolean uniqueStat = stub.length() >= 28 && !isSortType(u32At(stub, 24));
            return NspiCalls.decode(stub, r -> {
                ContextHandle h = r.contextHandle("hRpc");
                int flags = r.i32("dwFlags");
                if (uniqueStat) {
                    r.u32("pStat referent id (impacket)");
                }
                return new GetProps(h, flags, Stat.read(r), r.topLevelUnique("pPropTags", PropertyTagArray::read));
            });
        }
    }

    public record GetPropsResult(Optional<PropertyRow> row, int returnCode) {
        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.topLevelUnique(row.orElse(null), (ww, p) -> p.write(ww));
                w.u32(returnCode);
            });
        }

        public static GetPropsResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new GetPropsResult(
                    r.topLevelUnique("ppRows", PropertyRow::read).map(Supplier::get), r.i32("return value")));
        }
    }

    /** NspiGetSpecialTable (opnum 12): the hierarchy table (or, with NspiAddressCreationTemplates, the templates). */
    public record GetSpecialTable(ContextHandle handle, int flags, Stat stat, Optional<Integer> version) {
        public static final int OPNUM = 12;
        /** NspiAddressCreationTemplates ([MS-OXNSPI] 2.2.1.10). */
        public static final int ADDRESS_CREATION_TEMPLATES = 0x2;
        /** NspiUnicodeStrings: string properties as PtypString. */
        public static final int UNICODE_STRINGS = 0x4;

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(flags);
                stat.write(w);
                w.u32(version.orElse(0)); // [in, out] DWORD* lpVersion: a ref pointer, inline
            });
        }

        /**
         * Reads the IDL's form (64 bytes: handle, flags, STAT, lpVersion) or impacket's (a referent ID before the
         * STAT, and lpVersion as a unique pointer: 68 bytes when NULL, 72 with a value).
         */
        public static GetSpecialTable decode(Octets stub) {
            boolean impacket = stub.length() == 68 || stub.length() == 72;
            return NspiCalls.decode(stub, r -> {
                ContextHandle h = r.contextHandle("hRpc");
                int flags = r.i32("dwFlags");
                if (impacket) {
                    r.u32("pStat referent id (impacket)");
                    Stat stat = Stat.read(r);
                    return new GetSpecialTable(h, flags, stat, r.topLevelUnique("lpVersion", rr -> rr.i32("lpVersion")));
                }
                return new GetSpecialTable(h, flags, Stat.read(r), Optional.of(r.i32("lpVersion")));
            });
        }
    }

    /** The hierarchy: {@code lpVersion} (a plain DWORD, which is what every client reads), then the rows. */
    public record GetSpecialTableResult(int version, Optional<PropertyRowSet> rows, int returnCode) {
        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.u32(version);
                w.topLevelUnique(rows.orElse(null), (ww, s) -> s.write(ww));
                w.u32(returnCode);
            });
        }

        public static GetSpecialTableResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new GetSpecialTableResult(r.i32("lpVersion"),
                    r.topLevelUnique("ppRows", PropertyRowSet::read), r.i32("return value")));
        }
    }

    /**
     * NspiGetTemplateInfo (opnum 13): an addressing or display template, by display type and locale or by the
     * template's DN.
     *
     * @see [MS-OXNSPI] 3.1.4.1.18
     */
    public record GetTemplateInfo(ContextHandle handle, int flags, int type, Optional<String> dn, int codePage,
            int localeId) {
        public static final int OPNUM = 13;
        /** TI_TEMPLATE: the template's user interface data ([MS-OXNSPI] 2.2.1.14). */
        public static final int TI_TEMPLATE = 0x1;
        /** TI_SCRIPT: the template's script data. */
        public static final int TI_SCRIPT = 0x4;

        public GetTemplateInfo {
            Objects.requireNonNull(dn, "dn");
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(flags).u32(type);
                w.topLevelUnique(dn.map(NspiCalls::latin1).orElse(null), PropertyValue::writeString8);
                w.u32(codePage).u32(localeId);
            });
        }

        /** The DN ({@code [string] char*}) is read as ISO-8859-1, as DNToMId's names are. */
        public static GetTemplateInfo decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new GetTemplateInfo(r.contextHandle("hRpc"), r.i32("dwFlags"),
                    r.i32("ulType"), r.topLevelUnique("pDN", rr -> latin1(PropertyValue.readString8(rr, "pDN"))),
                    r.i32("dwCodePage"), r.i32("dwLocaleID")));
        }
    }

    /** The template's row ({@code ppData}), NULL unless Success. */
    public record TemplateInfoResult(Optional<PropertyRow> data, int returnCode) {
        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.topLevelUnique(data.orElse(null), (ww, p) -> p.write(ww));
                w.u32(returnCode);
            });
        }

        public static TemplateInfoResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new TemplateInfoResult(
                    r.topLevelUnique("ppData", PropertyRow::read).map(Supplier::get), r.i32("return value")));
        }
    }

    /** NspiQueryColumns (opnum 16): every property tag the server knows. */
    public record QueryColumns(ContextHandle handle, int reserved, int flags) {
        public static final int OPNUM = 16;
        /** NspiUnicodeProptypes: string columns as PtypString. */
        public static final int UNICODE_PROPTYPES = 0x8000_0000;

        public Octets encode() {
            return NspiCalls.encode(w -> w.contextHandle(handle).u32(reserved).u32(flags));
        }

        public static QueryColumns decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new QueryColumns(r.contextHandle("hRpc"), r.i32("Reserved"),
                    r.i32("dwFlags")));
        }
    }

    /**
     * NspiResolveNames (opnum 19, 8-bit strings) and NspiResolveNamesW (opnum 20, UTF-16): ambiguous name resolution.
     * {@code names} are Java strings either way; {@code wide} says which opnum and wire form.
     */
    public record ResolveNames(boolean wide, ContextHandle handle, int reserved, Stat stat,
            Optional<PropertyTagArray> propTags, List<String> names) {
        public static final int OPNUM = 19;
        public static final int OPNUM_W = 20;

        public ResolveNames {
            names = List.copyOf(names);
        }

        public int opnum() {
            return wide ? OPNUM_W : OPNUM;
        }

        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.contextHandle(handle).u32(reserved);
                stat.write(w);
                w.topLevelUnique(propTags.orElse(null), (ww, p) -> p.write(ww));
                if (wide) {
                    w.u32(names.size()); // max_count, hoisted
                    w.u32(names.size()); // Count
                    for (String s : names) {
                        w.uniquePointer(s, NdrWriter::wideString);
                    }
                    w.flushDeferred();
                } else {
                    writeStrings8(w, names.stream().map(NspiCalls::latin1).toList());
                }
            });
        }

        /** 8-bit names are read as ISO-8859-1; the server converts with the STAT's code page where it matters. */
        public static ResolveNames decode(Octets stub, boolean wide) {
            return NspiCalls.decode(stub, r -> {
                ContextHandle h = r.contextHandle("hRpc");
                int reserved = r.i32("Reserved");
                Stat stat = Stat.read(r);
                Optional<PropertyTagArray> tags = r.topLevelUnique("pPropTags", PropertyTagArray::read);
                List<String> names = wide ? readWideStrings(r) : readStrings8(r).stream().map(NspiCalls::latin1).toList();
                return new ResolveNames(wide, h, reserved, stat, tags, names);
            });
        }
    }

    public record ResolveNamesResult(Optional<PropertyTagArray> mids, Optional<PropertyRowSet> rows, int returnCode) {
        public Octets encode() {
            return NspiCalls.encode(w -> {
                w.topLevelUnique(mids.orElse(null), (ww, p) -> p.write(ww));
                w.topLevelUnique(rows.orElse(null), (ww, s) -> s.write(ww));
                w.u32(returnCode);
            });
        }

        public static ResolveNamesResult decode(Octets stub) {
            return NspiCalls.decode(stub, r -> new ResolveNamesResult(r.topLevelUnique("ppMIds", PropertyTagArray::read),
                    r.topLevelUnique("ppRows", PropertyRowSet::read), r.i32("return value")));
        }
    }

    /**
     * A named property ({@code PropertyName_r}): the property set GUID (16 bytes, wire order; empty for NULL) and the
     * LID. The GUID is an embedded pointer: its bytes follow the structure, or the array of structures it is part of.
     *
     * @see [MS-NSPI] 2.3.5.1 PropertyName_r
     */
    public record PropertyName(Optional<Octets> guid, int reserved, int id) {
        public PropertyName {
            Objects.requireNonNull(guid, "guid");
            guid.ifPresent(g -> {
                if (g.length() != 16) {
                    throw new IllegalArgumentException("PropertyName_r lpguid: " + g.length() + " bytes (expected: 16)");
                }
            });
        }

        /** The structure; the GUID's bytes are deferred (the caller flushes). */
        void write(NdrWriter w) {
            w.uniquePointer(guid.orElse(null), NdrWriter::bytes);
            w.u32(reserved).u32(id);
        }

        /** Complete once the caller has run {@link NdrReader#readDeferred()}. */
        static Supplier<PropertyName> read(NdrReader r) {
            NdrReader.Deferred<Octets> g = r.uniquePointer("PropertyName_r lpguid", rr -> rr.bytes(16, "FlatUID_r"));
            int reserved = r.i32("PropertyName_r ulReserved");
            int id = r.i32("PropertyName_r lID");
            return () -> new PropertyName(g.toOptional(), reserved, id);
        }
    }

    // ---- shared pieces ----

    /** StringsArray_r: max_count, Count, the string pointers, then the strings (each NUL-terminated). */
    static void writeStrings8(NdrWriter w, List<Octets> strings) {
        w.u32(strings.size()); // max_count, hoisted
        w.u32(strings.size()); // Count
        for (Octets s : strings) {
            w.uniquePointer(s, PropertyValue::writeString8);
        }
        w.flushDeferred();
    }

    static List<Octets> readStrings8(NdrReader r) {
        return readStrings(r, "StringsArray_r", rr -> PropertyValue.readString8(rr, "StringsArray_r Strings"))
                .stream().map(o -> o == null ? Octets.EMPTY : o).toList();
    }

    static List<String> readWideStrings(NdrReader r) {
        return readStrings(r, "WStringsArray_r", rr -> rr.wideString("WStringsArray_r Strings", MAX_STRING))
                .stream().map(s -> s == null ? "" : s).toList();
    }

    private static <T> List<T> readStrings(NdrReader r, String what, NdrReader.Unmarshaller<T> string) {
        int max = r.conformance(what + " Strings", MAX_COUNT);
        long count = r.u32(what + " Count");
        if (count != max) {
            throw new DceProtocolException(what + " Count: " + count + " (expected: max_count " + max + ")");
        }
        if (r.remaining() < 4L * max) {
            throw new DceProtocolException(what + " Strings: " + max + " pointers, " + r.remaining()
                    + " bytes left (expected: 4 per pointer)");
        }
        List<NdrReader.Deferred<T>> pointers = new ArrayList<>(max);
        for (int i = 0; i < max; i++) {
            pointers.add(r.uniquePointer(what + " Strings", string));
        }
        r.readDeferred();
        List<T> out = new ArrayList<>(max);
        for (NdrReader.Deferred<T> p : pointers) {
            out.add(p.isPresent() ? p.get() : null);
        }
        return out;
    }

    private static void writeFlatUid(NdrWriter w, UUID guid) {
        w.bytes(Octets.of(Guids.toBytes(guid))); // FlatUID_r: 16 bytes, byte-aligned
    }

    private static UUID readFlatUid(NdrReader r) {
        return Guids.fromBytes(r.bytes(16, "FlatUID_r").toByteArray());
    }

    private static boolean isSortType(long v) {
        return v == 0 || v == 3 || v == 1000 || v == 1001;
    }

    static long u32At(Octets b, int offset) {
        return (b.get(offset) & 0xFFL) | (b.get(offset + 1) & 0xFFL) << 8 | (b.get(offset + 2) & 0xFFL) << 16
                | (b.get(offset + 3) & 0xFFL) << 24;
    }

    static Octets latin1(String s) {
        return Octets.of(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    static String latin1(Octets o) {
        return new String(o.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static Octets encode(Consumer<NdrWriter> body) {
        ByteBuf out = Unpooled.buffer();
        try {
            body.accept(new NdrWriter(out));
            return Octets.copyOf(out);
        } finally {
            out.release();
        }
    }

    static <T> T decode(Octets stub, Function<NdrReader, T> body) {
        return body.apply(new NdrReader(stub));
    }
}
