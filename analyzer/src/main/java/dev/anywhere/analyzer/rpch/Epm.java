package dev.anywhere.analyzer.rpch;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.EpmStubs;
import dev.anywhere.rpc.dce.EpmStubs.LookupRequest;
import dev.anywhere.rpc.dce.EpmStubs.LookupResult;
import dev.anywhere.rpc.dce.EpmStubs.MapRequest;
import dev.anywhere.rpc.dce.EpmStubs.MapResult;
import dev.anywhere.rpc.dce.NdrReader;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.dce.Tower;
import io.netty.buffer.ByteBuf;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The endpoint mapper as a client calls it on port 593: {@code ept_lookup} (opnum 2) lists registered endpoints,
 * {@code ept_map} (opnum 3) maps an interface tower to the server's endpoints. The wire layouts are
 * {@link EpmStubs}', shared with the endpoints.
 *
 * @see [C706] Appendix O Endpoint Mapper Interface Definition
 */
public final class Epm {

    /** e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0. */
    public static final SyntaxId INTERFACE = EpmStubs.INTERFACE;

    private Epm() {
    }

    /** ept_lookup with rpc_c_ep_all_elts, no object, no interface filter. */
    public static CompletableFuture<LookupResult> lookup(VirtualConnection vc, int contextId, ContextHandle handle, int maxEntries) {
        LookupRequest q = new LookupRequest(EpmStubs.RPC_C_EP_ALL_ELTS, Optional.empty(), Optional.empty(),
                EpmStubs.RPC_C_VERS_ALL, handle, maxEntries);
        return call(vc, contextId, EpmStubs.OPNUM_EPT_LOOKUP, EpmStubs.encodeLookupRequest(q), EpmStubs::decodeLookupResponse);
    }

    /** ept_map for {@code mapTower} (e.g. {@code Tower.ncacnHttp(iface, 0.0.0.0, 0)}). */
    public static CompletableFuture<MapResult> map(VirtualConnection vc, int contextId, Tower mapTower, int maxTowers) {
        MapRequest q = new MapRequest(Optional.empty(), Optional.of(mapTower), ContextHandle.NULL, maxTowers);
        return call(vc, contextId, EpmStubs.OPNUM_EPT_MAP, EpmStubs.encodeMapRequest(q), EpmStubs::decodeMapResponse);
    }

    private static <T> CompletableFuture<T> call(VirtualConnection vc, int contextId, int opnum, ByteBuf request,
            Function<NdrReader, T> decoder) {
        return vc.call(contextId, opnum, request).thenApply(stub -> {
            try {
                return decoder.apply(new NdrReader(stub));
            } finally {
                stub.release();
            }
        });
    }
}
