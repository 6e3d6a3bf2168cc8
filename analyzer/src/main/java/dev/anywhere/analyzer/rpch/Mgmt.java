package dev.anywhere.analyzer.rpch;

import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.MgmtStubs;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.NdrWriter;
import dev.anywhere.rpc.dce.SyntaxId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The DCE management interface ({@code mgmt}, afa8bd80-7d8a-11c9-bef4-08002b102989 v1.0) that every Windows RPC
 * server exposes: {@code rpc__mgmt_inq_if_ids} (opnum 0) lists the interfaces the server registered and
 * {@code rpc__mgmt_is_server_listening} (opnum 2) is the cheapest round trip there is — rpcping's default call. The
 * wire layouts are {@link MgmtStubs}', shared with the endpoints.
 *
 * @see [C706] Appendix Q Remote Management Interface
 */
public final class Mgmt {

    /** afa8bd80-7d8a-11c9-bef4-08002b102989 v1.0. */
    public static final SyntaxId INTERFACE = MgmtStubs.INTERFACE;
    public static final int OPNUM_INQ_IF_IDS = 0;
    public static final int OPNUM_IS_SERVER_LISTENING = 2;

    /** The answer of inq_if_ids. */
    public record IfIds(List<SyntaxId> interfaces, DceStatus status) {
        public IfIds {
            interfaces = List.copyOf(interfaces);
        }
    }

    /** The answer of is_server_listening. */
    public record Listening(boolean listening, DceStatus status) {
    }

    private Mgmt() {
    }

    /** Calls inq_if_ids on a context bound to {@link #INTERFACE}. */
    public static CompletableFuture<IfIds> inqIfIds(VirtualConnection vc, int contextId) {
        return vc.call(contextId, OPNUM_INQ_IF_IDS, Unpooled.EMPTY_BUFFER).thenApply(stub -> {
            try {
                return decodeInqIfIds(stub);
            } finally {
                stub.release();
            }
        });
    }

    /** Calls is_server_listening on a context bound to {@link #INTERFACE}. */
    public static CompletableFuture<Listening> isServerListening(VirtualConnection vc, int contextId) {
        return vc.call(contextId, OPNUM_IS_SERVER_LISTENING, Unpooled.EMPTY_BUFFER).thenApply(stub -> {
            try {
                return decodeIsServerListening(stub);
            } finally {
                stub.release();
            }
        });
    }

    /** Decodes the inq_if_ids response stub. */
    public static IfIds decodeInqIfIds(ByteBuf stub) {
        NdrReader r = new NdrReader(stub);
        List<SyntaxId> ids = MgmtStubs.readIfIdVector(r);
        DceStatus status = DceStatus.valueOf(r.i32("status")); // error_status_t (4 bytes)
        r.expectEnd("inq_if_ids response");
        return new IfIds(ids, status);
    }

    /** Encodes an inq_if_ids response stub (what a server sends; the fake proxy in the tests uses it). */
    public static ByteBuf encodeInqIfIds(List<SyntaxId> ids, DceStatus status) {
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out);
        MgmtStubs.writeIfIdVector(w, ids);
        w.align(4).u32(status.code() & 0xffffffffL); // error_status_t (4 bytes)
        return out;
    }

    /** Decodes the is_server_listening response stub: status, then the boolean32 result. */
    public static Listening decodeIsServerListening(ByteBuf stub) {
        NdrReader r = new NdrReader(stub);
        DceStatus status = DceStatus.valueOf(r.i32("status")); // error_status_t (4 bytes)
        long result = r.u32("boolean32"); // return value (4 bytes)
        r.expectEnd("is_server_listening response");
        return new Listening(result != 0, status);
    }

    /** Encodes an is_server_listening response stub. */
    public static ByteBuf encodeIsServerListening(boolean listening, DceStatus status) {
        ByteBuf out = Unpooled.buffer(8);
        MgmtStubs.writeIsServerListening(new NdrWriter(out), listening, status);
        return out;
    }
}
