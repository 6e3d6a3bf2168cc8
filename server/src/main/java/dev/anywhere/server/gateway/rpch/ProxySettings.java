package dev.anywhere.server.gateway.rpch;

import java.time.Duration;

/**
 * The RPC over HTTP proxy's knobs, named after Windows RpcProxy's registry values where one exists.
 *
 * @param receiveWindow the proxy's receive window on every hop it receives on (InProxyReceiveWindow /
 *        OutProxyReceiveWindow; advertised in CONN/A2, CONN/B2, IN_R1/A2, OUT_R1/A4), 8 KiB..256 KiB
 * @param connectionTimeout the ConnectionTimeout the proxy announces (CONN/A3, CONN/B2), 120 s..4 h
 * @param keepAlive how long a channel to the client may stay silent before the proxy sends a Ping (spec: half
 *        the connection timeout; tests shorten it)
 * @param channelLifetime the Content-Length of the OUT channel response and the ChannelLifetime of CONN/A2
 * @param connectTimeout TCP connect to the RPC endpoint
 * @param handshakeTimeout from the request head to the first PDU, and from CONN/A2/B2 to CONN/C1/B3
 * @param idleTimeout a virtual-connection leg with no traffic in either direction for this long is closed
 * @param maxFragLength largest frag_length relayed (framing cap), 20..65536
 * @see [MS-RPCH] 3.2.3.1 RPC over HTTP proxy abstract data model
 */
public record ProxySettings(long receiveWindow, Duration connectionTimeout, Duration keepAlive, long channelLifetime,
        Duration connectTimeout, Duration handshakeTimeout, Duration idleTimeout, int maxFragLength) {

    /** 1 GiB, what IIS and every client use. */
    public static final long DEFAULT_CHANNEL_LIFETIME = 1L << 30;

    public ProxySettings {
        if (receiveWindow < 0x2000 || receiveWindow > 0x40000) {
            throw new IllegalArgumentException("receiveWindow: " + receiveWindow + " (expected: 8192..262144)");
        }
        long ct = connectionTimeout.toMillis();
        if (ct < 120_000 || ct > 14_400_000) {
            throw new IllegalArgumentException("connectionTimeout: " + ct + " ms (expected: 120000..14400000)");
        }
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keepAlive: " + keepAlive + " (expected: > 0)");
        }
        if (channelLifetime < 0x20000 || channelLifetime > 0x8000_0000L) {
            throw new IllegalArgumentException("channelLifetime: " + channelLifetime + " (expected: 131072..2147483648)");
        }
        if (maxFragLength < 20 || maxFragLength > 65536) {
            throw new IllegalArgumentException("maxFragLength: " + maxFragLength + " (expected: 20..65536)");
        }
    }

    /** Windows' defaults: 64 KiB windows, 120 s connection timeout, pings after 60 s of silence. */
    public static ProxySettings defaults() {
        return new ProxySettings(64 * 1024, Duration.ofSeconds(120), Duration.ofSeconds(60), DEFAULT_CHANNEL_LIFETIME,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(15), 64 * 1024);
    }

    public ProxySettings withKeepAlive(Duration d) {
        return new ProxySettings(receiveWindow, connectionTimeout, d, channelLifetime, connectTimeout, handshakeTimeout,
                idleTimeout, maxFragLength);
    }

    public ProxySettings withReceiveWindow(long w) {
        return new ProxySettings(w, connectionTimeout, keepAlive, channelLifetime, connectTimeout, handshakeTimeout,
                idleTimeout, maxFragLength);
    }

    public ProxySettings withChannelLifetime(long bytes) {
        return new ProxySettings(receiveWindow, connectionTimeout, keepAlive, bytes, connectTimeout, handshakeTimeout,
                idleTimeout, maxFragLength);
    }

    public ProxySettings withTimeouts(Duration connect, Duration handshake, Duration idle) {
        return new ProxySettings(receiveWindow, connectionTimeout, keepAlive, channelLifetime, connect, handshake, idle,
                maxFragLength);
    }

    public ProxySettings withMaxFragLength(int max) {
        return new ProxySettings(receiveWindow, connectionTimeout, keepAlive, channelLifetime, connectTimeout,
                handshakeTimeout, idleTimeout, max);
    }
}
