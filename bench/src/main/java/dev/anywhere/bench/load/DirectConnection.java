package dev.anywhere.bench.load;

import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.Fragmenter;
import dev.anywhere.rpc.dce.Octets;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchFrameDecoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
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
 * fragmented at the negotiated size; responses reassembled by call_id. All state lives on the channel's event loop.
 */
public final class DirectConnection implements LoadConnection {

    static final int MAX_FRAG = 5840;

    private final Channel channel;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private CompletableFuture<DcePdu> bindAck;
    private int nextCallId = 2;
    private int xmitFrag = MAX_FRAG;

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
    public static DirectConnection open(EventLoopGroup group, InetSocketAddress backend, InetAddress local, SyntaxId iface,
            Duration timeout) throws IOException {
        DirectConnection[] holder = new DirectConnection[1];
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new RpchFrameDecoder(), new SimpleChannelInboundHandler<Object>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof RpcPduFrame f) {
                                    holder[0].onPdu(DceCodec.decode(f.content()));
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
        Octets s = Octets.of(stub);
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                f.completeExceptionally(new IOException("ncacn_ip_tcp connection closed"));
                return;
            }
            int callId = nextCallId++;
            pending.put(callId, new Pending(f));
            for (DcePdu.CallFragment frag : Fragmenter.fragment(new DcePdu.Request(callId, 0, 0, s), xmitFrag)) {
                channel.write(DceCodec.encode(frag, channel.alloc()));
            }
            channel.flush();
        });
        return f;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2000);
    }
}
