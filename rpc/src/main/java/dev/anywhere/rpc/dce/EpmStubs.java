package dev.anywhere.rpc.dce;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The endpoint mapper's wire layouts for ept_lookup (opnum 2) and ept_map (opnum 3), written once for both sides: the
 * analyzer's client encodes the requests and decodes the responses, the endpoints decode the requests and encode the
 * responses (and a test's fake server too).
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
 * <p>Responses number their full pointers 1, 2, … as Windows' endpoint mapper does; a reader accepts any numbering.
 *
 * @see [C706] Appendix O Endpoint Mapper Interface Definition
 * @see [MS-RPCE] 2.2.1.2.5 ept_lookup, 2.2.1.2.6 ept_map
 */
public final class EpmStubs {

    /** e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0. */
    public static final SyntaxId INTERFACE = new SyntaxId(UUID.fromString("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);
    public static final int OPNUM_EPT_LOOKUP = 2;
    public static final int OPNUM_EPT_MAP = 3;

    public static final int RPC_C_EP_ALL_ELTS = 0;
    public static final int RPC_C_EP_MATCH_BY_IF = 1;
    public static final int RPC_C_EP_MATCH_BY_OBJ = 2;
    public static final int RPC_C_EP_MATCH_BY_BOTH = 3;
    public static final int RPC_C_VERS_ALL = 1;
    public static final int RPC_C_VERS_COMPATIBLE = 2;
    public static final int RPC_C_VERS_EXACT = 3;
    public static final int RPC_C_VERS_MAJOR_ONLY = 4;
    public static final int RPC_C_VERS_UPTO = 5;

    /** Cap on entries and towers accepted in a response: a hostile max_count must not size an allocation. */
    public static final int MAX_ENTRIES = 4096;
    /** Cap on one tower's octets in a response. */
    public static final int MAX_RESPONSE_TOWER = 1024;
    /** Cap on the map tower's octets in a request. */
    public static final int MAX_REQUEST_TOWER = 4096;

    /** ept_lookup's in parameters; {@code object} and {@code interfaceId} are the [ptr] ones. */
    public record LookupRequest(int inquiryType, Optional<UUID> object, Optional<SyntaxId> interfaceId, int versOption,
            ContextHandle handle, long maxEntries) {
    }

    /** ept_map's in parameters. */
    public record MapRequest(Optional<UUID> object, Optional<Tower> mapTower, ContextHandle handle, long maxTowers) {
    }

    /** One ept_entry_t. */
    public record Entry(UUID object, Optional<Tower> tower, String annotation) {
    }

    /** ept_lookup's out parameters: entries, the handle to continue with, and the status. */
    public record LookupResult(List<Entry> entries, ContextHandle handle, DceStatus status) {
        public LookupResult {
            entries = List.copyOf(entries);
        }
    }

    /** ept_map's out parameters. */
    public record MapResult(List<Tower> towers, ContextHandle handle, DceStatus status) {
        public MapResult {
            towers = List.copyOf(towers);
        }
    }

    private EpmStubs() {
    }

    /** The ept_lookup request stub. */
    public static ByteBuf encodeLookupRequest(LookupRequest q) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out);
        w.u32(q.inquiryType()); // inquiry_type (4 bytes)
        w.topLevelUnique(q.object().orElse(null), NdrWriter::uuid); // object: referent id (4) + uuid_t (16)
        w.topLevelUnique(q.interfaceId().orElse(null), (x, s) -> // interface_id: referent id (4) + rpc_if_id_t (20)
                x.uuid(s.uuid()).u16(s.major()).u16(s.minor())); // uuid (16), vers_major (2), vers_minor (2)
        w.u32(q.versOption()); // vers_option (4 bytes)
        w.contextHandle(q.handle()); // entry_handle (20 bytes)
        w.u32(q.maxEntries()); // max_ents (4 bytes)
        return out;
    }

    /** Reads what {@link #encodeLookupRequest} writes, to the end of the stub. */
    public static LookupRequest decodeLookupRequest(NdrReader r) {
        long inquiryType = r.u32("inquiry_type"); // inquiry_type (4 bytes)
        Optional<UUID> object = r.topLevelUnique("object", x -> x.uuid("object")); // [ptr] uuid_p_t
        Optional<SyntaxId> ifId = r.topLevelUnique("interface_id", x -> { // [ptr] rpc_if_id_p_t
            UUID uuid = x.uuid("if_id uuid"); // uuid (16 bytes)
            int major = x.u16("vers_major"); // vers_major (2 bytes)
            int minor = x.u16("vers_minor"); // vers_minor (2 bytes)
            return new SyntaxId(uuid, major, minor);
        });
        long versOption = r.u32("vers_option"); // vers_option (4 bytes)
        ContextHandle handle = r.contextHandle("entry_handle"); // entry_handle (20 bytes)
        long maxEnts = r.u32("max_ents"); // max_ents (4 bytes)
        r.expectEnd("ept_lookup request");
        return new LookupRequest((int) inquiryType, object, ifId, (int) versOption, handle, maxEnts);
    }

    /** The ept_lookup response stub; the array's max_count is {@code maxEntries} as the caller asked. */
    public static ByteBuf encodeLookupResponse(LookupResult result, int maxEntries) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out, 1, 1);
        w.contextHandle(result.handle()); // entry_handle (20 bytes)
        w.u32(result.entries().size()); // num_ents (4 bytes)
        w.conformantVaryingArray(Math.max(maxEntries, result.entries().size()), result.entries(), (x, e) -> { // entries[]
            x.uuid(e.object()); // object (16 bytes)
            x.fullPointer(e.tower().orElse(null), NdrWriter::tower); // tower (twr_p_t, deferred)
            x.varyingAsciiString(e.annotation()); // annotation ([string] char[64])
        });
        writeDeferredThenStatus(w, result.status());
        return out;
    }

    /** Reads what {@link #encodeLookupResponse} writes, to the end of the stub. */
    public static LookupResult decodeLookupResponse(NdrReader r) {
        ContextHandle handle = r.contextHandle("entry_handle"); // entry_handle (20 bytes)
        long num = r.u32("num_ents"); // num_ents (4 bytes)
        List<EntryParts> parts = r.conformantVaryingArray("entries", MAX_ENTRIES, 28, x -> {
            UUID object = x.uuid("object"); // object (16 bytes)
            NdrReader.Deferred<Tower> tower = x.fullPointer("tower", y -> y.tower("tower", MAX_RESPONSE_TOWER)); // twr_p_t
            String annotation = x.varyingAsciiString("annotation", 64); // offset, actual_count, chars
            return new EntryParts(object, tower, annotation);
        });
        if (parts.size() != num) {
            throw new DceProtocolException("ept_lookup entries actual_count: " + parts.size() + " (expected: num_ents " + num + ")");
        }
        DceStatus status = deferredThenStatus(r, "ept_lookup response");
        List<Entry> entries = new ArrayList<>();
        for (EntryParts p : parts) {
            entries.add(new Entry(p.object, p.tower.toOptional(), p.annotation));
        }
        return new LookupResult(entries, handle, status);
    }

    /** The array's deferred referents (towers), then {@code error_status_t}, the last out parameter. */
    private static void writeDeferredThenStatus(NdrWriter w, DceStatus status) {
        w.flushDeferred();
        w.u32(status.code() & 0xffffffffL); // status (4 bytes)
    }

    /** Reads what {@link #writeDeferredThenStatus} writes; nothing may follow. */
    private static DceStatus deferredThenStatus(NdrReader r, String what) {
        r.readDeferred();
        DceStatus status = DceStatus.valueOf(r.i32("status")); // error_status_t (4 bytes)
        r.expectEnd(what);
        return status;
    }

    private record EntryParts(UUID object, NdrReader.Deferred<Tower> tower, String annotation) {
    }

    /** The ept_map request stub. */
    public static ByteBuf encodeMapRequest(MapRequest q) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out);
        w.topLevelUnique(q.object().orElse(null), NdrWriter::uuid); // object: referent id (4) + uuid_t (16)
        w.topLevelUnique(q.mapTower().orElse(null), NdrWriter::tower); // map_tower: referent id (4) + twr_t
        w.contextHandle(q.handle()); // entry_handle (20 bytes, 4-aligned)
        w.u32(q.maxTowers()); // max_towers (4 bytes)
        return out;
    }

    /** Reads what {@link #encodeMapRequest} writes, to the end of the stub. */
    public static MapRequest decodeMapRequest(NdrReader r) {
        Optional<UUID> object = r.topLevelUnique("object", x -> x.uuid("object")); // [ptr] uuid_p_t
        Optional<Tower> mapTower = r.topLevelUnique("map_tower", x -> x.tower("map_tower", MAX_REQUEST_TOWER)); // [ptr] twr_p_t
        ContextHandle handle = r.contextHandle("entry_handle"); // entry_handle (20 bytes)
        long maxTowers = r.u32("max_towers"); // max_towers (4 bytes)
        r.expectEnd("ept_map request");
        return new MapRequest(object, mapTower, handle, maxTowers);
    }

    /** The ept_map response stub; the array's max_count is {@code maxTowers} as the caller asked. */
    public static ByteBuf encodeMapResponse(MapResult result, int maxTowers) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out, 1, 1);
        w.contextHandle(result.handle()); // entry_handle (20 bytes)
        w.u32(result.towers().size()); // num_towers (4 bytes)
        w.conformantVaryingArray(Math.max(maxTowers, result.towers().size()), result.towers(), // towers[]
                (x, t) -> x.fullPointer(t, NdrWriter::tower)); // twr_p_t, deferred
        writeDeferredThenStatus(w, result.status());
        return out;
    }

    /** Reads what {@link #encodeMapResponse} writes, to the end of the stub; NULL towers are skipped. */
    public static MapResult decodeMapResponse(NdrReader r) {
        ContextHandle handle = r.contextHandle("entry_handle"); // entry_handle (20 bytes)
        long num = r.u32("num_towers"); // num_towers (4 bytes)
        List<NdrReader.Deferred<Tower>> ptrs = r.conformantVaryingArray("towers", MAX_ENTRIES, 4,
                x -> x.fullPointer("towers[]", y -> y.tower("tower", MAX_RESPONSE_TOWER)));
        if (ptrs.size() != num) {
            throw new DceProtocolException("ept_map towers actual_count: " + ptrs.size() + " (expected: num_towers " + num + ")");
        }
        DceStatus status = deferredThenStatus(r, "ept_map response");
        List<Tower> towers = ptrs.stream().filter(NdrReader.Deferred::isPresent).map(NdrReader.Deferred::get).toList();
        return new MapResult(towers, handle, status);
    }
}
