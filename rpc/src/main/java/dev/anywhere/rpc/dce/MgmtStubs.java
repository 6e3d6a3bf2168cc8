package dev.anywhere.rpc.dce;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The remote management interface's wire layouts, written once for both sides: the endpoints encode what a client
 * decodes (and a test's fake server what our client decodes).
 *
 * <pre>
 * void rpc__mgmt_inq_if_ids([in] handle_t h, [out] rpc_if_id_vector_p_t *if_id_vector, [out] error_status_t *status);
 * boolean32 rpc__mgmt_is_server_listening([in] handle_t h, [out] error_status_t *status);
 * typedef struct { unsigned32 count; [size_is(count)] rpc_if_id_p_t if_id[]; } rpc_if_id_vector_t;
 * typedef struct { uuid_t uuid; unsigned16 vers_major; unsigned16 vers_minor; } rpc_if_id_t;
 * </pre>
 *
 * @see [C706] Appendix Q Remote Management Interface
 */
public final class MgmtStubs {

    /** afa8bd80-7d8a-11c9-bef4-08002b102989 v1.0. */
    public static final SyntaxId INTERFACE = new SyntaxId(UUID.fromString("afa8bd80-7d8a-11c9-bef4-08002b102989"), 1, 0);
    /** Cap on interfaces accepted from the wire: a hostile max_count must not size an allocation. */
    public static final int MAX_IF_IDS = 1024;

    private MgmtStubs() {
    }

    /**
     * {@code [out] rpc_if_id_vector_p_t *if_id_vector}: a unique pointer to a conformant structure (max_count hoisted
     * before count) whose elements are unique pointers to {@code {uuid; vers_major; vers_minor}}. The status follows.
     */
    public static void writeIfIdVector(NdrWriter w, List<SyntaxId> ids) {
        w.topLevelUnique(ids, (x, list) -> {
            x.u32(list.size()); // if_id max_count (4 bytes, hoisted)
            x.u32(list.size()); // count (4 bytes)
            for (SyntaxId id : list) {
                x.uniquePointer(id, (y, v) -> { // if_id[i] (rpc_if_id_p_t)
                    y.uuid(v.uuid()); // uuid (16 bytes)
                    y.u16(v.major()); // vers_major (2 bytes)
                    y.u16(v.minor()); // vers_minor (2 bytes)
                });
            }
        });
    }

    /** Reads what {@link #writeIfIdVector} writes; a NULL vector is no interfaces, a NULL element is skipped. */
    public static List<SyntaxId> readIfIdVector(NdrReader r) {
        return r.topLevelUnique("if_id_vector", v -> {
            int max = r.conformance("if_id", MAX_IF_IDS); // max_count of if_id[], hoisted (4 bytes)
            long count = r.u32("count"); // count (4 bytes)
            if (count != max) {
                throw new DceProtocolException("rpc_if_id_vector_t count: " + count + " (expected: max_count " + max + ")");
            }
            List<NdrReader.Deferred<SyntaxId>> ptrs = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                ptrs.add(r.uniquePointer("if_id[" + i + "]", x -> new SyntaxId(x.uuid("uuid"), x.u16("vers_major"),
                        x.u16("vers_minor"))));
            }
            r.readDeferred();
            return ptrs.stream().filter(NdrReader.Deferred::isPresent).map(NdrReader.Deferred::get).toList();
        }).orElse(List.of());
    }

    /** is_server_listening's out parameters: {@code error_status_t}, then the boolean32 result. */
    public static void writeIsServerListening(NdrWriter w, boolean listening, DceStatus status) {
        w.u32(status.code() & 0xffffffffL); // status (4 bytes)
        w.u32(listening ? 1 : 0); // return value: boolean32 (4 bytes)
    }
}
