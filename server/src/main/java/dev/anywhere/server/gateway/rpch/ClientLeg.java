package dev.anywhere.server.gateway.rpch;

import io.netty.channel.Channel;

/**
 * The client's HTTP connection as a proxy state machine sees it: the channel (its event loop also drives the
 * server leg) and the gateway's way of refusing a request before any response was sent.
 */
public interface ClientLeg {

    /** The client's channel; the proxy writes the OUT response head and body chunks through its pipeline. */
    Channel channel();

    /** Answers {@code status} with {@code text} and closes the connection; {@code outcome} tags the metric. */
    void refuse(int status, String outcome, String text);

    /** Answers {@code HTTP/1.0 503 RPC Error: <hex>} and closes the connection. */
    void rpcError(int win32Error, String outcome);
}
