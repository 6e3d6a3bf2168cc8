package dev.anywhere.server.gateway.rpch;

import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.rpch.RpcPduFrame;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import dev.anywhere.rpc.rpch.RpchPdu;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.server.gateway.BackendResolver;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the inbound and outbound proxy share: one client HTTP connection, one server TCP leg on the same event loop,
 * the body framer, timers, and closing both sides together. Everything runs on the client channel's event loop.
 */
public abstract class ProxyChannel implements TickSweeper.Tickable {

    /** RPC_S_SERVER_UNAVAILABLE. */
    static final int RPC_S_SERVER_UNAVAILABLE = DceStatus.RPC_S_SERVER_UNAVAILABLE.code();
    /** The answer to a channel whose virtual connection belongs to another account. */
    static final int ERROR_ACCESS_DENIED = DceStatus.ACCESS_DENIED.code();
    /** The answer when the owner table has no room for another virtual connection. */
    static final int RPC_S_SERVER_TOO_BUSY = DceStatus.RPC_S_SERVER_TOO_BUSY.code();

    /** The authenticated account a channel runs for, and the table binding virtual connections to accounts. */
    record Owner(String account, VirtualConnectionOwners table) {
    }

    private static final Logger log = LoggerFactory.getLogger(ProxyChannel.class);

    /**
     * When a proxied connection's unsent bytes pause the other side (Netty's writability): between one and two of the
     * largest receive windows [MS-RPCH] 2.2.3.5.1 allows. Flow control already bounds what is written to a peer's
     * window, so Netty's default marks (32/64 KiB) only turned reading off and on again, two epoll_ctl calls and an
     * event-loop pass each time, several times per window (JFR, docs/performance.md); memory stays bounded by the
     * windows as before.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 512 * 1024);

    /**
     * The longest a closing channel waits for what must reach its client first: an OUT channel for its last writes, an
     * IN channel whose server leg closed for the OUT channel's close (InboundProxy#closeClient).
     */
    static final long CLOSE_LINGER_MILLIS = 2000;

    final ClientLeg client;
    final Owner owner;
    final Channel clientChannel;
    final String server;
    final int port;
    final ProxySettings settings;
    final BackendResolver resolver;
    final ProxyMetrics metrics;
    final PduFramer framer;
    Channel backend;
    /** An HTTP response (other than 100 Continue) went to the client: errors can only close from now on. */
    boolean responded;
    boolean closed;
    /** The first PDU was accepted: from now on a protocol error closes without a response. */
    boolean firstPduAccepted;
    /** The virtual connection cookie this channel holds in the owner table, once claimed. */
    private UUID claimed;
    /** The client connection is closed by the write of an error response. */
    private boolean clientClosing;
    /** The server closed its leg (the virtual connection ended there), rather than this side closing. */
    boolean serverEnded;
    long lastClientTraffic = System.nanoTime();
    long lastServerTraffic = System.nanoTime();
    private ScheduledFuture<?> handshakeTimer;
    /** The period of {@link #tick()} (half the shorter of keep-alive and idle timeout); ticked by {@link TickSweeper}. */
    private final long tickMillis;
    /** Inside a channelRead of either leg: flushes wait for the end of the read batch. */
    private boolean reading;
    /** Written during a read batch and not flushed yet. */
    private boolean clientUnflushed;
    private boolean backendUnflushed;
    /** A backstop flush task is queued (if a read batch ever ended without channelReadComplete). */
    private boolean flushTaskQueued;
    private final Runnable flushTask = () -> {
        flushTaskQueued = false;
        flushPending();
    };

