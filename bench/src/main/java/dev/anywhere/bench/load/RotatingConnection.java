package dev.anywhere.bench.load;

import dev.anywhere.bench.load.vc.LeanClient;
import dev.anywhere.bench.load.vc.LeanVirtualConnection;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The RPC over HTTP arms' load connection: a {@link LeanVirtualConnection}, replaced by a fresh one before either of its
 * channels nears its 1 GiB lifetime, because the lean client does not recycle channels and a bulk phase at loopback
 * speed moves several GiB. The replacement is opened in the background once {@value #ROTATE_AFTER_MIB} MiB have gone
 * one way; calls move to it when it is ready, and the old virtual connection stays open (idle) until {@link #close()},
 * so that no call in flight is cut off. Recycling itself is measured separately ({@link RecyclingRun}).
 */
final class RotatingConnection implements LoadConnection {

    static final long ROTATE_AFTER_MIB = 512;

    private final long rotateAfter;
    private final LeanClient client;
    private final InetAddress source;
    private final List<LeanVirtualConnection> all = new CopyOnWriteArrayList<>();
    private final AtomicBoolean replacing = new AtomicBoolean();
    private volatile LeanVirtualConnection current;

    private RotatingConnection(LeanClient client, InetAddress source, LeanVirtualConnection first, long rotateAfter) {
        this.rotateAfter = rotateAfter;
        this.client = client;
        this.source = source;
        this.current = first;
        all.add(first);
    }

    /** Opens the first virtual connection (CONN/A1..C2 and bind) from {@code source}. */
    static RotatingConnection open(LeanClient client, InetAddress source, Duration timeout) throws Exception {
        return open(client, source, timeout, ROTATE_AFTER_MIB << 20);
    }

    /** As above, replacing after {@code rotateAfter} bytes one way (tests use little). */
    static RotatingConnection open(LeanClient client, InetAddress source, Duration timeout, long rotateAfter) throws Exception {
        return new RotatingConnection(client, source, client.open(source).get(timeout.toMillis(), TimeUnit.MILLISECONDS), rotateAfter);
    }

    @Override
    public CompletableFuture<Integer> echo(byte[] stub) {
        LeanVirtualConnection vc = current;
        if (Math.max(vc.rpcBytesSent(), vc.rpcBytesReceived()) > rotateAfter && replacing.compareAndSet(false, true)) {
            client.open(source).whenComplete((next, e) -> {
                if (next != null) {
                    all.add(next);
                    current = next;
                }
                replacing.set(false); // after a failure the next call tries again; the old one still has headroom
            });
        }
        return vc.echo(stub);
    }

    /** How many virtual connections this one has used so far. */
    int generations() {
        return all.size();
    }

    @Override
    public void close() {
        for (LeanVirtualConnection vc : all) {
            vc.close();
        }
    }
}
