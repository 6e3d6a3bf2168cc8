package dev.anywhere.analyzer.rpch;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.dce.Tower;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The endpoint mapper ({@code epmp}, e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0) as a client calls it on port 593:
 * {@code ept_lookup} (opnum 2) lists registered endpoints, {@code ept_map} (opnum 3) maps an interface tower to the
 * server's endpoints.
 *
 * <pre>
 * void ept_lookup([in] handle_t h, [in] unsigned32 inquiry_type, [in, ptr] uuid_p_t object,
 *     [in, ptr] rpc_if_id_p_t interface_id, [in] unsigned32 vers_option, [in, out] ept_lookup_handle_t *entry_handle,
 *     [in] unsigned32 max_ents, [out] unsigned32 *num_ents,
 *     [out, length_is(*num_ents), size_is(max_ents)] ept_entry_t entries[], [out] error_status_t *status);
 * void ept_map([in] handle_t h, [in, ptr] uuid_p_t object, [in, ptr] twr_p_t map_tower,
 *     [in, out] ept_lookup_handle_t *entry_handle, [in] unsigned32 max_towers, [out] unsigned32 *num_towers,
 *     [out, ptr, size_is(max_towers), length_is(*num_towers)] twr_p_t *towers, [out] error_status_t *status);
 * typedef struct { uuid_t object; twr_p_t tower; [string] char annotation[64]; } ept_entry_t;
 * </pre>
 *
 * @see [C706] Appendix O Endpoint Mapper Interface Definition
 */
public final class Epm {

    /** e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0. */
    public static final SyntaxId INTERFACE = new SyntaxId(UUID.fromString("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);
    public static final int OPNUM_EPT_LOOKUP = 2;
    public static final int OPNUM_EPT_MAP = 3;
    /** inquiry_type rpc_c_ep_all_elts: every entry. */
    public static final int RPC_C_EP_ALL_ELTS = 0;
    /** vers_option rpc_c_vers_all. */
    public static final int RPC_C_VERS_ALL = 1;
    /** Cap on entries and towers accepted from the wire. */
    static final int MAX_ENTRIES = 4096;
    static final int MAX_TOWER = 1024;

    /** One ept_entry_t. */
    public record Entry(UUID object, Optional<Tower> tower, String annotation) {
    }

    /** The answer of ept_lookup: entries, the handle to continue with, and the status. */
    public record LookupResult(List<Entry> entries, ContextHandle handle, DceStatus status) {
        public LookupResult {
            entries = List.copyOf(entries);
        }
    }

    /** The answer of ept_map. */
    public record MapResult(List<Tower> towers, ContextHandle handle, DceStatus status) {
        public MapResult {
            towers = List.copyOf(towers);
        }
    }

    private Epm() {
    }

    /** ept_lookup with rpc_c_ep_all_elts, no object, no interface filter. */
    public static CompletableFuture<LookupResult> lookup(VirtualConnection vc, int contextId, ContextHandle handle, int maxEntries) {
        return vc.call(contextId, OPNUM_EPT_LOOKUP, encodeLookupRequest(RPC_C_EP_ALL_ELTS, null, null, RPC_C_VERS_ALL, handle,
                maxEntries)).thenApply(stub -> {
                    try {
                        return decodeLookupResponse(stub);
                    } finally {
                        stub.release();
                    }
                });
    }

    /** ept_map for {@code mapTower} (e.g. {@code Tower.ncacnHttp(iface, 0.0.0.0, 0)}). */
    public static CompletableFuture<MapResult> map(VirtualConnection vc, int contextId, Tower mapTower, int maxTowers) {
        return vc.call(contextId, OPNUM_EPT_MAP, encodeMapRequest(null, mapTower, ContextHandle.NULL, maxTowers)).thenApply(stub -> {
            try {
                return decodeMapResponse(stub);
            } finally {
                stub.release();
            }
        });
    }

    private static void ifId(NdrWriter w, SyntaxId s) {
        w.uuid(s.uuid()).u16(s.major()).u16(s.minor()); // uuid (16), vers_major (2), vers_minor (2)
    }

    /** The ept_lookup request stub. {@code object} and {@code iface} may be null. */
    public static ByteBuf encodeLookupRequest(int inquiryType, UUID object, SyntaxId iface, int versOption, ContextHandle handle,
            int maxEntries) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out);
        w.u32(inquiryType); // inquiry_type (4 bytes)
        w.topLevelUnique(object, NdrWriter::uuid); // object: referent id (4) + uuid_t (16)
        w.topLevelUnique(iface, Epm::ifId); // interface_id: referent id (4) + rpc_if_id_t (20)
        w.u32(versOption); // vers_option (4 bytes)
        w.contextHandle(handle); // entry_handle (20 bytes)
        w.u32(maxEntries); // max_ents (4 bytes)
        return out;
    }