    ProxyChannel(ClientLeg client, Owner owner, String server, int port, ProxySettings settings, BackendResolver resolver,
            ProxyMetrics metrics) {
        this.client = client;
        this.owner = owner;
        this.clientChannel = client.channel();
        this.server = server;
        this.port = port;
        this.settings = settings;
        this.resolver = resolver;
        this.metrics = metrics;
        this.framer = new PduFramer(clientChannel.alloc(), settings.maxFragLength());
        clientChannel.config().setWriteBufferWaterMark(WATER_MARK);
        clientChannel.closeFuture().addListener(f -> clientChannel.eventLoop().execute(() -> close("client closed")));
        clientChannel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                clientWritabilityChanged();
                ctx.fireChannelWritabilityChanged();
            }
        });
        handshakeTimer = clientChannel.eventLoop().schedule(() -> {
            if (!opened()) {
                fail("handshake_timeout", "no complete handshake within " + settings.handshakeTimeout().toMillis() + " ms");
            }
        }, settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        tickMillis = Math.max(10, Math.min(settings.keepAlive().toMillis(), settings.idleTimeout().toMillis()) / 2);
        TickSweeper.add(clientChannel.eventLoop(), tickMillis, this);
    }

    /** Whether the handshake is over and PDUs are relayed. */
    abstract boolean opened();

    /** One PDU from the request body: an {@link RtsMessage} or an {@link RpcPduFrame} (owned by the callee). */
    abstract void fromClient(RpchPdu pdu);

    /** One PDU from the server leg (owned by the callee). */
    abstract void fromServer(RpchPdu pdu);

    /** The server leg is up and past its banner. */
    abstract void connected();

    /** Periodic: keep-alive pings, idle handling. */
    @Override
    public void tick() {
        long idle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivity());
        if (opened() && idle >= settings.idleTimeout().toMillis()) {
            metrics.failure("idle_timeout");
            close("idle for " + idle + " ms");
        }
    }

    /** When the channel last showed that its peer is alive (System.nanoTime()); idle time counts from here. */
    abstract long lastActivity();

    abstract void clientWritabilityChanged();

    abstract void serverWritabilityChanged();

    /** A chunk of the request body (released by the caller). */
    public final void content(ByteBuf chunk) {
        if (closed) {
            return;
        }
        lastClientTraffic = System.nanoTime();
        reading = true;
        try {
            framer.feed(chunk, pdu -> {
                if (closed) {
                    ReferenceCountUtil.release(pdu);
                } else {
                    fromClient(pdu);
                }
            });
        } catch (RpchProtocolException e) {
            protocolError("client", e.getMessage());
        } finally {
            reading = false;
        }
    }

    /** The client's read batch ended: what its PDUs caused goes out now, in one write per leg. */
    public final void readComplete() {
        flushPending();
    }

    /**
     * Flushes the server leg now, or, inside a read, at the end of the read batch: a read of many PDUs costs one
     * writev instead of one per PDU. Nothing waits past the batch; flow-control state is already up to date.
     */
    final void flushBackend() {
        if (reading) {
            backendUnflushed = true;
            queueFlushTask();
        } else {
            backend.flush();
        }
    }

    /** Like {@link #flushBackend()} for the client connection. */
    final void flushClient() {
        if (reading) {
            clientUnflushed = true;
            queueFlushTask();
        } else {
            clientChannel.flush();
        }
    }

    private void queueFlushTask() {
        if (!flushTaskQueued) {
            flushTaskQueued = true;
            try {
                clientChannel.eventLoop().execute(flushTask);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                flushTaskQueued = false; // the gateway is shutting down; channelReadComplete still flushes
            }
        }
    }

    /** Flushes what a read batch wrote (both legs live on this event loop). */
    final void flushPending() {
        if (backendUnflushed) {
            backendUnflushed = false;
            if (backend != null) {
                backend.flush();
            }
        }
        if (clientUnflushed) {
            clientUnflushed = false;
            clientChannel.flush();
        }
    }

    /** The request ended or the connection went away. */
    public final void clientClosed() {
        close("client closed");
    }

    /**
     * Binds virtual connection {@code vc} to this channel's account, before anything reaches the server: false (and
     * the channel refused with {@code 503 RPC Error: 5}, ERROR_ACCESS_DENIED) when the cookie belongs to another
     * account. The virtual connection that owns the cookie is not touched: no leg is opened, nothing is forwarded.
     * No response was sent yet (an IN channel never gets one on success; the OUT channel's 200 waits for the leg).
     *
     * @see [MS-RPCH] 3.2.3.5.11 Processing Errors (503 with a Windows error code)
     */
    final boolean claim(UUID vc) {
        String channel = this instanceof InboundProxy ? "IN" : "OUT";
        VirtualConnectionOwners.Claim c = owner.table().claim(vc, owner.account(), this);
        if (c instanceof VirtualConnectionOwners.Granted) {
            claimed = vc;
            return true;
        }
        if (c instanceof VirtualConnectionOwners.OwnedByOther other) {
            log.info("rpcproxy: refused the {} channel of {} for virtual connection {}: it belongs to {}", channel,
                    owner.account(), vc, other.owner());
            fail("vc_identity_mismatch", ERROR_ACCESS_DENIED, "virtual connection " + vc + " belongs to another account");
        } else {
            log.warn("rpcproxy: refused the {} channel of {} for virtual connection {}: {} virtual connections bound "
                    + "(expected: fewer)", channel, owner.account(), vc, ((VirtualConnectionOwners.Full) c).entries());
            fail("vc_table_full", RPC_S_SERVER_TOO_BUSY, "virtual connection table full");
        }
        return false;
    }

    /** The OUT channels of this channel's virtual connection on this gateway, those still closing included. */
    final java.util.List<OutboundProxy> outChannels() {
        if (claimed == null) {
            return java.util.List.of();
        }
        return owner.table().channels(claimed).stream().filter(OutboundProxy.class::isInstance)
                .map(OutboundProxy.class::cast).toList();
    }

    /** Resolves the target and opens the server leg. */
    final void connectBackend() {
        firstPduAccepted = true;
        resolver.resolve(server, clientChannel.eventLoop()).addListener(r -> {
            if (closed) {
                return;
            }
            if (!r.isSuccess()) {
                log.info("rpcproxy: {}:{} unresolvable: {}", server, port, r.cause().toString());
                fail("unresolvable", "resolve " + server + ": " + r.cause().getMessage());
                return;
            }
            InetSocketAddress address = new InetSocketAddress((InetAddress) r.getNow(), resolver.port(port));
            BackendConnector.connect(clientChannel, address, settings, new Leg()).addListener(c -> {
                if (closed) {
                    if (c.isSuccess()) {
                        ((Channel) c.getNow()).close();
                    }
                    return;
                }
                if (!c.isSuccess()) {
                    log.info("rpcproxy: {}:{} ({}) unavailable: {}", server, port, address, c.cause().getMessage());
                    fail("backend_unavailable", c.cause().getMessage());
                    return;
                }
                backend = (Channel) c.getNow();
                backend.closeFuture().addListener(f -> {
                    if (!closed) {
                        serverEnded = true;
                        close("server leg closed");
                    }
                });
                connected();
            });
        });
    }

    final void handshakeDone() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
            handshakeTimer = null;
        }
    }

    /** Writes an RTS PDU to the server leg (no flush). */
    final void writeServer(RtsMessage pdu) {
        backend.write(RpchCodec.encode(pdu, backend.alloc()), backend.voidPromise());
    }

    /*
     * Relayed PDUs are written with the channel's void promise: nobody waits on a single PDU's write, and a failed
     * write reaches the pipeline's exceptionCaught, which closes the connection (the leg's handler closes both legs),
     * as the close that follows a failed write did. One promise object less per PDU.
     */

    /**
     * Turns reading on or off only when that changes: called for every PDU, and setting it is an atomic exchange on
     * the channel's configuration even when nothing changes.
     */
    static void autoRead(Channel channel, boolean on) {
        if (channel.config().isAutoRead() != on) {
            channel.config().setAutoRead(on);
        }
    }

    /** Before any response: {@code 503 RPC Error: 6ba}; after: close. */
    final void fail(String reason, String detail) {
        fail(reason, RPC_S_SERVER_UNAVAILABLE, detail);
    }

    /** Before any response: {@code 503 RPC Error: <win32Error>}; after: close. */
    private void fail(String reason, int win32Error, String detail) {
        if (closed) {
            return;
        }
        log.debug("rpcproxy: {} {}:{}: {}", reason, server, port, detail);
        metrics.failure(reason);
        if (!responded) {
            responded = true;
            clientClosing = true;
            client.rpcError(win32Error, reason);
        }
        close(detail);
    }

    /**
     * A PDU that breaks the protocol: 400 with the error for a wrong first PDU (nothing was answered yet), otherwise
     * both connections are closed without a response.
     *
     * @see [MS-RPCH] 3.2.3.5.10 Protocol error, 3.2.4.5.14
     */
    final void protocolError(String from, String message) {
        if (closed) {
            return;
        }
        log.info("rpcproxy: protocol error from {} ({}:{}): {}", from, server, port, message);
        metrics.failure("protocol_error");
        if (!responded && !firstPduAccepted && from.equals("client")) {
            responded = true;
            clientClosing = true;
            client.refuse(400, "protocol_error", message + "\r\n");
        }
        close(message);
    }

    /** Closes both legs once; releases everything queued. */
    void close(String why) {
        if (closed) {
            return;
        }
        // What this read batch wrote before the reason to close goes out first, as it did when every write was
        // flushed at once.
        flushPending();
        closed = true;
        log.debug("rpcproxy: closing {}:{}: {}", server, port, why);
        handshakeDone();
        TickSweeper.remove(clientChannel.eventLoop(), tickMillis, this);
        framer.release();
        released();
        if (claimed != null) {
            // Held until the client's connection is closed: an IN channel closing looks up its OUT channel here, and
            // one that is still writing its last PDUs must be found (InboundProxy#closeClient).
            UUID vc = claimed;
            clientChannel.closeFuture().addListener(f -> owner.table().release(vc, this));
        }
        if (backend != null) {
            backend.close();
        }
        if (!clientClosing) {
            closeClient();
        }
    }

    /** Closes the client's connection once what was written to it is out (the proxies decide when that is). */
    abstract void closeClient();

    /**
     * Closes the client's connection after the writes queued on it: an empty write completes once every write before
     * it has reached the socket, while a plain close would drop what the socket did not take yet. A client that reads
     * nothing does not hold the connection open: it is closed after {@link #CLOSE_LINGER_MILLIS} regardless.
     */
    final void closeClientAfterWrites() {
        ScheduledFuture<?> deadline = clientChannel.eventLoop().schedule(() -> {
            clientChannel.close();
        }, CLOSE_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        clientChannel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
            deadline.cancel(false);
            clientChannel.close();
        });
    }

    /** Releases what subclasses hold. */
    abstract void released();

    /** The server leg's last handler: PDUs and events into the state machine. */
    private final class Leg extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            lastServerTraffic = System.nanoTime();
            if (closed) {
                ReferenceCountUtil.release(msg);
                return;
            }
            reading = true;
            try {
                fromServer((RpchPdu) msg); // the leg's RpchFrameDecoder emits nothing else
            } finally {
                reading = false;
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flushPending();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            serverWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof RpchProtocolException) {
                protocolError("server", cause.getMessage());
            } else {
                close("server leg: " + cause);
            }
        }
    }
}
