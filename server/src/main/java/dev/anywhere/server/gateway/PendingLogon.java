package dev.anywhere.server.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A request whose logon waits for the directory. {@link GatewayHandler} stops reading the connection and holds
 * whatever was already decoded (body chunks, a pipelined request) until {@code logon} completes; then, on the
 * event loop and only if the connection is still open, {@code decide} answers the request and what was held is
 * handed on in order.
 */
record PendingLogon(CompletableFuture<HttpAuthenticator.Result> logon,
        Function<HttpAuthenticator.Result, RequestBody> decide) implements RequestBody {

    /** The logon's result; a logon that failed unexpectedly counts as unanswered (503), never as a refusal. */
    static HttpAuthenticator.Result resultOf(CompletableFuture<HttpAuthenticator.Result> logon) {
        try {
            return logon.join();
        } catch (RuntimeException e) {
            return new HttpAuthenticator.Unavailable("logon failed: " + e.getMessage());
        }
    }

    /** Decides the request; call on the event loop once {@link #logon} is done. */
    RequestBody decided() {
        return decide.apply(resultOf(logon));
    }

    @Override
    public void content(ChannelHandlerContext ctx, HttpContent content) {
        throw new IllegalStateException("request body: chunk while the logon is pending (expected: held by the handler)");
    }
}
