package dev.anywhere.bench.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * TLS bulk cost of the gateway's SslHandler, without sockets: a server SslHandler (the gateway's context,
 * {@link TlsMaterial#serverContext}) and a client SslHandler of the same provider, each in an
 * {@link EmbeddedChannel}, handshake once, then push {@code totalBytes} of application data in {@code writeBytes}
 * writes each way. Only the server side's work is timed, in thread CPU time: {@code encrypt} is the server's
 * {@code writeOutbound} (SslHandler wrap: plaintext in, TLS records out; the gateway to Outlook direction) and
 * {@code decrypt} the server's {@code writeInbound} (records in, plaintext out; Outlook to the gateway).
 *
 * <p>Writes are handed over in batches of {@code batchBytes}: with {@code flushEach} false the batch is flushed once
 * (SslHandler coalesces writes into records of up to 16 KiB), with true every write is flushed alone (one record per
 * write, as when each RPC PDU is flushed). One thread, so it prices CPU per byte, not a parallel throughput.
 */
public final class TlsRecordThroughput {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Server-side CPU nanoseconds per application byte, each direction. */
    public record Result(SslProvider provider, int writeBytes, boolean flushEach, long bytes, double encryptNsPerByte,
            double decryptNsPerByte) {

        public double encryptGBps() {
            return 1 / encryptNsPerByte;
        }

        public double decryptGBps() {
            return 1 / decryptNsPerByte;
        }

        /** CPU seconds per GiB relayed through the gateway's TLS side in one direction (average of both). */
        public double cpuSecondsPerGiB() {
            return (encryptNsPerByte + decryptNsPerByte) / 2 * (1L << 30) / 1e9;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-7s write %5d B%s: encrypt %.2f GB/s (%.3f ns/B), decrypt %.2f GB/s (%.3f ns/B), %.3f CPU s/GiB",
                    provider, writeBytes, flushEach ? " flush each" : "", encryptGBps(), encryptNsPerByte, decryptGBps(),
                    decryptNsPerByte, cpuSecondsPerGiB());
        }
    }

    private static final java.util.Map<List<Object>, SslContext> CONTEXTS = new java.util.concurrent.ConcurrentHashMap<>();

    private TlsRecordThroughput() {
    }

    private static SslContext context(TlsMaterial material, SslProvider provider, boolean server) {
        try {
            return server ? material.serverContext(provider) : material.clientContext(provider);
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Result measure(TlsMaterial material, SslProvider provider, int writeBytes, boolean flushEach, long totalBytes)
            throws SSLException {
        if (writeBytes < 1 || writeBytes > 1 << 20) {
            throw new IllegalArgumentException("writeBytes: " + writeBytes + " (expected: 1..1 MiB)");
        }
        SslContext serverContext = CONTEXTS.computeIfAbsent(List.of(material, provider, "server"), k -> context(material, provider, true));
        SslContext clientContext = CONTEXTS.computeIfAbsent(List.of(material, provider, "client"), k -> context(material, provider, false));
        EmbeddedChannel server = new EmbeddedChannel();
        EmbeddedChannel client = new EmbeddedChannel();
        try {
            SslHandler serverSsl = serverContext.newHandler(server.alloc());
            SslHandler clientSsl = TlsMaterial.clientHandler(clientContext, client.alloc());
            server.pipeline().addLast(serverSsl);
            client.pipeline().addLast(clientSsl);
            for (int i = 0; i < 100 && !(serverSsl.handshakeFuture().isDone() && clientSsl.handshakeFuture().isDone()); i++) {
                shuttle(client, server);
                shuttle(server, client);
                server.runPendingTasks();
                client.runPendingTasks();
            }
            if (!serverSsl.handshakeFuture().isSuccess() || !clientSsl.handshakeFuture().isSuccess()) {
                throw new SSLException("embedded handshake failed: server " + serverSsl.handshakeFuture().cause() + ", client "
                        + clientSsl.handshakeFuture().cause());
            }
            // the JDK server's NewSessionTicket and similar post-handshake records
            shuttle(server, client);
            drainInbound(client);

            byte[] payload = new byte[writeBytes];
            new java.util.Random(1).nextBytes(payload);
            int perBatch = Math.max(1, (1 << 20) / writeBytes);
            long encryptNanos = 0;
            long decryptNanos = 0;
            long done = 0;
            List<ByteBuf> batch = new ArrayList<>(perBatch);
            while (done < totalBytes) {
                // server -> client: time the server's wrap
                fill(batch, server.alloc(), payload, perBatch);
                long t0 = THREADS.getCurrentThreadCpuTime();
                write(server, batch, flushEach);
                encryptNanos += THREADS.getCurrentThreadCpuTime() - t0;
                shuttle(server, client);
                drainInbound(client);
                // client -> server: time the server's unwrap
                fill(batch, client.alloc(), payload, perBatch);
                write(client, batch, flushEach);
                List<Object> records = new ArrayList<>();
                for (Object o; (o = client.readOutbound()) != null; ) {
                    records.add(o);
                }
                long t1 = THREADS.getCurrentThreadCpuTime();
                server.writeInbound(records.toArray());
                decryptNanos += THREADS.getCurrentThreadCpuTime() - t1;
                drainInbound(server);
                done += (long) perBatch * writeBytes;
            }
            return new Result(provider, writeBytes, flushEach, done, encryptNanos / (double) done, decryptNanos / (double) done);
        } finally {
            server.finishAndReleaseAll();
            client.finishAndReleaseAll();
        }
    }

    /**
     * Server-side CPU per full handshake in an EmbeddedChannel pair (no sockets, no event loop, one thread): the
     * server SslHandler's work only (its writeInbound calls, which answer the ClientHello with ServerHello through
     * Finished, and take the client's Finished), in thread CPU nanoseconds, median over {@code handshakes} fresh
     * engine pairs. Client: same provider, pinned certificate, no resumption.
     */
    public static double serverHandshakeMicros(TlsMaterial material, SslProvider provider, int handshakes) throws SSLException {
        SslContext serverContext = CONTEXTS.computeIfAbsent(List.of(material, provider, "server"), k -> context(material, provider, true));
        SslContext clientContext = CONTEXTS.computeIfAbsent(List.of(material, provider, "pinned-client"), k -> {
            try {
                return material.clientContext(provider, new java.util.concurrent.atomic.LongAdder(), true);
            } catch (SSLException e) {
                throw new IllegalStateException(e);
            }
        });
        long[] nanos = new long[handshakes];
        for (int i = 0; i < handshakes; i++) {
            EmbeddedChannel server = new EmbeddedChannel();
            EmbeddedChannel client = new EmbeddedChannel();
            try {
                SslHandler serverSsl = serverContext.newHandler(server.alloc());
                SslHandler clientSsl = TlsMaterial.clientHandler(clientContext, client.alloc());
                long cpu = THREADS.getCurrentThreadCpuTime();
                server.pipeline().addLast(serverSsl);
                cpu = THREADS.getCurrentThreadCpuTime() - cpu;
                client.pipeline().addLast(clientSsl);
                for (int r = 0; r < 20 && !(serverSsl.handshakeFuture().isDone() && clientSsl.handshakeFuture().isDone()); r++) {
                    List<Object> toServer = new ArrayList<>();
                    for (Object o; (o = client.readOutbound()) != null; ) {
                        toServer.add(o);
                    }
                    long t = THREADS.getCurrentThreadCpuTime();
                    if (!toServer.isEmpty()) {
                        server.writeInbound(toServer.toArray());
                    }
                    server.runPendingTasks();
                    cpu += THREADS.getCurrentThreadCpuTime() - t;
                    shuttle(server, client);
                    client.runPendingTasks();
                }
                if (!serverSsl.handshakeFuture().isSuccess() || !clientSsl.handshakeFuture().isSuccess()) {
                    throw new SSLException("embedded handshake failed: server " + serverSsl.handshakeFuture().cause() + ", client "
                            + clientSsl.handshakeFuture().cause());
                }
                nanos[i] = cpu;
            } finally {
                server.finishAndReleaseAll();
                client.finishAndReleaseAll();
            }
        }
        java.util.Arrays.sort(nanos);
        return nanos[handshakes / 2] / 1000.0;
    }

    private static void fill(List<ByteBuf> batch, ByteBufAllocator alloc, byte[] payload, int n) {
        batch.clear();
        for (int i = 0; i < n; i++) {
            ByteBuf b = alloc.directBuffer(payload.length);
            b.writeBytes(payload);
            batch.add(b);
        }
    }

    private static void write(EmbeddedChannel ch, List<ByteBuf> batch, boolean flushEach) {
        if (flushEach) {
            for (ByteBuf b : batch) {
                ch.writeAndFlush(b);
            }
        } else {
            for (ByteBuf b : batch) {
                ch.write(b);
            }
            ch.flush();
        }
        ch.checkException();
    }

    private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        for (Object o; (o = from.readOutbound()) != null; ) {
            to.writeInbound(o);
        }
    }

    private static void drainInbound(EmbeddedChannel ch) {
        for (Object o; (o = ch.readInbound()) != null; ) {
            io.netty.util.ReferenceCountUtil.release(o);
        }
    }
}
