package dev.anywhere.analyzer.rpch;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link VirtualConnection} needs: where the proxy is, how to reach and trust it, who to authenticate
 * as, which RPC server and port to ask for, and the timeouts of each step. Build with {@link #builder}.
 *
 * @param proxyHost the proxy's host name (Host header, SNI, certificate name check)
 * @param proxyPort 443 or 80 usually
 * @param tls HTTPS (default) or plain HTTP (SSL offloading)
 * @param trust PEM files whose CA certificates are trusted besides the system's trust store (the JDK's default
 *        anchors); empty = the system's only. Validation (chain, dates, the proxy's host name) is always on
 * @param insecure accept any certificate: only when the user asked for it ({@code --insecure}), never by default
 * @param addressOverride connect here instead of resolving {@code proxyHost} (curl's --resolve)
 * @param server the RPC server name in the query ({@code ?EX1:6001})
 * @param endpointPort 6001, 6002, 6004 or 593
 * @param auth HTTP authentication, per connection
 * @param expectContinue send {@code Expect: 100-continue} and wait (bounded) for the 100 before the body
 * @param connectTimeout DNS and TCP connect
 * @param tlsTimeout TLS handshake
 * @param httpTimeout one HTTP response (401 leg, echo, error answers)
 * @param openTimeout from CONN/A1 to CONN/C2
 * @param callTimeout one bind or call
 * @param receiveWindow the client's OUT channel receive window (CONN/A1), 8 KiB…256 KiB
 * @param inChannelLifetime IN channel Content-Length and CONN/B1 ChannelLifetime (1 GiB as Windows)
 * @param inRecycleAfter bytes sent on an IN channel after which it is recycled; tests set it low to force recycling
 * @param clientKeepalive CONN/B1 ClientKeepalive in ms (300 000 as Windows; 0 is refused by Windows)
 * @param pingInterval idle time on the IN channel before a Ping; zero = half of the CONN/C2 connection timeout
 * @param maxFrag max_xmit_frag and max_recv_frag offered in the bind
 * @see [MS-RPCH] 2.1.2.1.1 IN Channel Request
 */
public record RpchClientOptions(String proxyHost, int proxyPort, boolean tls, List<Path> trust, boolean insecure,
        Optional<InetAddress> addressOverride, String server, int endpointPort, ProxyAuth auth, boolean expectContinue,
        Duration connectTimeout, Duration tlsTimeout, Duration httpTimeout, Duration openTimeout, Duration callTimeout,
        long receiveWindow, long inChannelLifetime, long inRecycleAfter, long clientKeepalive, Duration pingInterval,
        int maxFrag) {

    /** The path every client uses ([MS-RPCH] 2.2.2). */
    public static final String PATH = "/rpc/rpcproxy.dll";
    /** Content-Length of the IN channel request Windows, impacket, Samba and FreeRDP send: 1 GiB. */
    public static final long DEFAULT_IN_CHANNEL_LIFETIME = 0x4000_0000L;
    /** The client's receive window impacket and Windows advertise in CONN/A1: 256 KiB. */
    public static final long DEFAULT_RECEIVE_WINDOW = 0x40000L;
    /** Content-Length of a new OUT channel request: the size of CONN/A1. */
    public static final int OUT_CHANNEL_CONTENT_LENGTH = 76;
    /** Content-Length of a replacement OUT channel request: OUT_R1/A3 (96) + OUT_R2/C1 or OUT_R1/A11 (24). */
    public static final int OUT_CHANNEL_RECYCLE_CONTENT_LENGTH = 120;

    public RpchClientOptions {
        Objects.requireNonNull(proxyHost, "proxyHost");
        if (proxyPort < 1 || proxyPort > 65535) {
            throw new IllegalArgumentException("proxy port: " + proxyPort + " (expected: 1..65535)");
        }
        trust = List.copyOf(trust);
        Objects.requireNonNull(server, "server");
        if (server.isEmpty() || server.length() >= 1024) {
            throw new IllegalArgumentException("server: '" + server + "' (expected: 1..1023 characters)");
        }
        if (endpointPort < 1 || endpointPort > 65535) {
            throw new IllegalArgumentException("endpoint port: " + endpointPort + " (expected: 1..65535)");
        }
        Objects.requireNonNull(auth, "auth");
        if (receiveWindow < 0x2000 || receiveWindow > 0x40000) {
            throw new IllegalArgumentException("receive window: " + receiveWindow + " (expected: 8192..262144)");
        }
        if (inChannelLifetime < 0x20000 || inChannelLifetime > 0x8000_0000L) {
            throw new IllegalArgumentException("in channel lifetime: " + inChannelLifetime + " (expected: 128 KiB..2 GiB)");
        }
        if (inRecycleAfter <= 0 || inRecycleAfter > inChannelLifetime) {
            throw new IllegalArgumentException("in recycle after: " + inRecycleAfter + " (expected: 1.." + inChannelLifetime + ")");
        }
        if (maxFrag < 1432 || maxFrag > receiveWindow || maxFrag > 0xffff) {
            throw new IllegalArgumentException("max frag: " + maxFrag + " (expected: 1432..min(65535, receive window))");
        }
    }

    /** Defaults as Windows: TLS, the system's trust store, no authentication, 1 GiB IN channel, 256 KiB window, 5840-byte fragments. */
    public static Builder builder(String proxyHost, int proxyPort, String server, int endpointPort) {
        return new Builder(proxyHost, proxyPort, server, endpointPort);
    }

    /** {@code server:port}, the query of both channel requests. */
    public String query() {
        return server + ":" + endpointPort;
    }

    /** {@code /rpc/rpcproxy.dll?EX1:6001}. */
    public String requestTarget() {
        return PATH + "?" + query();
    }

    /** A copy with other settings. */
    public Builder toBuilder() {
        Builder b = new Builder(proxyHost, proxyPort, server, endpointPort);
        b.tls = tls;
        b.trust = trust;
        b.insecure = insecure;
        b.addressOverride = addressOverride;
        b.auth = auth;
        b.expectContinue = expectContinue;
        b.connectTimeout = connectTimeout;
        b.tlsTimeout = tlsTimeout;
        b.httpTimeout = httpTimeout;
        b.openTimeout = openTimeout;
        b.callTimeout = callTimeout;
        b.receiveWindow = receiveWindow;
        b.inChannelLifetime = inChannelLifetime;
        b.inRecycleAfter = inRecycleAfter;
        b.clientKeepalive = clientKeepalive;
        b.pingInterval = pingInterval;
        b.maxFrag = maxFrag;
        return b;
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private final String proxyHost;
        private final int proxyPort;
        private final String server;
        private final int endpointPort;
        private boolean tls = true;
        private List<Path> trust = List.of();
        private boolean insecure;
        private Optional<InetAddress> addressOverride = Optional.empty();
        private ProxyAuth auth = ProxyAuth.none();
        private boolean expectContinue;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration tlsTimeout = Duration.ofSeconds(10);
        private Duration httpTimeout = Duration.ofSeconds(15);
        private Duration openTimeout = Duration.ofSeconds(15);
        private Duration callTimeout = Duration.ofSeconds(30);
        private long receiveWindow = DEFAULT_RECEIVE_WINDOW;
        private long inChannelLifetime = DEFAULT_IN_CHANNEL_LIFETIME;
        private Long inRecycleAfter;
        private long clientKeepalive = 300_000;
        private Duration pingInterval = Duration.ZERO;
        private int maxFrag = 5840;

        private Builder(String proxyHost, int proxyPort, String server, int endpointPort) {
            this.proxyHost = proxyHost;
            this.proxyPort = proxyPort;
            this.server = server;
            this.endpointPort = endpointPort;
        }

        public Builder tls(boolean v) { tls = v; return this; }
        /** Trusts this PEM file's CAs besides the system's (replaces earlier files; null: the system's only). */
        public Builder trustPem(Path v) { trust = v == null ? List.of() : List.of(v); return this; }
        /** Trusts these PEM files' CAs besides the system's (replaces earlier files). */
        public Builder trust(List<Path> v) { trust = List.copyOf(v); return this; }
        public Builder insecure(boolean v) { insecure = v; return this; }
        public Builder addressOverride(InetAddress v) { addressOverride = Optional.ofNullable(v); return this; }
        public Builder auth(ProxyAuth v) { auth = v; return this; }
        public Builder expectContinue(boolean v) { expectContinue = v; return this; }
        public Builder connectTimeout(Duration v) { connectTimeout = v; return this; }
        public Builder tlsTimeout(Duration v) { tlsTimeout = v; return this; }
        public Builder httpTimeout(Duration v) { httpTimeout = v; return this; }
        public Builder openTimeout(Duration v) { openTimeout = v; return this; }
        public Builder callTimeout(Duration v) { callTimeout = v; return this; }
        public Builder receiveWindow(long v) { receiveWindow = v; return this; }
        public Builder inChannelLifetime(long v) { inChannelLifetime = v; return this; }
        public Builder inRecycleAfter(long v) { inRecycleAfter = v; return this; }
        public Builder clientKeepalive(long v) { clientKeepalive = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder maxFrag(int v) { maxFrag = v; return this; }

        /** Every step's timeout at once. */
        public Builder timeouts(Duration v) {
            connectTimeout = tlsTimeout = httpTimeout = openTimeout = callTimeout = v;
            return this;
        }

        public RpchClientOptions build() {
            // Recycle with room to spare: past the declared length an intermediary would see a new request.
            long recycle = inRecycleAfter != null ? inRecycleAfter : inChannelLifetime - 2 * receiveWindow;
            return new RpchClientOptions(proxyHost, proxyPort, tls, trust, insecure, addressOverride, server, endpointPort,
                    auth, expectContinue, connectTimeout, tlsTimeout, httpTimeout, openTimeout, callTimeout, receiveWindow,
                    inChannelLifetime, recycle, clientKeepalive, pingInterval, maxFrag);
        }
    }
}