    /** Decodes the ept_lookup response stub. */
    public static LookupResult decodeLookupResponse(ByteBuf stub) {
        NdrReader r = new NdrReader(stub);
        ContextHandle handle = r.contextHandle("entry_handle"); // entry_handle (20 bytes)
        long num = r.u32("num_ents"); // num_ents (4 bytes)
        List<EntryParts> parts = r.conformantVaryingArray("entries", MAX_ENTRIES, 28, x -> {
            x.align(4);
            UUID object = x.uuid("object"); // object (16 bytes)
            NdrReader.Deferred<Tower> tower = x.fullPointer("tower", y -> y.align(4).tower("tower", MAX_TOWER)); // twr_p_t (4)
            String annotation = x.varyingAsciiString("annotation", 64); // offset, actual_count, chars
            return new EntryParts(object, tower, annotation);
        });
        if (parts.size() != num) {
            throw new dev.anywhere.rpc.dce.DceProtocolException("ept_lookup entries actual_count: " + parts.size()
                    + " (expected: num_ents " + num + ")");
        }
        r.readDeferred();
        r.align(4);
        DceStatus status = DceStatus.valueOf(r.i32("status")); // error_status_t (4 bytes)
        r.expectEnd("ept_lookup response");
        List<Entry> entries = new ArrayList<>();
        for (EntryParts p : parts) {
            entries.add(new Entry(p.object, p.tower.toOptional(), p.annotation));
        }
        return new LookupResult(entries, handle, status);
    }

    private record EntryParts(UUID object, NdrReader.Deferred<Tower> tower, String annotation) {
    }

    /** Encodes an ept_lookup response stub (for servers and the tests' fake proxy). */
    public static ByteBuf encodeLookupResponse(List<Entry> entries, ContextHandle handle, int maxEntries, DceStatus status) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out, 1, 1);
        w.contextHandle(handle);
        w.u32(entries.size());
        w.conformantVaryingArray(Math.max(maxEntries, entries.size()), entries, (x, e) -> {
            x.align(4).uuid(e.object());
            x.fullPointer(e.tower().orElse(null), (y, t) -> y.align(4).tower(t));
            x.varyingAsciiString(e.annotation());
        });
        w.flushDeferred();
        w.align(4).u32(status.code() & 0xffffffffL);
        return out;
    }

    /** The ept_map request stub. {@code object} may be null. */
    public static ByteBuf encodeMapRequest(UUID object, Tower mapTower, ContextHandle handle, int maxTowers) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out);
        w.topLevelUnique(object, NdrWriter::uuid); // object: referent id (4) + uuid_t (16)
        w.topLevelUnique(mapTower, NdrWriter::tower); // map_tower: referent id (4) + twr_t
        w.align(4).contextHandle(handle); // entry_handle (20 bytes)
        w.u32(maxTowers); // max_towers (4 bytes)
        return out;
    }

    /** Decodes the ept_map response stub. */
    public static MapResult decodeMapResponse(ByteBuf stub) {
        NdrReader r = new NdrReader(stub);
        ContextHandle handle = r.contextHandle("entry_handle"); // entry_handle (20 bytes)
        long num = r.u32("num_towers"); // num_towers (4 bytes)
        List<NdrReader.Deferred<Tower>> ptrs = r.conformantVaryingArray("towers", MAX_ENTRIES, 4,
                x -> x.fullPointer("towers[]", y -> y.align(4).tower("tower", MAX_TOWER)));
        if (ptrs.size() != num) {
            throw new dev.anywhere.rpc.dce.DceProtocolException("ept_map towers actual_count: " + ptrs.size()
                    + " (expected: num_towers " + num + ")");
        }
        r.readDeferred();
        r.align(4);
        DceStatus status = DceStatus.valueOf(r.i32("status")); // error_status_t (4 bytes)
        r.expectEnd("ept_map response");
        List<Tower> towers = ptrs.stream().filter(NdrReader.Deferred::isPresent).map(NdrReader.Deferred::get).toList();
        return new MapResult(towers, handle, status);
    }

    /** Encodes an ept_map response stub. */
    public static ByteBuf encodeMapResponse(List<Tower> towers, ContextHandle handle, int maxTowers, DceStatus status) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out);
        w.contextHandle(handle);
        w.u32(towers.size());
        w.conformantVaryingArray(Math.max(maxTowers, towers.size()), towers, (x, t) -> x.fullPointer(t, (y, tt) -> y.align(4).tower(tt)));
        w.flushDeferred();
        w.align(4).u32(status.code() & 0xffffffffL);
        return out;
    }
}
