package dev.anywhere.bench.load.vc;

import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.bench.load.LoadConnection;
import dev.anywhere.bench.load.RequestFragment;
import dev.anywhere.rpc.dce.AuthVerifier;
import dev.anywhere.rpc.dce.CoHeader;
import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.NtlmBindHandshake;
import dev.anywhere.rpc.dce.PduSecurity;
import dev.anywhere.rpc.dce.PduType;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.StrayHttpAnswer;
import dev.anywhere.rpc.rpch.client.ClientChannel;
import dev.anywhere.rpc.rpch.client.ClientEngine;
import dev.anywhere.rpc.rpch.client.ClientFault;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lean RPC over HTTP v2 virtual connection for load runs: IN channel ({@code RPC_IN_DATA}, Content-Length =
 * channel lifetime) and OUT channel ({@code RPC_OUT_DATA}, Content-Length 76) on two TCP connections, CONN/A1 on OUT
 * and CONN/B1 on IN, then the OUT channel's {@code 200}, CONN/A3 and CONN/C2, then bind / bind_ack of one
 * interface, then pipelined requests (increasing call_ids, any number outstanding) matched to responses by call_id.
 *
 * <p>The HTTP layer is hand-written: a request head is a fixed string (see {@link LeanClient}); the OUT response head
 * is parsed once, then PDUs are framed by frag_length straight from the byte stream. RTS PDUs and the bind family
 * are encoded and decoded with the project's {@link RpchCodec} and {@link DceCodec}. On the hot path, request
 * fragments are written as their 24-byte header plus stub bytes directly into pooled buffers (byte-identical to
 * {@link dev.anywhere.rpc.dce.Fragmenter} + {@link DceCodec#encode}, which a test checks) and responses without
 * auth verifier are read in place, without a {@link DcePdu} per fragment.
 *
 * <p>The [MS-RPCH] client role itself (CONN/A1 … CONN/C2, flow control as receiver and sender, which RTS PDU a state
 * allows, the faults) is the shared {@link ClientEngine}, the same the analyzer's client runs; this class is its lean
 * I/O adapter: it asks the engine before each request fragment ({@link ClientEngine#mayWrite}) and tells it each RPC
 * PDU received ({@link ClientEngine#onRpc}), which are field updates, so the hot path stays allocation-free.
 *
 * <p>Threading: both channels live on one event loop of the client's shared group; all state is touched only there,
 * so the hot path has no locks. {@link #echo} may be called from any thread (one task hop) or from a completion
 * callback on the event loop (no hop). Writes inside an OUT channel read batch are flushed once at
 * channelReadComplete; other calls flush once per call. Futures complete on the event loop: callbacks must not
 * block (a {@code get()} there would stall every connection of that loop).
 *
 * <p>DCE/RPC security ({@link LeanClient.Settings#rpcAuth()}): the bind carries NTLM's NEGOTIATE, the bind_ack's
 * CHALLENGE is answered with rpc_auth_3 ({@link NtlmBindHandshake}), and from then on every request fragment is signed
 * or sealed and every response fragment verified (and unsealed) by the rpc module's {@link PduSecurity}, the same
 * code the analyzer's client and the endpoints run. That path copies each fragment into arrays (RC4 and the MAC work
 * on them); the unauthenticated path above stays zero-copy. Fragments are protected when the call is queued, in queue
 * order, which is the order they are sent in: NTLM's sequence numbers and RC4 stream must follow the wire.
 *
 * <p>Not supported (fails cleanly with a one-line {@link LeanFailure}): IN or OUT channel recycling (the engine runs
 * with {@code recycles = false}: the IN channel fails when its lifetime is nearly used up; the OUT channel when the
 * server asks for a replacement after about 7/8 of the gateway's 1 GiB channel lifetime), HTTP NTLM, Expect: 100-continue,
 * chunked OUT responses, more than one presentation context. No keep-alive Pings are sent (Pings received are ignored), so idle periods must
 * stay below the proxy's idle timeout (15 min in Anywhere). A call that times out fails the whole virtual connection.
 */
public final class LeanVirtualConnection implements LoadConnection {

    /** Content-Length of a new OUT channel request: the size of CONN/A1. */
    static final int OUT_CHANNEL_CONTENT_LENGTH = 76;
    /** Common header (16) + alloc_hint (4) + p_cont_id (2) + opnum (2) of a request; 16 + 8 of a response. */
    private static final int CALL_HEADER = RequestFragment.HEADER;
    private static final int BIND_CALL_ID = 1;
    private static final int FIRST_CALL_ID = 2;
    private static final int CONTEXT_ID = 0;
    /** The auth_context_id of the one security context; any value works ([MS-RPCE] 2.2.2.11). */
    private static final int AUTH_CONTEXT_ID = 1;
    private static final int BATCH_BYTES = 64 * 1024;
    private static final int MAX_HEAD = 16 * 1024;

    private final LeanClient client;
    private final LeanClient.Settings s;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final CompletableFuture<LeanVirtualConnection> opened = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private final ClientEngine engine;
    /** bind_ack received: calls may go (the engine is opened from CONN/C2 on). */
    private boolean bound;
    private LeanFailure failure;
    /** What pending and later calls fail with: the failure, or "closed by the client". */
    private LeanFailure endCause;
    private Leg inLeg;
    private Leg outLeg;
    private ScheduledFuture<?> openTimer;
    private ScheduledFuture<?> callTimer;
    private String source = "";

    // IN channel, the client sending; the engine keeps the window
    private final ArrayDeque<Object> sendQueue = new ArrayDeque<>();
    private ByteBuf batch;
    private boolean inDirty;
    private boolean inReadBatch;

    // DCE/RPC
    private int maxXmitFrag;
    private Call[] ring = new Call[16];
    private int oldest = FIRST_CALL_ID;
    private int nextCallId = FIRST_CALL_ID;
    private int outstanding;
    /** The authenticated bind in progress (null without {@link LeanClient.Settings#rpcAuth()}). */
    private NtlmBindHandshake ntlm;
    /** Per-fragment protection once rpc_auth_3 is sent; null on an unauthenticated binding. */
    private PduSecurity security;

    /** One call: its stub is read on the event loop while it is sent, so callers must not change it until completion. */
    private static final class Call {
        final int opnum;
        final byte[] stub;
        final CompletableFuture<Integer> length;
        final CompletableFuture<byte[]> bytes;
        int callId;
        long startNanos;
        int sent;
        boolean firstReceived;
        int received;
        byte[] response;

        Call(int opnum, byte[] stub, CompletableFuture<Integer> length, CompletableFuture<byte[]> bytes) {
            this.opnum = opnum;
            this.stub = stub;
            this.length = length;
            this.bytes = bytes;
        }

        void fail(Throwable t) {
            if (length != null) {
                length.completeExceptionally(t);
            } else {
                bytes.completeExceptionally(t);
            }
        }
    }

    LeanVirtualConnection(LeanClient client, EventLoop loop) {
        this.client = client;
        this.s = client.settings();
        this.loop = loop;
        this.alloc = s.allocator();
        this.maxXmitFrag = s.maxFrag();
        this.engine = new ClientEngine(new ClientEngine.Settings(s.receiveWindow(), s.channelLifetime(), Long.MAX_VALUE,
                s.clientKeepalive(), -1, false, s.server() + ":" + s.endpointPort(), System::nanoTime), new EngineActions());
    }

    CompletableFuture<LeanVirtualConnection> opened() {
        return opened;
    }

    // ================================================================== opening

    void start(InetAddress sourceAddress) {
        try {
            loop.execute(() -> {
                openTimer = loop.schedule(this::openTimedOut, s.openTimeout().toMillis(), TimeUnit.MILLISECONDS);
                source = sourceAddress == null ? "" : " from " + sourceAddress.getHostAddress();
                inLeg = connect(true, sourceAddress);
                outLeg = connect(false, sourceAddress);
            });
        } catch (RejectedExecutionException e) {
            client.forget(this);
            opened.completeExceptionally(new LeanFailure("client closed"));
            closed.complete(null);
        }
    }

    private Leg connect(boolean in, InetAddress sourceAddress) {
        Leg leg = new Leg(in);
        var b = client.bootstrap(loop).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (s.ssl() != null) {
                    SslHandler h = s.ssl().newHandler(ch.alloc(), s.sniHost(), s.proxy().getPort());
                    h.setHandshakeTimeoutMillis(s.connectTimeout().toMillis());
                    ch.pipeline().addLast("tls", h);
                }
                ch.pipeline().addLast("vc", leg);
            }
        });
        ChannelFuture cf = sourceAddress == null ? b.connect(s.proxy()) : b.connect(s.proxy(), new InetSocketAddress(sourceAddress, 0));
        leg.channel = cf.channel();
        cf.addListener(f -> {
            if (!loop.inEventLoop()) { // a channel that could not even be created (EMFILE) notifies on another executor
                try {
                    loop.execute(() -> connected(leg, f));
                } catch (RejectedExecutionException e) {
                    // the client is closing
                }
            } else {
                connected(leg, f);
            }
        });
        return leg;
    }

    private void connected(Leg leg, io.netty.util.concurrent.Future<?> f) {
        if (terminal()) {
            return;
        }
        if (!f.isSuccess()) {
            Throwable c = f.cause();
            fail(leg.name + " channel: connect to " + s.proxy().getAddress().getHostAddress() + ":" + s.proxy().getPort()
                    + source + ": " + (c == null ? "cancelled" : causes(c)));
            return;
        }
        leg.connected = true;
        if (engine.phase() == ClientEngine.Phase.CONNECTING && inLeg != null && outLeg != null && inLeg.connected && outLeg.connected) {
            sendChannelRequests();
        }
    }

    /** The channel requests (fixed heads), then the engine's CONN/A1 on OUT and CONN/B1 on IN. */
    private void sendChannelRequests() {
        outLeg.channel.write(Unpooled.wrappedBuffer(client.outHead()), outLeg.channel.voidPromise());
        inLeg.channel.write(Unpooled.wrappedBuffer(client.inHead()), inLeg.channel.voidPromise());
        engine.start();
        flushIn();
    }

    private void openTimedOut() {
        if (bound || terminal()) {
            return;
        }
        String what = switch (engine.phase()) {
            case CONNECTING -> "the TCP connects (IN " + (inLeg != null && inLeg.connected ? "connected" : "pending") + ", OUT "
                    + (outLeg != null && outLeg.connected ? "connected" : "pending") + ")";
            case WAIT_A3 -> outLeg.mode == Mode.HEAD ? "the OUT channel's response" : "CONN/A3";
            case WAIT_C2 -> "CONN/C2";
            default -> "bind_ack";
        };
        fail("timeout waiting for " + what + " after " + seconds(s.openTimeout().toMillis()) + " s" + source);
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1000.0);
    }

    private void sendBind() {
        RpcAuth auth = s.rpcAuth();
        ntlm = auth == null ? null : new NtlmBindHandshake(auth.credentials(), auth.level(), AUTH_CONTEXT_ID);
        DcePdu.Bind bind = new DcePdu.Bind(PfcFlag.SINGLE_FRAGMENT, BIND_CALL_ID, s.maxFrag(), s.maxFrag(), 0,
                List.of(PresentationContext.ndr(CONTEXT_ID, s.iface())), Optional.ofNullable(ntlm).map(NtlmBindHandshake::bindVerifier));
        sendQueue.add(DceCodec.encode(bind, alloc));
        drain();
    }

    // ================================================================== calls

    /** Sends {@code stub} to opnum {@link LeanClient.Settings#echoOpnum()}; completes with the response stub length. */
    @Override
    public CompletableFuture<Integer> echo(byte[] stub) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        submit(new Call(s.echoOpnum(), stub, f, null));
        return f;
    }

    /** Calls {@code opnum} with {@code stub}; completes with the reassembled response stub. */
    public CompletableFuture<byte[]> call(int opnum, byte[] stub) {
        if (opnum < 0 || opnum > 0xffff) {
            throw new IllegalArgumentException("opnum: " + opnum + " (expected: 0..65535)");
        }
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        submit(new Call(opnum, stub, null, f));
        return f;
    }

    private void submit(Call c) {
        if (loop.inEventLoop()) {
            enqueue(c);
            if (!inReadBatch) {
                flushIn();
            }
            return;
        }
        try {
            loop.execute(() -> {
                enqueue(c);
                flushIn();
            });
        } catch (RejectedExecutionException e) {
            c.fail(endCause != null ? endCause : new LeanFailure("virtual connection closed (event loop gone)"));
        }
    }

    private void enqueue(Call c) {
        if (!isOpen()) {
            c.fail(endCause != null ? endCause : new LeanFailure("virtual connection not open yet ("
                    + (engine.isOpened() ? "wait_bind_ack" : engine.phase().name().toLowerCase(Locale.ROOT)) + ")"));
            return;
        }
        c.callId = nextCallId;
        c.startNanos = System.nanoTime();
        if (nextCallId - oldest >= ring.length) {
            growRing();
        }
        ring[nextCallId & (ring.length - 1)] = c;
        nextCallId++;
        outstanding++;
        if (callTimer == null) {
            armCallTimer(s.callTimeout().toNanos());
        }
        if (security != null) {
            // protected now, in queue order = wire order (sequence numbers, RC4 stream); sent as whole PDUs
            DcePdu.Request whole = new DcePdu.Request(c.callId, CONTEXT_ID, c.opnum, Octets.of(c.stub));
            sendQueue.addAll(security.protectFragments(whole, maxXmitFrag, alloc));
        } else {
            sendQueue.add(c);
        }
        drain();
    }

    private void growRing() {
        Call[] bigger = new Call[ring.length * 2];
        for (int id = oldest; id != nextCallId; id++) {
            bigger[id & (bigger.length - 1)] = ring[id & (ring.length - 1)];
        }
        ring = bigger;
    }

    private Call lookup(int callId) {
        if (callId - oldest < 0 || callId - nextCallId >= 0) {
            return null;
        }
        Call c = ring[callId & (ring.length - 1)];
        return c != null && c.callId == callId ? c : null;
    }

    private void remove(Call c) {
        ring[c.callId & (ring.length - 1)] = null;
        outstanding--;
        while (oldest != nextCallId && ring[oldest & (ring.length - 1)] == null) {
            oldest++;
        }
    }

    private void armCallTimer(long nanos) {
        callTimer = loop.schedule(this::checkCalls, nanos, TimeUnit.NANOSECONDS);
    }

    /** One timer per connection, armed while calls are outstanding; it only ever looks at the oldest call. */
    private void checkCalls() {
        callTimer = null;
        if (!isOpen() || outstanding == 0) {
            return;
        }
        Call c = ring[oldest & (ring.length - 1)];
        long age = System.nanoTime() - c.startNanos;
        long limit = s.callTimeout().toNanos();
        if (age >= limit) {
            int waiting = 0;
            for (Object o : sendQueue) {
                waiting += o instanceof Call ? 1 : 0;
            }
            fail("timeout waiting for the response to call_id " + c.callId + " after " + seconds(s.callTimeout().toMillis()) + " s"
                    + (waiting == 0 ? "" : "; " + waiting + " calls wait for the inbound proxy's flow control window ("
                    + engine.peerAvailable() + " of " + engine.peerWindow() + " bytes available)"));
        } else {
            armCallTimer(limit - age);
        }
    }

    // ================================================================== sending on IN

    /** Sends queued PDUs while the next one fits the inbound proxy's window. @see [MS-RPCH] 3.2.1.4.1.3 */
    private void drain() {
        while (!sendQueue.isEmpty() && !terminal()) {
            Object head = sendQueue.peek();
            if (head instanceof ByteBuf pdu) {
                int n = pdu.readableBytes();
                if (!engine.mayWrite(n)) {
                    break;
                }
                sendQueue.poll();
                writeBatch();
                writeIn(pdu);
                engine.wrote(n);
                continue;
            }
            Call c = (Call) head;
            // [MS-RPCH] 2.2.3.5.1: the window is at least max frag; a smaller one would stall, so fragments also fit it
            long peerWindow = engine.peerWindow();
            int chunk = Math.min(c.stub.length - c.sent, (int) Math.min(maxXmitFrag, peerWindow) - CALL_HEADER);
            int fragLength = CALL_HEADER + chunk;
            if (!engine.mayWrite(fragLength)) {
                break; // the window is short (or the engine failed the connection: its lifetime is used up)
            }
            if (batch == null || batch.writableBytes() < fragLength) {
                writeBatch();
                // room for the rest of this call (and a little more), within the window and the batch cap
                int chunkMax = (int) Math.min(maxXmitFrag, peerWindow) - CALL_HEADER;
                int left = c.stub.length - c.sent;
                long rest = left + (long) CALL_HEADER * Math.max(1, (left + chunkMax - 1) / chunkMax) + 1024;
                batch = alloc.directBuffer(Math.max(fragLength, (int) Math.min(Math.min(BATCH_BYTES, engine.peerAvailable()), rest)));
            }
            writeRequestFragment(batch, c, chunk);
            engine.wrote(fragLength);
            if (c.sent == c.stub.length) {
                sendQueue.poll();
            }
        }
        writeBatch();
    }

    /** One request fragment of {@code c} ({@link RequestFragment}), {@code chunk} stub bytes from where it stands. */
    private static void writeRequestFragment(ByteBuf out, Call c, int chunk) {
        RequestFragment.write(out, c.callId, CONTEXT_ID, c.opnum, c.stub, c.sent, chunk);
        c.sent += chunk;
    }

    /** All request fragments of one call as the hot path writes them (for the encoding cross-check test). */
    static ByteBuf encodeRequest(int callId, int opnum, byte[] stub, int maxXmitFrag, ByteBufAllocator alloc) {
        Call c = new Call(opnum, stub, new CompletableFuture<>(), null);
        c.callId = callId;
        ByteBuf out = alloc.buffer();
        do {
            writeRequestFragment(out, c, Math.min(stub.length - c.sent, maxXmitFrag - CALL_HEADER));
        } while (c.sent < stub.length);
        return out;
    }

    private void writeBatch() {
        if (batch != null) {
            ByteBuf b = batch;
            batch = null;
            if (b.isReadable()) {
                writeIn(b);
            } else {
                b.release();
            }
        }
    }

    private void writeIn(ByteBuf b) {
        inLeg.channel.write(b, inLeg.channel.voidPromise());
        inDirty = true;
    }

    private void flushIn() {
        if (inDirty) {
            inDirty = false;
            inLeg.channel.flush();
        }
    }

    // ================================================================== receiving on OUT

    /** One PDU of the OUT channel body at {@code buf[off, off + fragLength)}; the buffer stays the caller's. */
    private void onPdu(ByteBuf buf, int off, int fragLength) {
        int ptype = buf.getUnsignedByte(off + 2);
        if (ptype == PduType.RTS.value()) {
            RtsMessage r;
            try {
                r = RpchCodec.decodeMessage(buf.slice(off, fragLength));
            } catch (RuntimeException e) {
                fail("OUT channel: " + e.getMessage());
                return;
            }
            engine.onRts(r);
            return;
        }
        if (!engine.onRpc(ptype, fragLength)) { // counted against the receive window, acknowledged when due
            return;
        }
        boolean response = ptype == PduType.RESPONSE.value() && bound;
        if (response && buf.getUnsignedShortLE(off + 10) == 0 && (security == null || !security.signs())) {
            onResponse(buf, off, fragLength, buf, off + CALL_HEADER, fragLength - CALL_HEADER);
        } else if (response && security != null) {
            onProtectedResponse(buf, off, fragLength);
        } else {
            DcePdu pdu;
            try {
                pdu = DceCodec.decode(buf.slice(off, fragLength));
            } catch (RuntimeException e) {
                fail("OUT channel: " + e.getMessage());
                return;
            }
            onDce(pdu);
        }
    }

    /** A signed or sealed response fragment: verified (and unsealed) by {@link PduSecurity}, then delivered as any other. */
    private void onProtectedResponse(ByteBuf buf, int off, int fragLength) {
        byte[] stub;
        try {
            stub = security.unprotect(buf.slice(off, fragLength)).stub().toByteArray();
        } catch (DceProtocolException e) { // a bad signature, sequence number, padding or verifier
            fail("OUT channel: response of call_id " + Integer.toUnsignedString(buf.getIntLE(off + 12)) + ": " + e.getMessage());
            return;
        }
        onResponse(buf, off, fragLength, Unpooled.wrappedBuffer(stub), 0, stub.length);
    }

    /** A response fragment whose header is at {@code buf[off]} and whose stub is {@code stubLength} bytes of {@code src} at {@code stubOff}. */
    private void onResponse(ByteBuf buf, int off, int fragLength, ByteBuf src, int stubOff, int stubLength) {
        int flags = buf.getUnsignedByte(off + 3);
        int callId = buf.getIntLE(off + 12);
        if (fragLength < CALL_HEADER) {
            fail("OUT channel: response of " + fragLength + " bytes (expected: >= 24)");
            return;
        }
        Call c = lookup(callId);
        if (c == null) {
            fail("OUT channel: response for call_id " + Integer.toUnsignedString(callId) + ", which is not outstanding");
            return;
        }
        boolean first = (flags & PfcFlag.FIRST_FRAG.bit()) != 0;
        if (first == c.firstReceived) {
            fail("OUT channel: response fragment of call_id " + callId + (first ? " with PFC_FIRST_FRAG after the first"
                    : " without PFC_FIRST_FRAG before the first"));
            return;
        }
        c.firstReceived = true;
        if (c.bytes != null) {
            if (c.response == null) {
                c.response = new byte[Math.max(stubLength, (int) Math.min(buf.getUnsignedIntLE(off + 16), 64L << 20))];
            } else if (c.response.length < c.received + stubLength) {
                c.response = Arrays.copyOf(c.response, Math.max(c.received + stubLength, c.response.length * 2));
            }
            src.getBytes(stubOff, c.response, c.received, stubLength);
        }
        c.received += stubLength;
        if ((flags & PfcFlag.LAST_FRAG.bit()) != 0) {
            remove(c);
            if (c.length != null) {
                c.length.complete(c.received);
            } else {
                c.bytes.complete(c.response.length == c.received ? c.response : Arrays.copyOf(c.response, c.received));
            }
        }
    }

    private void onDce(DcePdu pdu) {
        if (!bound) {
            if (pdu instanceof DcePdu.BindAck ack && ack.callId() == BIND_CALL_ID) {
                onBindAck(ack);
            } else if (pdu instanceof DcePdu.BindNak nak) {
                fail("bind: nack reason " + nak.rejectReason() + bindNakReason(nak.rejectReason()));
            } else if (pdu instanceof DcePdu.Fault f) {
                fail("bind: fault " + f.status());
            } else {
                fail("bind: " + pdu.type().wireName() + " PDU (expected: bind_ack)");
            }
            return;
        }
        if (pdu instanceof DcePdu.Response r) {
            fail("OUT channel: response of call_id " + r.callId() + " with an auth verifier (expected: none)");
        } else if (pdu instanceof DcePdu.Fault f) {
            Call c = lookup(f.callId());
            if (c == null) {
                fail("OUT channel: fault " + f.status() + " for call_id " + Integer.toUnsignedString(f.callId())
                        + ", which is not outstanding");
                return;
            }
            remove(c);
            c.fail(new LeanFailure("call_id " + c.callId + " (opnum " + c.opnum + "): fault " + f.status()));
        } else if (pdu instanceof DcePdu.Shutdown) {
            fail("RPC server: shutdown PDU");
        }
        // anything else (orphaned, co_cancel echoes) is ignored
    }

    private static String bindNakReason(int reason) {
        return switch (reason) {
            case DcePdu.BindNak.REASON_NOT_SPECIFIED -> " (not specified)";
            case DcePdu.BindNak.TEMPORARY_CONGESTION -> " (temporary congestion)";
            case DcePdu.BindNak.LOCAL_LIMIT_EXCEEDED -> " (local limit exceeded)";
            case DcePdu.BindNak.PROTOCOL_VERSION_NOT_SUPPORTED -> " (protocol version not supported)";
            case DcePdu.BindNak.AUTHENTICATION_TYPE_NOT_RECOGNIZED -> " (authentication type not recognized)";
            case DcePdu.BindNak.INVALID_CHECKSUM -> " (invalid checksum)";
            default -> "";
        };
    }

    private void onBindAck(DcePdu.BindAck ack) {
        List<ContextResult> results = ack.results();
        if (results.isEmpty() || results.get(0).result() != ContextResult.Result.ACCEPTANCE) {
            int reason = results.isEmpty() ? -1 : results.get(0).reason();
            fail("bind: " + s.iface() + " refused: " + (results.isEmpty() ? "no result"
                    : results.get(0).result() + " reason " + reason
                    + (reason == ContextResult.REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED ? " (abstract syntax not supported)"
                    : reason == ContextResult.REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED ? " (transfer syntaxes not supported)" : "")));
            return;
        }
        maxXmitFrag = Math.min(s.maxFrag(), ack.maxRecvFrag());
        if (maxXmitFrag < dev.anywhere.rpc.dce.Fragmenter.MIN_FRAG) {
            fail("bind: bind_ack max_recv_frag " + ack.maxRecvFrag() + " (expected: >= 1432)");
            return;
        }
        if (ntlm != null && !sendAuth3(ack)) {
            return;
        }
        bound = true;
        cancel(openTimer);
        openTimer = null;
        opened.complete(this);
        drain();
    }

    /**
     * Answers the bind_ack's CHALLENGE with rpc_auth_3 (AUTHENTICATE), queued before any request; false after failing
     * the connection.
     *
     * @see [MS-RPCE] 3.3.1.5.2 Building and Using a Security Context
     */
    private boolean sendAuth3(DcePdu.BindAck ack) {
        Optional<AuthVerifier> challenge = ack.auth();
        if (challenge.isEmpty()) {
            fail("bind: bind_ack without an auth verifier (expected: NTLM's CHALLENGE for the authenticated bind)");
            return false;
        }
        AuthVerifier authenticate;
        try {
            authenticate = ntlm.auth3Verifier(challenge.get());
        } catch (RuntimeException e) { // a malformed CHALLENGE, another level or context id
            fail("bind: " + e.getMessage());
            return false;
        }
        sendQueue.add(DceCodec.encode(new DcePdu.Auth3(PfcFlag.SINGLE_FRAGMENT, ack.callId(), Octets.zeros(4),
                Optional.of(authenticate)), alloc));
        security = ntlm.security();
        ntlm = null;
        return true;
    }

    /** The engine's decisions on the two channels; this client never recycles, so there are no successors. */
    private final class EngineActions implements ClientEngine.Actions {
        @Override
        public int send(ClientChannel channel, RtsMessage pdu) {
            ByteBuf b = RpchCodec.encode(pdu, alloc);
            int n = b.readableBytes();
            if (channel == ClientChannel.OUT) {
                outLeg.channel.writeAndFlush(b, outLeg.channel.voidPromise());
            } else {
                writeBatch(); // in order behind request fragments already batched
                writeIn(b); // flushed with the read batch or the call that caused it
            }
            return n;
        }

        @Override
        public void opened() {
            sendBind();
        }

        @Override
        public void openSuccessor(ClientChannel successor) {
            throw new IllegalStateException("unreachable: the engine runs with recycles = false");
        }

        @Override
        public void switched(ClientChannel channel) {
            throw new IllegalStateException("unreachable: the engine runs with recycles = false");
        }

        @Override
        public void windowOpened() {
            drain();
        }

        @Override
        public void failed(ClientFault fault) {
            end(new LeanFailure(fault.message()));
        }
    }

    // ================================================================== failure and close

    private boolean terminal() {
        return engine.terminal();
    }

    private void fail(String message) {
        fail(new LeanFailure(message));
    }

    private void fail(LeanFailure f) {
        if (terminal()) {
            return;
        }
        engine.abort();
        end(f);
    }

    /** The connection failed, by the engine's word or the adapter's. */
    private void end(LeanFailure f) {
        failure = f;
        terminate(f);
    }

    /** Releases everything, closes both channels, then fails every waiter (callbacks see a terminal state). */
    private void terminate(LeanFailure f) {
        endCause = f;
        cancel(openTimer);
        cancel(callTimer);
        openTimer = callTimer = null;
        if (batch != null) {
            batch.release();
            batch = null;
        }
        for (Object o : sendQueue) {
            if (o instanceof ByteBuf b) {
                b.release();
            }
        }
        sendQueue.clear();
        Call[] calls = ring;
        ring = new Call[1];
        oldest = nextCallId;
        outstanding = 0;
        int pending = 0;
        Channel[] channels = new Channel[2];
        for (Leg leg : new Leg[] {inLeg, outLeg}) {
            if (leg != null) {
                leg.releaseBuffers();
                if (leg.channel != null) {
                    channels[pending++] = leg.channel;
                }
            }
        }
        client.forget(this);
        int[] left = {pending};
        Runnable oneClosed = () -> {
            if (--left[0] == 0) {
                closed.complete(null);
            }
        };
        if (pending == 0) {
            closed.complete(null);
        }
        for (int i = 0; i < pending; i++) {
            if (channels[i].isRegistered()) {
                channels[i].close().addListener(x -> oneClosed.run());
            } else {
                oneClosed.run(); // never registered: the bootstrap already closed it
            }
        }
        opened.completeExceptionally(f);
        for (Call c : calls) {
            if (c != null) {
                c.fail(f);
            }
        }
    }

    private static void cancel(ScheduledFuture<?> t) {
        if (t != null) {
            t.cancel(false);
        }
    }

    /** The failure that ended this connection, if any (null while open or after a plain close); racy off the loop. */
    public LeanFailure failure() {
        return failure;
    }

    /** True once open (bound) and not failed or closed; a racy snapshot off the event loop. */
    public boolean isOpen() {
        return bound && !terminal();
    }

    /**
     * Closes both channels (there is no RTS goodbye; Windows closes the connections too), fails calls in flight with
     * "closed by the client" and releases every buffer. Idempotent; completes when both channels are closed.
     */
    public CompletableFuture<Void> closeAsync() {
        Runnable r = () -> {
            if (!terminal()) {
                engine.close();
                terminate(new LeanFailure("virtual connection closed by the client"));
            }
        };
        if (loop.inEventLoop()) {
            r.run();
        } else {
            try {
                loop.execute(r);
            } catch (RejectedExecutionException e) {
                closed.complete(null); // the group is gone and took the channels with it
            }
        }
        return closed;
    }

    /** {@link #closeAsync()}, waiting (at most 5 s) for the channels to close unless called on the event loop. */
    @Override
    public void close() {
        CompletableFuture<Void> f = closeAsync();
        if (!loop.inEventLoop()) {
            try {
                f.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // bounded: the client's group shutdown closes what is left
            }
        }
    }

    /** Counters for reports: RPC bytes sent on IN and received on OUT, flow control acks sent and received, pings. */
    public String stats() {
        return "rpc bytes sent " + engine.rpcBytesSent() + ", received " + engine.rpcBytesReceived() + ", acks sent "
                + engine.acksSent() + ", received " + engine.acksReceived() + ", pings received " + engine.pingsReceived()
                + ", max_xmit_frag " + maxXmitFrag + ", inbound window " + engine.peerWindow();
    }

    /**
     * RPC bytes sent on the IN channel so far (racy off the event loop). With no channel recycling, a driver of long
     * runs should open a fresh connection well before {@link LeanClient.Settings#channelLifetime()}.
     */
    public long rpcBytesSent() {
        return engine.rpcBytesSent();
    }

    /**
     * RPC bytes received on the OUT channel so far (racy off the event loop). Anywhere's gateway asks for OUT channel
     * recycling after about 7/8 of its 1 GiB channel lifetime, which fails this connection.
     */
    public long rpcBytesReceived() {
        return engine.rpcBytesReceived();
    }

    /** FlowControlAckWithDestination PDUs sent for the OUT channel (racy off the event loop). */
    public int flowControlAcksSent() {
        return engine.acksSent();
    }

    /** FlowControlAcks for the IN channel received from the inbound proxy (racy off the event loop). */
    public int flowControlAcksReceived() {
        return engine.acksReceived();
    }

    /** The negotiated max_xmit_frag (after bind_ack). */
    public int maxXmitFrag() {
        return maxXmitFrag;
    }

    // ================================================================== the two HTTP connections

    private enum Mode { HEAD, BODY, ERROR_BODY }

    /**
     * One channel's TCP connection: parses the response head (the OUT channel's {@code 200}, any error answer), then
     * frames the OUT body into PDUs by frag_length, in place where a PDU lies within one read buffer.
     */
    private final class Leg extends ChannelInboundHandlerAdapter {
        final boolean in;
        final String name;
        Channel channel;
        boolean connected;
        Mode mode = Mode.HEAD;
        /** The response head so far; allocated on the first byte (an IN channel normally never gets one). */
        StringBuilder head;
        int crlf;
        String status;
        int errorBodyLeft;
        StringBuilder errorBody;
        ByteBuf cumulation;

        Leg(boolean in) {
            this.in = in;
            this.name = in ? "IN" : "OUT";
        }

        void releaseBuffers() {
            if (cumulation != null) {
                cumulation.release();
                cumulation = null;
            }
            head = null;
            errorBody = null;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (!in) {
                    inReadBatch = true;
                }
                while (buf.isReadable() && !terminal()) {
                    switch (mode) {
                        case HEAD -> readHead(buf);
                        case ERROR_BODY -> readErrorBody(buf);
                        case BODY -> {
                            frame(buf);
                            return;
                        }
                    }
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (!in) {
                inReadBatch = false;
            }
            if (!terminal() && inLeg != null && inLeg.channel != null) {
                flushIn();
            }
        }

        private void readHead(ByteBuf buf) {
            if (head == null) {
                head = new StringBuilder(256);
            }
            while (buf.isReadable()) {
                char c = (char) (buf.readByte() & 0xff);
                head.append(c);
                if (c == '\r') {
                    crlf = crlf == 2 ? 3 : 1;
                } else if (c == '\n' && (crlf == 1 || crlf == 3)) {
                    crlf++;
                } else {
                    crlf = 0;
                }
                if (crlf == 4) {
                    String text = head.toString();
                    head.setLength(0);
                    crlf = 0;
                    onHead(text);
                    return;
                }
                if (head.length() > MAX_HEAD) {
                    fail(name + " channel: response head longer than " + MAX_HEAD + " bytes");
                    return;
                }
            }
        }

        private void onHead(String text) {
            String[] lines = text.split("\r\n");
            String statusLine = lines[0];
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                fail(name + " channel: '" + abbreviate(statusLine) + "' (expected: an HTTP/1.1 status line)");
                return;
            }
            int code;
            try {
                code = Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                fail(name + " channel: '" + abbreviate(statusLine) + "' (expected: an HTTP/1.1 status line)");
                return;
            }
            if (code == 100) {
                return; // interim; the real head follows
            }
            long contentLength = -1;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                String l = lines[i];
                int colon = l.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String k = l.substring(0, colon).trim();
                String v = l.substring(colon + 1).trim();
                if (k.equalsIgnoreCase("Content-Length")) {
                    try {
                        contentLength = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        contentLength = -1;
                    }
                } else if (k.equalsIgnoreCase("Transfer-Encoding") && v.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            status = statusLine.substring(9).trim();
            if (!in && code == 200) {
                if (chunked) {
                    fail("OUT channel: 200 with Transfer-Encoding: chunked (expected: a Content-Length body; not supported)");
                    return;
                }
                engine.outResponded();
                mode = Mode.BODY;
                head = null;
                return;
            }
            // Any answer on IN (the proxy answers the IN channel only to refuse it) or a refusal on OUT.
            mode = Mode.ERROR_BODY;
            errorBody = new StringBuilder();
            errorBodyLeft = chunked || contentLength < 0 ? 0 : (int) Math.min(contentLength, 1024);
            if (errorBodyLeft == 0) {
                failHttp();
            }
        }

        private void readErrorBody(ByteBuf buf) {
            int n = Math.min(errorBodyLeft, buf.readableBytes());
            for (int i = 0; i < n; i++) {
                errorBody.append((char) (buf.readByte() & 0xff));
            }
            errorBodyLeft -= n;
            buf.skipBytes(buf.readableBytes());
            if (errorBodyLeft == 0) {
                failHttp();
            }
        }

        private void failHttp() {
            String body = errorBody == null ? "" : errorBody.toString().strip();
            int nl = body.indexOf('\n');
            String line = (nl < 0 ? body : body.substring(0, nl)).strip();
            boolean plain = status.startsWith("401") || line.isEmpty() || line.startsWith("<") || status.contains(line);
            fail(name + " channel: " + status + (plain ? "" : " (" + abbreviate(line) + ")"));
        }

        /** Frames PDUs by frag_length; copies only a PDU that straddles read buffers. */
        private void frame(ByteBuf buf) {
            if (cumulation != null) {
                ByteBuf cum = cumulation;
                if (cum.readableBytes() < 10) {
                    cum.writeBytes(buf, Math.min(10 - cum.readableBytes(), buf.readableBytes()));
                    if (cum.readableBytes() < 10) {
                        return;
                    }
                }
                int fragLength = checkHeader(cum, cum.readerIndex());
                if (fragLength < 0) {
                    return;
                }
                cum.writeBytes(buf, Math.min(fragLength - cum.readableBytes(), buf.readableBytes()));
                if (cum.readableBytes() < fragLength) {
                    return;
                }
                cumulation = null;
                try {
                    onPdu(cum, cum.readerIndex(), fragLength);
                } finally {
                    cum.release();
                }
            }
            while (buf.readableBytes() >= 10 && !terminal()) {
                int ri = buf.readerIndex();
                int fragLength = checkHeader(buf, ri);
                if (fragLength < 0 || buf.readableBytes() < fragLength) {
                    break;
                }
                buf.readerIndex(ri + fragLength);
                onPdu(buf, ri, fragLength);
            }
            if (buf.isReadable() && !terminal()) {
                int n = buf.readableBytes();
                cumulation = alloc.buffer(n >= 10 ? buf.getUnsignedShortLE(buf.readerIndex() + 8) : 64);
                cumulation.writeBytes(buf);
            }
        }

        /** frag_length of the PDU at {@code i} (10 bytes readable), or -1 after failing the connection. */
        private int checkHeader(ByteBuf b, int i) {
            if (StrayHttpAnswer.startsAt(b, i)) {
                fail("OUT channel: an HTTP answer inside the PDU stream: " + abbreviate(StrayHttpAnswer.line(b, i)));
                return -1;
            }
            int vers = b.getUnsignedByte(i);
            int drep = b.getUnsignedByte(i + 4);
            int fragLength = b.getUnsignedShortLE(i + 8);
            if (vers != CoHeader.RPC_VERS || fragLength < CoHeader.LENGTH || (drep & 0xf0) != 0x10) {
                fail("OUT channel body: rpc_vers " + vers + ", drep 0x" + Integer.toHexString(drep) + ", frag_length " + fragLength
                        + " (expected: little-endian RPC PDUs, rpc_vers 5)");
                return -1;
            }
            return fragLength;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!terminal()) {
                if (mode == Mode.ERROR_BODY) {
                    failHttp();
                } else if (engine.isOpened() && !bound) {
                    fail("the proxy closed the " + name + " channel before bind_ack");
                } else {
                    long grace = engine.closeGraceMillis(in ? ClientChannel.IN : ClientChannel.OUT, outstanding > 0);
                    if (grace > 0) {
                        ctx.executor().schedule(() -> {
                            if (!terminal()) {
                                channelClosed(in);
                            }
                        }, grace, java.util.concurrent.TimeUnit.MILLISECONDS);
                    } else {
                        channelClosed(in);
                    }
                }
            }
            releaseBuffers();
        }

        private void channelClosed(boolean inChannel) {
            ClientFault f = engine.channelClosed(inChannel ? ClientChannel.IN : ClientChannel.OUT);
            if (f != null) {
                engine.fail(f);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent e && !e.isSuccess()) {
                Throwable c = e.cause();
                fail(name + " channel: TLS handshake with " + s.sniHost() + ": " + tlsCause(c));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable c = cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (c instanceof javax.net.ssl.SSLException) {
                fail(name + " channel: TLS handshake with " + s.sniHost() + ": " + tlsCause(c));
            } else {
                fail(name + " channel: " + c.getClass().getSimpleName() + ": " + abbreviate(String.valueOf(c.getMessage())));
            }
            ctx.close();
        }
    }

    /** The message of {@code c} and, if different, of its root cause ("Unable to create Channel ...: Too many open files"). */
    private static String causes(Throwable c) {
        Throwable root = c;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(c.getMessage());
        return abbreviate(root == c || m.contains(String.valueOf(root.getMessage())) ? m : m + ": " + root.getMessage());
    }

    private static String tlsCause(Throwable c) {
        if (c == null) {
            return "failed";
        }
        if (c instanceof io.netty.handler.ssl.NotSslRecordException) {
            return "the answer is not a TLS record (a plain HTTP proxy?)";
        }
        return abbreviate(c.getClass().getSimpleName() + ": " + c.getMessage());
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
