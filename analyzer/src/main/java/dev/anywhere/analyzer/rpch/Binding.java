package dev.anywhere.analyzer.rpch;

import dev.anywhere.analyzer.rpch.RpchFailure.Hop;
import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Function;

/**
 * One interface bound on a virtual connection, for the clients that make blocking calls one at a time
 * ({@link AddressBookClient}, {@link Referral}): a stub in, the decoded answer out, every failure an
 * {@link RpchFailure} naming the hop.
 */
final class Binding {
    final VirtualConnection vc;
    final RpchClientOptions options;
    final int contextId;

    Binding(VirtualConnection vc, RpchClientOptions options, int contextId) {
        this.vc = vc;
        this.options = options;
        this.contextId = contextId;
    }

    /** Opens a virtual connection to {@code options}' server and port and binds {@code iface} with {@code auth}. */
    static Binding open(RpchClientOptions options, SyntaxId iface, RpcAuth auth, Transcript transcript) throws RpchFailure {
        VirtualConnection vc = VirtualConnection.open(options, transcript);
        try {
            return new Binding(vc, options, RpcPing.await(vc.bind(iface, auth), options, Hop.BIND).contextId());
        } catch (RpchFailure | RuntimeException e) {
            vc.close();
            throw e;
        }
    }

    /** Calls {@code opnum}; an answer that does not decode is a protocol failure of the call. */
    <T> T call(int opnum, Octets stub, Function<Octets, T> decode) throws RpchFailure {
        ByteBuf response = RpcPing.await(vc.call(contextId, opnum, Unpooled.wrappedBuffer(stub.toByteArray())), options, Hop.CALL);
        try {
            return decode.apply(Octets.copyOf(response));
        } catch (RuntimeException e) {
            throw new RpchFailure(Hop.CALL, Kind.PROTOCOL, RpchFailure.Text.of("call.bad-response", "opnum", opnum, "detail",
                    String.valueOf(e.getMessage())), e);
        } finally {
            response.release();
        }
    }
}
