package dev.anywhere.server.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;

/**
 * What a route does with the body of a request it accepted. The gateway never aggregates bodies: each chunk is
 * handed over as it arrives (the caller releases it after the call; retain what you keep).
 */
interface RequestBody {

    /** One chunk of the body; the last one is a {@link io.netty.handler.codec.http.LastHttpContent}. */
    void content(ChannelHandlerContext ctx, HttpContent content);

    /** The connection's read batch ended (channelReadComplete): a chance to flush what its chunks caused once. */
    default void readComplete() {
    }

    /** The connection closed before the body ended (normal for RPC channels). */
    default void closed() {
    }

    /** Drops the body of a request that was already answered. */
    RequestBody DISCARD = (ctx, content) -> { };
}
