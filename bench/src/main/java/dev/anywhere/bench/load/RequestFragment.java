package dev.anywhere.bench.load;

import dev.anywhere.rpc.dce.CoHeader;
import dev.anywhere.rpc.dce.PduType;
import dev.anywhere.rpc.dce.PfcFlag;
import io.netty.buffer.ByteBuf;

/**
 * A DCE/RPC request fragment written straight into a buffer, byte-identical to what {@link dev.anywhere.rpc.dce.Fragmenter}
 * and {@link dev.anywhere.rpc.dce.DceCodec} produce but without a {@code DcePdu} and a stub copy per fragment: both
 * load clients (the direct arm's and the RPC over HTTP one) send through here, so neither arm pays more per call.
 *
 * @see [C706] 12.6.4.9 The request PDU
 * @see [C706] 12.6.3.7 Fragmentation and Reassembly
 */
public final class RequestFragment {

    /** The request (and response) header: 16 common bytes, alloc_hint, p_cont_id, opnum (or cancel_count). */
    public static final int HEADER = 24;

    private RequestFragment() {
    }

    /**
     * Writes the fragment carrying {@code stub[offset, offset + chunk)}: PFC_FIRST_FRAG when {@code offset} is 0,
     * PFC_LAST_FRAG when it ends the stub; alloc_hint is the stub bytes from this fragment on.
     */
    public static void write(ByteBuf out, int callId, int contextId, int opnum, byte[] stub, int offset, int chunk) {
        int flags = (offset == 0 ? PfcFlag.FIRST_FRAG.bit() : 0) | (offset + chunk == stub.length ? PfcFlag.LAST_FRAG.bit() : 0);
        out.writeByte(CoHeader.RPC_VERS); // rpc_vers (1 byte)
        out.writeByte(0); // rpc_vers_minor (1 byte)
        out.writeByte(PduType.REQUEST.value()); // PTYPE (1 byte)
        out.writeByte(flags); // pfc_flags (1 byte)
        out.writeIntLE(CoHeader.DREP_LITTLE_ENDIAN_ASCII); // packed_drep (4 bytes)
        out.writeShortLE(HEADER + chunk); // frag_length (2 bytes)
        out.writeShortLE(0); // auth_length (2 bytes)
        out.writeIntLE(callId); // call_id (4 bytes)
        out.writeIntLE(stub.length - offset); // alloc_hint (4 bytes)
        out.writeShortLE(contextId); // p_cont_id (2 bytes)
        out.writeShortLE(opnum); // opnum (2 bytes)
        out.writeBytes(stub, offset, chunk); // stub data
    }

    /** Bytes all fragments of a {@code stubLength}-byte stub take at {@code maxXmitFrag}. */
    public static int encodedLength(int stubLength, int maxXmitFrag) {
        int perFragment = maxXmitFrag - HEADER;
        int fragments = Math.max(1, (stubLength + perFragment - 1) / perFragment);
        return stubLength + fragments * HEADER;
    }
}
