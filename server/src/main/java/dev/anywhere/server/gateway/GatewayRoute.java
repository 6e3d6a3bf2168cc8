package dev.anywhere.server.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/** One virtual directory of the gateway (/rpc, /autodiscover): answers the requests whose path it owns. */
interface GatewayRoute {

    /** Whether this route serves {@code path} (lower case, without the query). */
    boolean owns(String path);

    /** Handles a request head and says what to do with its body. */
    RequestBody begin(ChannelHandlerContext ctx, HttpRequest request, GatewayConnection connection);
}
