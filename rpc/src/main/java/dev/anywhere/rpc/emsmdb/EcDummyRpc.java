package dev.anywhere.rpc.emsmdb;

import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.wire.Octets;

/**
 * EcDummyRpc (opnum 6): no parameters but the binding handle; the server returns 0. Clients use it to keep a
 * binding alive.
 *
 * @see [MS-OXCRPC] 3.1.4 (the methods in opnum order: EcDummyRpc, opnum 6)
 */
public final class EcDummyRpc {
    public static final int OPNUM = 6;

    private EcDummyRpc() {
    }

    /** The request has no stub data; anything there is refused. */
    public static void decodeRequest(Octets stub) {
        new NdrReader(stub).expectEnd("EcDummyRpc request");
    }

    public static Octets encodeResponse(int returnValue) {
        return Emsmdb.encode(w -> w.u32(returnValue & 0xFFFF_FFFFL)); // return value
    }

    public static int decodeResponse(Octets stub) {
        NdrReader r = new NdrReader(stub);
        int rv = r.i32("return value");
        r.expectEnd("EcDummyRpc response");
        return rv;
    }
}
