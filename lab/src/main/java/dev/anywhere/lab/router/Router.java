package dev.anywhere.lab.router;

import dev.anywhere.lab.pki.IssuedCertificate;
import dev.anywhere.server.net.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's internet router on its public address (127.0.0.20 in the lab): one listener per port forwarding rule.
 * {@link RouterRule.Action#FORWARD} relays TCP intact both ways (DNAT, no TLS termination, no HTTP awareness);
 * {@link RouterRule.Action#ABSENT} listens on nothing; {@link RouterRule.Action#ROUTER_PAGE} answers with the
 * router's own login page, over TLS with the router's self-signed certificate on every port but 80.
 *
 * <pre>{@code
 * try (Router router = Router.start(InetAddress.getByName("127.0.0.20"),
 *         List.of(RouterRule.forward(443, new InetSocketAddress("127.0.100.251", 443))), Optional.empty())) {
 *     ...
 * }
 * }</pre>
 */
public final class Router implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final InetAddress publicAddress;
    private final NettyTransport transport;
    private final EventLoopGroup group;
    private final Map<RouterRule, Channel> listeners = new LinkedHashMap<>();
    private final List<RouterRule> rules;
    private final AtomicLong relayedBytes = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    private Router(InetAddress publicAddress, List<RouterRule> rules) {
        this.publicAddress = publicAddress;
        this.rules = List.copyOf(rules);
        this.transport = NettyTransport.configured();
        this.group = transport.newGroup(0);
    }

    /**
     * Starts listening on {@code publicAddress} for every rule but the absent ones.
     *
     * @param pageCertificate the router's own certificate for {@link RouterRule.Action#ROUTER_PAGE} over TLS
     *     (required when such a rule exists on a port other than the HTTP one)
     * @param httpPort the port whose router page is plain HTTP (80, or 80 shifted by the port policy)
     * @throws UncheckedIOException if a port cannot be bound
     */
    public static Router start(InetAddress publicAddress, List<RouterRule> rules, Optional<IssuedCertificate> pageCertificate,
            int httpPort) {
        Objects.requireNonNull(publicAddress, "publicAddress");
        Router router = new Router(publicAddress, rules);
        try {
            SslContext pageTls = null;
            for (RouterRule rule : rules) {
                if (rule.action() == RouterRule.Action.ABSENT) {
                    continue;
                }
                SslContext tls = null;
                if (rule.action() == RouterRule.Action.ROUTER_PAGE && rule.publicPort() != httpPort) {
                    if (pageTls == null) {
                        pageTls = pageContext(pageCertificate.orElseThrow(() -> new IllegalArgumentException(
                                "router rule " + rule.publicPort() + ": router page over TLS without a certificate "
                                        + "(expected: the router's own certificate)")));
                    }
                    tls = pageTls;
                }
                router.listen(rule, tls);
            }
            return router;
        } catch (RuntimeException e) {
            router.close();
            throw e;
        }
    }

    private static SslContext pageContext(IssuedCertificate certificate) {
        try {
            return SslContextBuilder.forServer(certificate.privateKey(), certificate.chain().toArray(X509Certificate[]::new))
                    .sslProvider(io.netty.handler.ssl.SslProvider.JDK).build(); // a router's page: no need for BoringSSL
        } catch (SSLException e) {
            throw new IllegalStateException("router page tls: " + e.getMessage(), e);
        }
    }

    private void listen(RouterRule rule, SslContext pageTls) {
        InetSocketAddress address = new InetSocketAddress(publicAddress, rule.publicPort());
        ServerBootstrap b = new ServerBootstrap().group(group).channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        if (rule.action() == RouterRule.Action.FORWARD) {
                            ch.config().setAutoRead(false);
                            ch.pipeline().addLast(new TcpRelayHandler(rule.target().get(), relayedBytes));
                        } else {
                            if (pageTls != null) {
                                ch.pipeline().addLast(pageTls.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(new ReadTimeoutHandler(30, TimeUnit.SECONDS), new HttpServerCodec(),
                                    new RouterPageHandler());
                        }
                    }
                });
        var future = b.bind(address).awaitUninterruptibly();
        if (!future.isSuccess()) {
            throw new UncheckedIOException("router bind: " + address + ": " + future.cause().getMessage()
                    + " (expected: a free port this process may bind)", new java.io.IOException(future.cause()));
        }
        listeners.put(rule, future.channel());
        log.info("router {}: {}", publicAddress.getHostAddress(), rule);
    }

    /** The name on the router's own certificate, as home routers name themselves. */
    public static final String PAGE_NAME = "router.lan";

    /** The router's own certificate: self-signed, {@value #PAGE_NAME}, from the lab PKI's fault catalogue. */
    public static IssuedCertificate selfSignedPageCertificate(dev.anywhere.lab.pki.CertificateAuthority ca) {
        return ca.issueServerCertificate(dev.anywhere.lab.pki.CertificateRequest.builder(PAGE_NAME)
                .faults(dev.anywhere.lab.pki.CertificateFault.SELF_SIGNED).build());
    }

    /** The router's public address. */
    public InetAddress publicAddress() {
        return publicAddress;
    }

    /** The rules as configured, absent ones included. */
    public List<RouterRule> rules() {
        return rules;
    }

    /** The bound address of the listener for {@code publicPort}, empty for an absent rule. */
    public Optional<InetSocketAddress> listening(int publicPort) {
        return listeners.entrySet().stream().filter(e -> e.getKey().publicPort() == publicPort).findFirst()
                .map(e -> (InetSocketAddress) e.getValue().localAddress());
    }

    /** Bytes relayed so far, both directions together. */
    public long relayedBytes() {
        return relayedBytes.get();
    }

    /** Connections accepted so far, all rules together. */
    public long connections() {
        return connections.get();
    }

    /** Closes every listener and relayed connection and stops the event loops; waits for them. */
    @Override
    public void close() {
        List<Channel> all = new ArrayList<>(listeners.values());
        all.forEach(c -> c.close().awaitUninterruptibly());
        listeners.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Override
    public String toString() {
        return "Router[" + publicAddress.getHostAddress() + " " + rules + "]";
    }
}
