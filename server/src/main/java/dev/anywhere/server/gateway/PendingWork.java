package dev.anywhere.server.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A request that waits for the directory: a logon, or an Autodiscover answer that reads it. {@link GatewayHandler}
 * stops reading the connection and holds whatever was already decoded (body chunks, a pipelined request) until
 * {@code work} completes; then, on the event loop and only if the connection is still open, {@code decide} answers
 * the request and what was held is handed on in order. {@code decide} returns what receives the rest of the
 * request's body, or null when the request is complete.
 */
record PendingWork(CompletableFuture<?> work, Supplier<RequestBody> decide) implements RequestBody {

    /** Decides the request; call on the event loop once {@link #work} is done. */
    RequestBody decided() {
        return decide.get();
    }

    @Override
    public void content(ChannelHandlerContext ctx, HttpContent content) {
        throw new IllegalStateException("request body: chunk while the directory work is pending (expected: held by the handler)");
    }
}
