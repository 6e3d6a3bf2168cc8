package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.MgmtStubs;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The remote management interface (MGMT, {@code afa8bd80-7d8a-11c9-bef4-08002b102989} v1.0) every DCE/RPC server
 * exports: inq_if_ids (0), inq_stats (1), is_server_listening (2), stop_server_listening (3, always refused with
 * {@code ERROR_ACCESS_DENIED}) and inq_princ_name (4).
 *
 * @see [C706] Appendix Q Remote Management Interface
 * @see [MS-RPCE] 3.1.1.5.4 (management interface)
 */
final class Mgmt implements RpcHandler {

    static final SyntaxId ID = MgmtStubs.INTERFACE;

    /** rpc_s_unknown_authn_service (1747): no principal name registered for the service asked about. */
    static final long RPC_S_UNKNOWN_AUTHN_SERVICE = 0x6d3;
    /** [C706]: the four counters of rpc_mgmt_inq_stats. */
    static final int STATS_COUNT = 4;

    private final EndpointServer server;

    Mgmt(EndpointServer server) {
        this.server = server;
    }

    @Override
    public Octets invoke(RpcCall call) {
        NdrReader r = new NdrReader(call.stub());
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out);
        switch (call.opnum()) {
            case 0 -> {
                r.expectEnd("inq_if_ids request");
                MgmtStubs.writeIfIdVector(w, server.interfaces().all().stream().map(RpcInterface::id).toList());
                w.u32(0); // status (4 bytes)
            }
            case 1 -> {
                long max = r.u32("count"); // count (4 bytes)
                r.expectEnd("inq_stats request");
                EndpointServer.Stats s = server.stats();
                long[] all = {s.callsIn.get(), s.callsOut.get(), s.pktsIn.get(), s.pktsOut.get()};
                int n = (int) Math.min(max, STATS_COUNT);
                w.u32(n); // count (4 bytes)
                w.u32(n); // statistics max_count (4 bytes)
                for (int i = 0; i < n; i++) {
                    w.u32(all[i] & 0xffff_ffffL); // statistics[i] (4 bytes)
                }
                w.u32(0); // status (4 bytes)
            }
            case 2 -> {
                r.expectEnd("is_server_listening request");
                MgmtStubs.writeIsServerListening(w, true, DceStatus.SUCCESS);
            }
            case 3 -> {
                r.expectEnd("stop_server_listening request");
                w.u32(DceStatus.ACCESS_DENIED.code()); // status (4 bytes): remote stop is never allowed
            }
            case 4 -> {
                r.u32("authn_proto"); // authn_proto (4 bytes)
                long size = r.u32("princ_name_size"); // princ_name_size (4 bytes)
                r.expectEnd("inq_princ_name request");
                if (size > 0x10000) {
                    throw new RpcFaultException(DceStatus.RPC_X_BAD_STUB_DATA, "princ_name_size: " + size + " (expected: <= 65536)");
                }
                String name = server.options().principalName();
                byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
                boolean ok = !name.isEmpty() && bytes.length + 1 <= size;
                w.u32(size); // princ_name max_count (4 bytes)
                w.u32(0); // offset (4 bytes)
                if (ok) {
                    w.u32(bytes.length + 1); // actual_count (4 bytes)
                    w.bytes(Octets.of(bytes)).u8(0); // characters and NUL
                } else {
                    w.u32(size > 0 ? 1 : 0); // actual_count: an empty string
                    if (size > 0) {
                        w.u8(0);
                    }
                }
                w.u32(ok ? 0 : name.isEmpty() ? RPC_S_UNKNOWN_AUTHN_SERVICE : 0x7a /* ERROR_INSUFFICIENT_BUFFER */);
            }
            default -> throw new RpcFaultException(DceStatus.NCA_S_OP_RNG_ERROR);
        }
        return Octets.copyOf(out);
    }
}
