package dev.anywhere.bench.load;

import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.Fragmenter;
import dev.anywhere.rpc.dce.PduType;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchFrameDecoder;
import dev.anywhere.server.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The direct arm: plain DCE/RPC over TCP (ncacn_ip_tcp) to the endpoints, no HTTP and no proxy. Bind, then requests
 * fragmented at the negotiated size; responses counted by call_id. All state lives on the channel's event loop. Its
 * per-call path is as lean as the RPC over HTTP load client's ({@code LeanVirtualConnection}): requests written with
 * {@link RequestFragment} into one buffer, responses read in place from the frame's header; only the bind family and
 * faults are decoded into a {@link DcePdu}; on the same transport and number of event loops ({@link ClientTransport}),
 * and with one flush per batch of calls. A heavier reference client would flatter every relay's ratio to it.
 */
public final class DirectConnection implements LoadConnection {

    static final int MAX_FRAG = 5840;

    private final Channel channel;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private CompletableFuture<DcePdu> bindAck;
    private int nextCallId = 2;
    private int xmitFrag = MAX_FRAG;
    /**
     * A flush task is queued behind the calls written since the last one. The calls a batch of responses releases are
     * queued as tasks while that batch is read, so they all run before the flush: one system call per batch, as the
     * RPC over HTTP load client writes, instead of one (or two, when the socket buffer fills) per call.
     */
    private boolean flushQueued;
    private long flushes;
    private final Runnable flush = this::flushBatch;

    private static final class Pending {
        final CompletableFuture<Integer> future;
        int received;

        Pending(CompletableFuture<Integer> future) {
            this.future = future;
        }
    }

    private DirectConnection(Channel channel) {
        this.channel = channel;
    }

    /** Connects from {@code local} (any port) to {@code backend}, binds {@code iface} as context 0. */
    public static DirectConnection open(EventLoopGroup group, NettyTransport transport, InetSocketAddress backend,
            InetAddress local, SyntaxId iface, Duration timeout) throws IOException {
        DirectConnection[] holder = new DirectConnection[1];
        Bootstrap b = new Bootstrap().group(group).channel(transport.socketChannel()).option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new RpchFrameDecoder(), new SimpleChannelInboundHandler<Object>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof RpcPduFrame f) {
                                    holder[0].onFrame(f.content());
                                }
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                holder[0].failAll(new IOException("ncacn_ip_tcp connection closed"));
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                holder[0].failAll(cause);
                                ctx.close();
                            }
                        });
                    }
                });
        io.netty.channel.ChannelFuture cf = b.connect(backend, new InetSocketAddress(local, 0));
        if (!cf.awaitUninterruptibly(timeout.toMillis()) || !cf.isSuccess()) {
            cf.channel().close();
            throw new IOException("ncacn_ip_tcp connect to " + backend + " from " + local + ": "
                    + (cf.cause() == null ? "timed out" : cf.cause().getMessage()), cf.cause());
        }
        DirectConnection c = new DirectConnection(cf.channel());
        holder[0] = c;
        CompletableFuture<DcePdu> ack = new CompletableFuture<>();
        c.channel.eventLoop().execute(() -> {
            c.bindAck = ack;
            DcePdu.Bind bind = new DcePdu.Bind(1, MAX_FRAG, MAX_FRAG, 0, List.of(new PresentationContext(0, iface, List.of(SyntaxId.NDR))));
            c.channel.writeAndFlush(DceCodec.encode(bind, ByteBufAllocator.DEFAULT));
        });
        try {
            DcePdu answer = ack.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!(answer instanceof DcePdu.BindAck a) || a.results().isEmpty() || a.results().get(0).result() != dev.anywhere.rpc.dce.ContextResult.Result.ACCEPTANCE) {
                throw new IOException("ncacn_ip_tcp bind: " + answer + " (expected: bind_ack accepting context 0)");
            }
            c.xmitFrag = Math.max(Fragmenter.MIN_FRAG, Math.min(MAX_FRAG, a.maxRecvFrag()));
        } catch (IOException e) {
            c.close();
            throw e;
        } catch (Exception e) {
            c.close();
            throw new IOException("ncacn_ip_tcp bind: " + e, e);
        }
        return c;
    }

    /** A response fragment without auth verifier is counted from its header; anything else is decoded. */
    private void onFrame(ByteBuf frame) {
        int off = frame.readerIndex();
        int fragLength = frame.readableBytes();
        if (frame.getUnsignedByte(off + 2) == PduType.RESPONSE.value() && frame.getUnsignedShortLE(off + 10) == 0
                && fragLength >= RequestFragment.HEADER && bindAck != null && bindAck.isDone()) {
            int flags = frame.getUnsignedByte(off + 3);
            int callId = frame.getIntLE(off + 12);
            Pending p = pending.get(callId);
            if (p == null) {
                return;
            }
            p.received += fragLength - RequestFragment.HEADER;
            if ((flags & PfcFlag.LAST_FRAG.bit()) != 0) {
                pending.remove(callId);
                p.future.complete(p.received);
            }
            return;
        }
        onPdu(DceCodec.decode(frame));
    }

    private void onPdu(DcePdu pdu) {
        if (bindAck != null && !bindAck.isDone()) {
            bindAck.complete(pdu);
            return;
        }
        if (pdu instanceof DcePdu.Response r) {
            Pending p = pending.get(r.callId());
            if (p == null) {
                return;
            }
            p.received += r.stub().length();
            if (r.flags().contains(PfcFlag.LAST_FRAG)) {
                pending.remove(r.callId());
                p.future.complete(p.received);
            }
        } else if (pdu instanceof DcePdu.Fault f) {
            Pending p = pending.remove(f.callId());
            if (p != null) {
                p.future.completeExceptionally(new IOException("fault " + f.status()));
            }
        }
    }

    private void failAll(Throwable cause) {
        if (bindAck != null) {
            bindAck.completeExceptionally(cause);
        }
        for (Pending p : pending.values()) {
            p.future.completeExceptionally(cause);
        }
        pending.clear();
    }

    @Override
    public CompletableFuture<Integer> echo(byte[] stub) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                f.completeExceptionally(new IOException("ncacn_ip_tcp connection closed"));
                return;
            }
            int callId = nextCallId++;
            pending.put(callId, new Pending(f));
            ByteBuf out = channel.alloc().directBuffer(RequestFragment.encodedLength(stub.length, xmitFrag));
            int chunkMax = xmitFrag - RequestFragment.HEADER;
            int offset = 0;
            do {
                int chunk = Math.min(stub.length - offset, chunkMax);
                RequestFragment.write(out, callId, 0, 0, stub, offset, chunk);
                offset += chunk;
            } while (offset < stub.length);
            channel.write(out, channel.voidPromise());
            if (!flushQueued) {
                flushQueued = true;
                channel.eventLoop().execute(flush);
            }
        });
        return f;
    }

    private void flushBatch() {
        flushQueued = false;
        flushes++;
        channel.flush();
    }

    /** Flushes so far (read on the event loop, or after the calls completed): what the batching test counts. */
    long flushes() {
        return flushes;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2000);
    }
}
