package dev.anywhere.bench.load;

import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.RpchFailure;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.analyzer.rpch.VirtualConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The analyzer's {@link VirtualConnection} (IN and OUT channel, CONN/A1..C2, bind) as a load connection, in plain HTTP
 * with Basic authentication: the baseline the lean client is measured against (LeanVsHttpConnectionMeasure). The arms
 * use the lean client ({@link RotatingConnection}).
 */
public final class HttpConnection implements LoadConnection {

    private final VirtualConnection vc;
    private final int contextId;

    private HttpConnection(VirtualConnection vc, int contextId) {
        this.vc = vc;
        this.contextId = contextId;
    }

    /** Opens a virtual connection through {@code proxy} to the endpoints' {@code endpointPort} and binds the echo interface. */
    public static HttpConnection open(InetSocketAddress proxy, int endpointPort, Duration timeout) throws Exception {
        RpchClientOptions o = RpchClientOptions.builder(Topology.PROXY_HOST, proxy.getPort(), Topology.SERVER, endpointPort)
                .tls(false).addressOverride(proxy.getAddress()).timeouts(timeout).callTimeout(timeout)
                .auth(new ProxyAuth.Basic(Topology.USER, Topology.PASSWORD)).build();
        VirtualConnection vc = VirtualConnection.open(o, Transcript.off());
        try {
            int ctx = vc.bind(Topology.ECHO_IFACE).get(timeout.toMillis(), TimeUnit.MILLISECONDS).contextId();
            return new HttpConnection(vc, ctx);
        } catch (Exception e) {
            vc.close();
            throw e;
        }
    }

    @Override
    public CompletableFuture<Integer> echo(byte[] stub) {
        return vc.call(contextId, 0, Unpooled.wrappedBuffer(stub)).thenApply(HttpConnection::lengthAndRelease);
    }

    private static int lengthAndRelease(ByteBuf b) {
        int n = b.readableBytes();
        b.release();
        return n;
    }

    @Override
    public void close() {
        vc.close();
    }

    /** For error messages. */
    static String describe(Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof RpchFailure f ? f.kind() + ": " + f.getMessage() : c.toString();
    }
}
