package dev.anywhere.server.gateway;

import java.util.Optional;

/**
 * What an {@code RPC_IN_DATA}/{@code RPC_OUT_DATA} request asks for, classified by its Content-Length.
 *
 * @see [MS-RPCH] 2.1.2.1.1 IN channel request, 2.1.2.1.2 OUT channel request, 2.1.2.1.5 echo request
 */
enum RpcProxyRequest {
    /** Content-Length 0..16: the echo request clients use to find out whether the proxy is there. */
    ECHO,
    /** RPC_IN_DATA with 128 KiB..2 GiB: an IN channel. */
    IN_CHANNEL,
    /** RPC_OUT_DATA with 76: a new OUT channel (its body is CONN/A1). */
    OUT_CHANNEL,
    /** RPC_OUT_DATA with 120: a replacement OUT channel (OUT_R1/A3 and OUT_R2/C1). */
    OUT_CHANNEL_REPLACEMENT;

    static final long MAX_ECHO_LENGTH = 0x10;
    static final long MIN_IN_CHANNEL_LENGTH = 128 * 1024;
    static final long MAX_CHANNEL_LENGTH = 2L * 1024 * 1024 * 1024;

    static Optional<RpcProxyRequest> classify(boolean inData, long contentLength) {
        if (contentLength >= 0 && contentLength <= MAX_ECHO_LENGTH) {
            return Optional.of(ECHO);
        }
        if (inData) {
            return contentLength >= MIN_IN_CHANNEL_LENGTH && contentLength <= MAX_CHANNEL_LENGTH
                    ? Optional.of(IN_CHANNEL) : Optional.empty();
        }
        if (contentLength == 76) {
            return Optional.of(OUT_CHANNEL);
        }
        return contentLength == 120 ? Optional.of(OUT_CHANNEL_REPLACEMENT) : Optional.empty();
    }

    /** The target of {@code ?server:port}, split at the last colon so IPv6 literals survive. */
    record Target(String server, int port) {

        static Optional<Target> parse(String query) {
            if (query == null || query.isEmpty()) {
                return Optional.empty();
            }
            int colon = query.lastIndexOf(':');
            if (colon <= 0 || colon == query.length() - 1 || query.length() - colon - 1 > 6) {
                return Optional.empty();
            }
            String server = query.substring(0, colon);
            if (server.length() >= 1024) {
                return Optional.empty();
            }
            try {
                int port = Integer.parseInt(query.substring(colon + 1));
                return port >= 1 && port <= 65535 ? Optional.of(new Target(server, port)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}
