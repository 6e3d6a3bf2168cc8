package dev.anywhere.analyzer.rpch;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/** A call in flight on a {@link VirtualConnection}: its ids, its result and its timeout. Event-loop confined. */
final class RpcCall {
    final int callId;
    final int contextId;
    final int opnum;
    final CompletableFuture<ByteBuf> result;
    final long startNanos = System.nanoTime();
    ScheduledFuture<?> timeout;

    RpcCall(int callId, int contextId, int opnum, CompletableFuture<ByteBuf> result) {
        this.callId = callId;
        this.contextId = contextId;
        this.opnum = opnum;
        this.result = result;
    }
}
