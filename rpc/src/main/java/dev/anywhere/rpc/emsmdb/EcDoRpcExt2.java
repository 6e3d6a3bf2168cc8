package dev.anywhere.rpc.emsmdb;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.wire.Octets;
import java.util.Objects;

/**
 * EcDoRpcExt2 (opnum 11): ROP requests in, ROP responses out, both as extended buffers ({@link RpcHeaderExt}).
 *
 * @see [MS-OXCRPC] 3.1.4.2 EcDoRpcExt2 Method (Opnum 11)
 */
public final class EcDoRpcExt2 {
    public static final int OPNUM = 11;
    /** pulFlags: the client does not want the response compressed. */
    public static final int NO_COMPRESSION = 0x1;
    /** pulFlags: the client does not want the response obfuscated. */
    public static final int NO_XOR_MAGIC = 0x2;
    /** pulFlags: the client accepts chained responses. */
    public static final int CHAIN = 0x4;

    private EcDoRpcExt2() {
    }

    /**
     * @param rgbIn the request's extended buffer
     * @param maxOut *pcbOut on input: the most bytes of rgbOut the client accepts (0..0x40000)
     * @param maxAuxOut *pcbAuxOut on input (0..0x1008)
     */
    public record Request(ContextHandle cxh, long flags, Octets rgbIn, long maxOut, Octets auxIn, long maxAuxOut) {
        public Request {
            Objects.requireNonNull(cxh, "cxh");
            Objects.requireNonNull(rgbIn, "rgbIn");
            Objects.requireNonNull(auxIn, "auxIn");
        }

        public Octets encode() {
            return Emsmdb.encode(w -> {
                w.contextHandle(cxh); // *pcxh
                w.u32(flags); // *pulFlags
                w.conformantBytes(rgbIn); // rgbIn (size_is(cbIn))
                w.u32(rgbIn.length()); // cbIn
                w.u32(maxOut); // *pcbOut
                w.conformantBytes(auxIn); // rgbAuxIn (size_is(cbAuxIn))
                w.u32(auxIn.length()); // cbAuxIn
                w.u32(maxAuxOut); // *pcbAuxOut
            });
        }

        public static Request decode(Octets stub) {
            NdrReader r = new NdrReader(stub);
            ContextHandle cxh = r.contextHandle("pcxh");
            long flags = r.u32("pulFlags");
            Octets in = Emsmdb.sizedBytes(r, "rgbIn", "cbIn", Emsmdb.MAX_RGB);
            long maxOut = Emsmdb.rangedU32(r, "pcbOut", Emsmdb.MAX_RGB);
            Octets aux = Emsmdb.sizedBytes(r, "rgbAuxIn", "cbAuxIn", Emsmdb.MAX_AUX);
            long maxAuxOut = Emsmdb.rangedU32(r, "pcbAuxOut", Emsmdb.MAX_AUX);
            r.expectEnd("EcDoRpcExt2 request");
            return new Request(cxh, flags, in, maxOut, aux, maxAuxOut);
        }
    }

    /**
     * @param rgbOut the response's extended buffer (empty on failure)
     * @param transTime *pulTransTime, milliseconds the server spent
     * @param returnValue {@link EcCode}
     */
    public record Response(ContextHandle cxh, long flags, Octets rgbOut, Octets auxOut, long transTime, int returnValue) {
        public Response {
            Objects.requireNonNull(cxh, "cxh");
            Objects.requireNonNull(rgbOut, "rgbOut");
            Objects.requireNonNull(auxOut, "auxOut");
        }

        public Octets encode() {
            return Emsmdb.encode(w -> {
                w.contextHandle(cxh); // *pcxh
                w.u32(flags); // *pulFlags
                w.conformantVaryingBytes(rgbOut); // rgbOut (size_is = length_is = *pcbOut)
                w.u32(rgbOut.length()); // *pcbOut
                w.conformantVaryingBytes(auxOut); // rgbAuxOut
                w.u32(auxOut.length()); // *pcbAuxOut
                w.u32(transTime); // *pulTransTime
                w.u32(returnValue & 0xFFFF_FFFFL); // return value
            });
        }

        public static Response decode(Octets stub) {
            NdrReader r = new NdrReader(stub);
            ContextHandle cxh = r.contextHandle("pcxh");
            long flags = r.u32("pulFlags");
            Octets out = Emsmdb.outBytes(r, "rgbOut", "pcbOut", Emsmdb.MAX_RGB);
            Octets aux = Emsmdb.outBytes(r, "rgbAuxOut", "pcbAuxOut", Emsmdb.MAX_AUX);
            long transTime = r.u32("pulTransTime");
            int rv = r.i32("return value");
            r.expectEnd("EcDoRpcExt2 response");
            return new Response(cxh, flags, out, aux, transTime, rv);
        }
    }
}
