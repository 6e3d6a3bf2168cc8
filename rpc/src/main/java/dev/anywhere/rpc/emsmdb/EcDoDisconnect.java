package dev.anywhere.rpc.emsmdb;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.wire.Octets;
import java.util.Objects;

/**
 * EcDoDisconnect (opnum 1): closes a session context; the server answers the NULL handle.
 *
 * @see [MS-OXCRPC] 3.1.4 (the methods in opnum order: EcDoDisconnect, opnum 1)
 */
public final class EcDoDisconnect {
    public static final int OPNUM = 1;

    private EcDoDisconnect() {
    }

    public record Request(ContextHandle cxh) {
        public Request {
            Objects.requireNonNull(cxh, "cxh");
        }

        public Octets encode() {
            return Emsmdb.encode(w -> w.contextHandle(cxh)); // *pcxh
        }

        public static Request decode(Octets stub) {
            NdrReader r = new NdrReader(stub);
            ContextHandle cxh = r.contextHandle("pcxh");
            r.expectEnd("EcDoDisconnect request");
            return new Request(cxh);
        }
    }

    public record Response(ContextHandle cxh, int returnValue) {
        public Response {
            Objects.requireNonNull(cxh, "cxh");
        }

        public Octets encode() {
            return Emsmdb.encode(w -> w.contextHandle(cxh).u32(returnValue & 0xFFFF_FFFFL)); // *pcxh, return value
        }

        public static Response decode(Octets stub) {
            NdrReader r = new NdrReader(stub);
            ContextHandle cxh = r.contextHandle("pcxh");
            int rv = r.i32("return value");
            r.expectEnd("EcDoDisconnect response");
            return new Response(cxh, rv);
        }
    }
}
