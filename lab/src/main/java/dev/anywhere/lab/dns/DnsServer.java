package dev.anywhere.lab.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An authoritative DNS server on one address and port, UDP and TCP alike (RFC 1035 4.2), such as the lab's provider
 * DNS at 127.0.0.10:53 or DC1's internal DNS at 127.0.100.250:53.
 *
 * <pre>{@code
 * try (DnsServer dns = DnsServer.start(new InetSocketAddress("127.0.0.10", 0), LabZones.provider())) {
 *     int port = dns.port();
 *     dns.replaceZones(LabZones.provider(LabZones.PublicZoneOptions.DEFAULT, DnsFault.MISSING_OA));
 * }
 * }</pre>
 *
 * <p>The server is meant for loopback addresses; it answers anyone who can reach it, authoritative data only.
 */
public final class DnsServer implements AutoCloseable {

    /** TCP connections with no query for this long are closed (RFC 7766 6.2.3 suggests seconds). */
    public static final Duration TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(DnsServer.class);
    private static final int BIND_ATTEMPTS = 5;

    private final EventLoopGroup group;
    private final Channel udp;
    private final Channel tcp;
    private final DnsResponder responder;
    private final InetSocketAddress address;
    private volatile boolean closing;

    private DnsServer(EventLoopGroup group, Channel udp, Channel tcp, DnsResponder responder) {
        this.group = group;
        this.udp = udp;
        this.tcp = tcp;
        this.responder = responder;
        this.address = (InetSocketAddress) tcp.localAddress();
        // a socket closed by an error rather than by close() would silently stop that half of the service: say so
        udp.closeFuture().addListener(f -> warnIfUnexpected("udp"));
        tcp.closeFuture().addListener(f -> warnIfUnexpected("tcp"));
    }

    private void warnIfUnexpected(String protocol) {
        if (!closing) {
            log.error("dns server on {}: {} socket closed unexpectedly (expected: open until close())", address,
                    protocol);
        }
    }

    /**
     * Binds UDP and TCP on {@code address} and starts answering from {@code zones}. With port 0 an ephemeral port is
     * chosen that is free for both protocols.
     *
     * @throws UncheckedIOException if the address cannot be bound, e.g. port 53 without {@code CAP_NET_BIND_SERVICE}
     */
    public static DnsServer start(InetSocketAddress address, ZoneSet zones) {
        Objects.requireNonNull(address, "address");
        DnsResponder responder = new DnsResponder(zones);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            IOException last = null;
            int attempts = address.getPort() == 0 ? BIND_ATTEMPTS : 1;
            for (int i = 0; i < attempts; i++) {
                Channel tcp = bind(new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                initTcp(ch.pipeline(), responder, TCP_IDLE_TIMEOUT);
                            }
                        }).bind(address), address, "tcp");
                InetSocketAddress bound = (InetSocketAddress) tcp.localAddress();
                try {
                    Channel udp = bind(new Bootstrap().group(group).channel(NioDatagramChannel.class)
                            .handler(new DatagramDnsQueryHandler(responder)).bind(bound), bound, "udp");
                    log.info("dns server on {} (udp+tcp), zones {}", bound, zones);
                    return new DnsServer(group, udp, tcp, responder);
                } catch (UncheckedIOException e) {
                    tcp.close().awaitUninterruptibly();
                    last = e.getCause();
                }
            }
            throw new UncheckedIOException("dns server bind: " + address + " udp: " + last.getMessage()
                    + " (expected: a free port)", last);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    /** The TCP pipeline: RFC 1035 4.2.2 framing (a two-byte length, then the message) and the query handler. */
    static void initTcp(ChannelPipeline pipeline, DnsResponder responder, Duration idleTimeout) {
        pipeline.addLast(
                new LengthFieldBasedFrameDecoder(0xFFFF + 2, 0, 2, 0, 2),
                new LengthFieldPrepender(2),
                new TcpDnsQueryHandler(responder, idleTimeout));
    }

    private static Channel bind(ChannelFuture future, InetSocketAddress address, String protocol) {
        future.awaitUninterruptibly();
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            IOException io = cause instanceof IOException ioe ? ioe : new IOException(cause);
            throw new UncheckedIOException("dns server bind: " + protocol + " " + address + ": " + cause.getMessage()
                    + " (expected: a free port this process may bind)", io);
        }
        return future.channel();
    }

    /** The bound address, with the actual port. */
    public InetSocketAddress address() {
        return address;
    }

    /** The bound port, UDP and TCP. */
    public int port() {
        return address.getPort();
    }

    /** The zones served now. */
    public ZoneSet zones() {
        return responder.zones();
    }

    /** Serves {@code zones} from the next query on (an atomic swap; no query sees a mix). */
    public void replaceZones(ZoneSet zones) {
        responder.replaceZones(zones);
        log.info("dns server on {}: zones now {}", address, zones);
    }

    /** Closes both sockets and stops the event loop; waits for it. */
    @Override
    public void close() {
        closing = true;
        udp.close().awaitUninterruptibly();
        tcp.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Override
    public String toString() {
        return "DnsServer[" + address + "]";
    }
}
