package dev.anywhere.analyzer.rpch;

import dev.anywhere.analyzer.rpch.RpchFailure.Hop;
import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.FragmentAssembler;
import dev.anywhere.rpc.dce.Fragmenter;
import dev.anywhere.rpc.dce.Octets;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.rpch.ForwardDestination;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RpchProtocolException;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.RtsPduKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An RPC over HTTP v2 virtual connection as the Windows RPC runtime opens it for Outlook: an IN channel
 * ({@code RPC_IN_DATA}, Content-Length 1 GiB, client → server) and an OUT channel ({@code RPC_OUT_DATA},
 * Content-Length 76, server → client), each its own authenticated HTTP/1.1 connection; CONN/A1 on OUT, CONN/B1 on
 * IN, then OUT's {@code 200}, CONN/A3 and CONN/C2. Over it: DCE/RPC bind and calls (fragmented requests,
 * reassembled responses), flow control in both directions, Pings on an idle IN channel, and IN channel recycling
 * before its byte budget runs out. docs/rpc-client.md has the state diagram.
 *
 * <p>All state lives on one event loop; the public methods may be called from any thread. Not reusable after
 * {@link #close()} or a failure.
 *
 * @see [MS-RPCH] 3.2.2 Client Details
 * @see [MS-RPCH] 3.2.2.4.1.2 Opening a Virtual Connection
 */
public final class VirtualConnection implements AutoCloseable {

    static final HttpMethod RPC_IN_DATA = HttpMethod.valueOf("RPC_IN_DATA");
    static final HttpMethod RPC_OUT_DATA = HttpMethod.valueOf("RPC_OUT_DATA");
    /** The RPC over HTTP v2 version every implementation sends. */
    static final long VERSION = 1;
    private static final RtsMessage PING = new RtsMessage.Ping();

    /** The Echo RTS PDU an echo request must be answered with. */
    static final byte[] ECHO_PDU = RpchCodec.toBytes(new RtsMessage.Echo());

    private enum State {
        /** HTTP connections being opened and authenticated; nothing sent on the channels. */
        CONNECTING,
        /** Channel requests, CONN/A1 and CONN/B1 sent; waiting for OUT's 200 and CONN/A3. */
        WAIT_A3,
        /** CONN/A3 received; waiting for CONN/C2 (the server paired IN and OUT). */
        WAIT_C2,
        /** CONN/C2 received: RPC traffic flows. */
        OPENED,
        /** Terminal: a failure was reported to every waiter; input is discarded. */
        FAILED,
        /** Terminal: closed by the client. */
        CLOSED
    }

    private enum InRecycle {
        /** One IN channel in use. */
        NONE,
        /** The successor IN connection is being opened and authenticated. */
        CONNECTING,
        /** IN_R1/A1 sent on the successor; waiting for IN_R1/A4 (or IN_R2/A4) on OUT. New RPC PDUs are queued. */
        WAIT_A4
    }

    private enum OutRecycle {
        /** One OUT channel in use. */
        NONE,
        /** OUT_R1/A2 received; the successor OUT connection is being opened. */
        CONNECTING,
        /** OUT_R1/A3 sent on the successor; waiting for OUT_R1/A6 or OUT_R2/A6 on the predecessor. */
        WAIT_A6,
        /** OUT_R1/A7 sent on IN; waiting for OUT_R1/A10 (ANCE) on the predecessor. */
        WAIT_A10,
        /** OUT_R2/A7 on IN and OUT_R2/C1 on the successor sent; waiting for OUT_R2/B3 (EOF) on the predecessor. */
        WAIT_B3
    }

    /** A connected, authenticated HTTP connection and the Authorization value for its channel request. */
    record OpenedLeg(HttpLeg leg, Optional<String> authorization) {
    }

    /** Opens one more authenticated HTTP connection (for the channels and for recycling). */
    interface LegOpener {
        OpenedLeg open(String name, HttpMethod method, HttpLeg.Listener listener) throws RpchFailure;
    }

    /** Counters for tests, rpcping -v and the analyzer. */
    public record Stats(long rpcBytesSent, long rpcBytesReceived, int flowControlAcksSent, int flowControlAcksReceived,
            int pingsSent, int pingsReceived, int inChannelRecycles, int outChannelRecycles, int queuedPdus) {
    }

    private final RpchClientOptions options;
    private final Transcript transcript;
    private final EventExecutor loop;
    private final EventLoopGroup ownedGroup;
    private final LegOpener opener;
    private final Listener listener = new Listener();
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    private final UUID vcCookie = UUID.randomUUID();
    private UUID inCookie = UUID.randomUUID();
    private UUID outCookie = UUID.randomUUID();
    private final UUID associationGroup = UUID.randomUUID();

    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private State state = State.CONNECTING;
    private volatile RpchFailure failure;
    private HttpLeg inLeg;
    private HttpLeg outLeg;
    private boolean outResponded;

    // CONN/A3 and CONN/C2
    private long outProxyConnectionTimeout;
    private long connectionTimeout;
    private long peerWindow;

    // flow control, IN direction (client is the sender)
    private long rpcBytesSentOnChannel;
    private long peerAvailable;
    private final ArrayDeque<ByteBuf> inQueue = new ArrayDeque<>();
    private final ArrayDeque<String> inQueueLabels = new ArrayDeque<>();
    // flow control, OUT direction (client is the receiver)
    private long bytesReceived;
    private long unacked;

    private long rpcBytesSent;
    private int acksSent;
    private int acksReceived;
    private int pingsSent;
    private int pingsReceived;
    private int inRecycles;

    private InRecycle inRecycle = InRecycle.NONE;
    private OutRecycle outRecycle = OutRecycle.NONE;
    private HttpLeg outSuccessor;
    private UUID outSuccessorCookie;
    /** PDUs from the successor OUT channel before the switch, delivered (in order) once the client switched. */
    private final List<Runnable> successorPdus = new ArrayList<>();
    private int outRecycles;
    private HttpLeg successor;
    private UUID successorCookie;
    private ScheduledFuture<?> pingTask;
    private long lastInWrite = System.nanoTime();

    // DCE/RPC
    private int nextCallId = 1;
    private int nextContextId;
    private boolean bound;
    private long assocGroupId;
    private int maxXmitFrag;
    private final Map<Integer, RpcCall> calls = new HashMap<>();
    private final Map<Integer, PendingBind> binds = new HashMap<>();
    private final FragmentAssembler assembler = new FragmentAssembler();

    private record PendingBind(int contextId, SyntaxId iface, boolean negotiate, CompletableFuture<BindResult> result) {
    }

    private VirtualConnection(RpchClientOptions options, Transcript transcript, EventExecutor loop, EventLoopGroup ownedGroup,
            LegOpener opener) {
        this.options = options;
        this.transcript = transcript;
        this.loop = loop;
        this.ownedGroup = ownedGroup;
        this.opener = opener;
        this.maxXmitFrag = options.maxFrag();
    }

    // ================================================================== opening

    /**
     * Opens a virtual connection: resolves and connects to the proxy twice, authenticates each connection, sends the
     * IN and OUT channel requests, CONN/A1 and CONN/B1, and waits for the OUT channel's 200, CONN/A3 and CONN/C2.
     *
     * @throws RpchFailure naming the hop (dns, tcp, tls, http, rpc proxy) and the cause
     */
    public static VirtualConnection open(RpchClientOptions options, Transcript transcript) throws RpchFailure {
        InetSocketAddress address = resolve(options, transcript);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        LegOpener opener = (name, method, l) -> {
            HttpLeg leg = HttpLeg.connect(name, options, address, group, transcript, l);
            try {
                return new OpenedLeg(leg, leg.authorize(method));
            } catch (RpchFailure f) {
                leg.close();
                throw f;
            }
        };
        VirtualConnection vc = new VirtualConnection(options, transcript, group.next(), group, opener);
        try {
            OpenedLeg in = opener.open("IN", RPC_IN_DATA, vc.listener);
            vc.inLeg = in.leg();
            OpenedLeg out = opener.open("OUT", RPC_OUT_DATA, vc.listener);
            vc.outLeg = out.leg();
            in.leg().sendChannelRequest(RPC_IN_DATA, options.inChannelLifetime(), in.authorization(), false);
            out.leg().sendChannelRequest(RPC_OUT_DATA, RpchClientOptions.OUT_CHANNEL_CONTENT_LENGTH, out.authorization(), true);
            vc.loop.execute(vc::sendConnPdus);
            vc.awaitOpened();
            return vc;
        } catch (RpchFailure | RuntimeException e) {
            vc.close();
            throw e;
        }
    }

    /** For tests: a virtual connection over two connected channels (EmbeddedChannel); no authentication. */
    static VirtualConnection attach(RpchClientOptions options, Transcript transcript, Channel in, Channel out,
            LegOpener opener) {
        VirtualConnection vc = new VirtualConnection(options, transcript, in.eventLoop(), null, opener);
        vc.inLeg = new HttpLeg("IN", options, transcript, vc.listener).install(in);
        vc.outLeg = new HttpLeg("OUT", options, transcript, vc.listener).install(out);
        vc.inLeg.sendChannelRequestNow(RPC_IN_DATA, options.inChannelLifetime(), Optional.empty(), false);
        vc.outLeg.sendChannelRequestNow(RPC_OUT_DATA, RpchClientOptions.OUT_CHANNEL_CONTENT_LENGTH, Optional.empty(), true);
        vc.sendConnPdus();
        return vc;
    }

    static InetSocketAddress resolve(RpchClientOptions o, Transcript t) throws RpchFailure {
        if (o.addressOverride().isPresent()) {
            t.note("DNS", o.proxyHost() + " -> " + o.addressOverride().get().getHostAddress() + " (--resolve)");
            return new InetSocketAddress(o.addressOverride().get(), o.proxyPort());
        }
        try {
            InetAddress a = InetAddress.getByName(o.proxyHost());
            t.note("DNS", o.proxyHost() + " -> " + a.getHostAddress());
            return new InetSocketAddress(a, o.proxyPort());
        } catch (UnknownHostException e) {
            throw new RpchFailure(Hop.DNS, Kind.DNS_NAME_NOT_FOUND, o.proxyHost() + " does not resolve (expected: an A or "
                    + "AAAA record; --resolve HOST:PORT:ADDR overrides)", e);
        }
    }

    /** CONN/A1 on OUT, then CONN/B1 on IN. @see [MS-RPCH] 3.2.2.4.1.2 */
    private void sendConnPdus() {
        if (state != State.CONNECTING) {
            return;
        }
        state = State.WAIT_A3;
        writeRts(outLeg, new RtsMessage.ConnA1(VERSION, vcCookie, outCookie, options.receiveWindow()));
        writeRts(inLeg, new RtsMessage.ConnB1(VERSION, vcCookie, inCookie, options.inChannelLifetime(),
                options.clientKeepalive(), associationGroup));
    }

    /** The future that completes on CONN/C2 (or fails); for tests and asynchronous callers. */
    CompletableFuture<Void> opened() {
        return opened;
    }

    private void awaitOpened() throws RpchFailure {
        try {
            opened.get(options.openTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            CompletableFuture<String> where = new CompletableFuture<>();
            loop.execute(() -> where.complete(waitingFor()));
            String w;
            try {
                w = where.get(1, TimeUnit.SECONDS);
            } catch (Exception x) {
                w = "CONN/C2";
            }
            RpchFailure f = new RpchFailure(Hop.PROXY, Kind.TIMEOUT, w + " not received within "
                    + options.openTimeout().toMillis() + " ms");
            loop.execute(() -> fail(f));
            throw f;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RpchFailure f) {
                throw f;
            }
            throw new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.PROTOCOL, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.TIMEOUT, "interrupted while opening");
        }
    }

    private String waitingFor() {
        return switch (state) {
            case WAIT_A3 -> outResponded ? "OUT channel: 200 but CONN/A3" : "OUT channel: the response to RPC_OUT_DATA";
            case WAIT_C2 -> "OUT channel: CONN/A3 but CONN/C2 (the RPC server did not complete the virtual connection; "
                    + "is " + options.query() + " an ncacn_http listener?)";
            default -> "CONN/C2";
        };
    }

    // ================================================================== echo

    /**
     * Sends an echo request ({@code RPC_IN_DATA}, Content-Length 0) on a new connection, authenticated as the options
     * say, and checks for {@code 200} with the 20-byte Echo PDU.
     *
     * @see [MS-RPCH] 2.1.2.1.5 Echo Request
     */
    public static EchoResult echo(RpchClientOptions options, Transcript transcript) throws RpchFailure {
        long start = System.nanoTime();
        InetSocketAddress address = resolve(options, transcript);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        HttpLeg leg = null;
        try {
            leg = HttpLeg.connect("ECHO", options, address, group, transcript, HttpLeg.NO_LISTENER);
            Optional<String> auth = leg.authorize(RPC_IN_DATA);
            long rt = System.nanoTime();
            HttpLeg.Answer a = leg.exchange(leg.request(RPC_IN_DATA, 0, auth, true), options.httpTimeout(), "echo request");
            Duration roundTrip = Duration.ofNanos(System.nanoTime() - rt);
            if (a.status() != 200) {
                throw HttpLeg.failure(options, "echo request", a);
            }
            if (!Arrays.equals(a.body(), ECHO_PDU)) {
                throw new RpchFailure(Hop.HTTP, Kind.NOT_RPC_PROXY, "echo request: 200 with " + a.body().length
                        + " body bytes that are not the Echo PDU (expected: 20 bytes 05 00 14 03 … 40 00 00 00 from an RPC proxy)");
            }
            return new EchoResult(a.status(), a.reason(), Duration.ofNanos(System.nanoTime() - start), roundTrip);
        } finally {
            if (leg != null) {
                leg.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    // ================================================================== DCE/RPC

    /** Binds {@code iface} with NDR 2.0. */
    public CompletableFuture<BindResult> bind(SyntaxId iface) {
        return bind(iface, false);
    }

    /**
     * Binds {@code iface} with NDR 2.0 (bind on the first call, alter_context afterwards); with
     * {@code negotiateFeatures}, also proposes the bind-time feature negotiation syntax (bitmask 0x3) as Windows does.
     *
     * @see [C706] 12.6.4.3 The bind PDU
     * @see [MS-RPCE] 3.3.1.5.3 Bind Time Feature Negotiation
     */
    public CompletableFuture<BindResult> bind(SyntaxId iface, boolean negotiateFeatures) {
        CompletableFuture<BindResult> f = new CompletableFuture<>();
        onLoop(f, Hop.BIND, () -> {
            if (!usable(f, Hop.BIND)) {
                return;
            }
            int callId = nextCallId++;
            int ctx = nextContextId++;
            List<PresentationContext> pcs = new ArrayList<>(List.of(PresentationContext.ndr(ctx, iface)));
            if (negotiateFeatures) {
                pcs.add(new PresentationContext(nextContextId++, iface, List.of(SyntaxId.bindTimeFeatureNegotiation(
                        SyntaxId.FEATURE_SECURITY_CONTEXT_MULTIPLEXING | SyntaxId.FEATURE_KEEP_CONNECTION_ON_ORPHAN))));
            }
            DcePdu pdu = bound
                    ? new DcePdu.AlterContext(PfcFlag.SINGLE_FRAGMENT, callId, options.maxFrag(), options.maxFrag(), assocGroupId,
                            pcs, Optional.empty())
                    : new DcePdu.Bind(callId, options.maxFrag(), options.maxFrag(), 0, pcs);
            binds.put(callId, new PendingBind(ctx, iface, negotiateFeatures, f));
            scheduleTimeout(f, Hop.BIND, "bind_ack for " + iface);
            ByteBuf encoded = DceCodec.encode(pdu, alloc);
            sendRpc(encoded, transcript.enabled() ? HttpLeg.describe(pdu, encoded.readableBytes()) : "");
        });
        return f;
    }

    /**
     * Calls {@code opnum} on a bound context with {@code stub} (NDR, consumed and released); fragments the request to
     * the negotiated size and reassembles the response. Completes with the response stub, or exceptionally with an
     * {@link RpcFaultException} (fault PDU) or an {@link RpchFailure} (timeout, connection lost).
     *
     * @see [C706] 12.6.4.9 The request PDU
     */
    public CompletableFuture<ByteBuf> call(int contextId, int opnum, ByteBuf stub) {
        Octets s = Octets.copyOf(stub);
        stub.release();
        CompletableFuture<ByteBuf> f = new CompletableFuture<>();
        onLoop(f, Hop.CALL, () -> {
            if (!usable(f, Hop.CALL)) {
                return;
            }
            int callId = nextCallId++;
            RpcCall c = new RpcCall(callId, contextId, opnum, f);
            calls.put(callId, c);
            c.timeout = scheduleTimeout(f, Hop.CALL, "response to call_id " + callId + " (opnum " + opnum + ")");
            DcePdu.Request whole = new DcePdu.Request(callId, contextId, opnum, s);
            for (DcePdu.CallFragment frag : Fragmenter.fragment(whole, Math.max(Fragmenter.MIN_FRAG, maxXmitFrag))) {
                ByteBuf encoded = DceCodec.encode(frag, alloc);
                sendRpc(encoded, transcript.enabled() ? HttpLeg.describe(frag, encoded.readableBytes()) : "");
            }
        });
        return f;
    }

    /** Runs {@code task} on the event loop, or fails {@code f} if the loop is gone (after close). */
    private void onLoop(CompletableFuture<?> f, Hop hop, Runnable task) {
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(failure != null ? failure : new RpchFailure(hop, Kind.CLOSED,
                    "virtual connection closed (expected: open)"));
        }
    }

    private boolean usable(CompletableFuture<?> f, Hop hop) {
        if (state == State.OPENED) {
            return true;
        }
        f.completeExceptionally(failure != null ? failure : new RpchFailure(hop, Kind.CLOSED,
                "virtual connection " + state.name().toLowerCase() + " (expected: open)"));
        return false;
    }

    private ScheduledFuture<?> scheduleTimeout(CompletableFuture<?> f, Hop hop, String what) {
        long ms = options.callTimeout().toMillis();
        ScheduledFuture<?> t = loop.schedule(() -> {
            if (f.completeExceptionally(new RpchFailure(hop, Kind.TIMEOUT, what + " not received within " + ms + " ms"
                    + (inQueue.isEmpty() ? "" : "; " + inQueue.size() + " PDUs wait for the inbound proxy's flow control window")))) {
                transcript.note("VC", hop.label() + " timed out");
            }
        }, ms, TimeUnit.MILLISECONDS);
        f.whenComplete((v, e) -> t.cancel(false));
        return t;
    }

    // ================================================================== sending on IN

    private io.netty.channel.ChannelFuture writeRts(HttpLeg leg, RtsMessage pdu) {
        if (leg == inLeg) {
            lastInWrite = System.nanoTime();
        }
        ByteBuf bytes = RpchCodec.encode(pdu, alloc);
        return leg.writePdu(bytes, transcript.enabled() ? HttpLeg.describe(pdu, bytes.readableBytes()) : "");
    }

    /** Queues an RPC PDU for the IN channel and sends what the peer's window allows. */
    private void sendRpc(ByteBuf pdu, String label) {
        inQueue.add(pdu);
        inQueueLabels.add(label);
        drain();
    }

    /** @see [MS-RPCH] 3.2.1.4.1.3 Sender: send while the next PDU fits the available window */
    private void drain() {
        while (!inQueue.isEmpty() && inRecycle == InRecycle.NONE && state == State.OPENED
                && inQueue.peek().readableBytes() <= peerAvailable) {
            ByteBuf pdu = inQueue.poll();
            String label = inQueueLabels.poll();
            int n = pdu.readableBytes();
            peerAvailable -= n;
            rpcBytesSentOnChannel += n;
            rpcBytesSent += n;
            lastInWrite = System.nanoTime();
            inLeg.writePdu(pdu, label);
        }
        if (inRecycle == InRecycle.NONE && state == State.OPENED && inLeg.bodyBytesSent >= options.inRecycleAfter()) {
            startInRecycle();
        }
    }

    /** Sends a Ping RTS PDU on the IN channel now. @see [MS-RPCH] 2.2.4.49 Ping RTS PDU */
    public void ping() {
        onLoop(new CompletableFuture<>(), Hop.VIRTUAL_CONNECTION, () -> {
            if (state == State.OPENED) {
                pingsSent++;
                writeRts(inLeg, PING);
            }
        });
    }

    /** Changes the client keep-alive interval the inbound proxy expects. @see [MS-RPCH] 2.2.4.46 Keep-Alive RTS PDU */
    public void keepAlive(long millis) {
        onLoop(new CompletableFuture<>(), Hop.VIRTUAL_CONNECTION, () -> {
            if (state == State.OPENED) {
                writeRts(inLeg, new RtsMessage.KeepAlive(millis));
            }
        });
    }

    private void startPings() {
        long interval = !options.pingInterval().isZero() ? options.pingInterval().toMillis()
                : Math.max(1000, Math.min(connectionTimeout, options.clientKeepalive() == 0 ? 300_000 : options.clientKeepalive()) / 2);
        pingTask = loop.scheduleAtFixedRate(() -> {
            if (state == State.OPENED && System.nanoTime() - lastInWrite >= TimeUnit.MILLISECONDS.toNanos(interval) * 9 / 10) {
                pingsSent++;
                writeRts(inLeg, PING);
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    // ================================================================== IN channel recycling

    /** Replaces the IN channel now (normally done when its byte budget is nearly used). @see [MS-RPCH] 2.2.4.10 IN_R1/A1 RTS PDU */
    public CompletableFuture<Void> recycleInChannel() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        onLoop(f, Hop.VIRTUAL_CONNECTION, () -> {
            if (state != State.OPENED || inRecycle != InRecycle.NONE) {
                f.completeExceptionally(new IllegalStateException("recycle: state " + state + ", " + inRecycle));
                return;
            }
            startInRecycle();
            f.complete(null);
        });
        return f;
    }

    /** IN_R1/A1 on a new IN channel, then (on IN_R1/A4 or IN_R2/A4) IN_R1/A5 on the old one. */
    private void startInRecycle() {
        inRecycle = InRecycle.CONNECTING;
        successorCookie = UUID.randomUUID();
        String name = "IN" + (inRecycles + 2);
        transcript.note("VC", "recycling the IN channel after " + inLeg.bodyBytesSent + " bytes");
        Thread t = new Thread(() -> {
            try {
                OpenedLeg n = opener.open(name, RPC_IN_DATA, listener);
                loop.execute(() -> {
                    if (state != State.OPENED) {
                        n.leg().close();
                        return;
                    }
                    successor = n.leg();
                    successor.sendChannelRequestNow(RPC_IN_DATA, options.inChannelLifetime(), n.authorization(), false);
                    inRecycle = InRecycle.WAIT_A4;
                    writeRts(successor, new RtsMessage.InR1A1(VERSION, vcCookie, inCookie, successorCookie));
                });
            } catch (RpchFailure f) {
                loop.execute(() -> fail(f));
            }
        }, "rpch-recycle");
        t.setDaemon(true);
        t.start();
    }

    private void onInRecycleA4(RtsMessage pdu) {
        HttpLeg old = inLeg;
        // Per spec the predecessor carries IN_R1/A5 so the server can drain it, then the client switches.
        writeRts(old, new RtsMessage.InR1A5(successorCookie)).addListener(w -> old.close());
        inLeg = successor;
        inCookie = successorCookie;
        successor = null;
        if (pdu instanceof RtsMessage.InR1A3 a4) { // IN_R1/A4 carries the new proxy's values; IN_R2/A4 none
            peerWindow = a4.receiveWindowSize();
            connectionTimeout = a4.connectionTimeout();
        }
        peerAvailable = peerWindow;
        rpcBytesSentOnChannel = 0;
        inRecycle = InRecycle.NONE;
        inRecycles++;
        transcript.note("VC", "IN channel recycled");
        drain();
    }

    // ================================================================== OUT channel recycling

    /**
     * The server asked for a new OUT channel (OUT_R1/A2 = OUT_R2/A2): open {@code RPC_OUT_DATA} with Content-Length 120
     * and OUT_R1/A3 on it; the predecessor then says R1 (OUT_R1/A6: A7 on IN, A10, A11 on the successor) or R2
     * (OUT_R2/A6: A7 on IN, C1 on the successor, B3 with EOF on the predecessor).
     *
     * @see [MS-RPCH] 2.2.4.24 OUT_R1/A2 RTS PDU
     * @see [MS-RPCH] 2.2.4.25 OUT_R1/A3 RTS PDU
     */
    private void startOutRecycle() {
        outRecycle = OutRecycle.CONNECTING;
        outSuccessorCookie = UUID.randomUUID();
        String name = "OUT" + (outRecycles + 2);
        transcript.note("VC", "the server asked to recycle the OUT channel");
        Thread t = new Thread(() -> {
            try {
                OpenedLeg n = opener.open(name, RPC_OUT_DATA, listener);
                loop.execute(() -> {
                    if (state != State.OPENED) {
                        n.leg().close();
                        return;
                    }
                    outSuccessor = n.leg();
                    outSuccessor.sendChannelRequestNow(RPC_OUT_DATA, RpchClientOptions.OUT_CHANNEL_RECYCLE_CONTENT_LENGTH,
                            n.authorization(), true);
                    outRecycle = OutRecycle.WAIT_A6;
                    writeRts(outSuccessor, new RtsMessage.OutR1A3(VERSION, vcCookie, outCookie, outSuccessorCookie,
                            options.receiveWindow()));
                });
            } catch (RpchFailure f) {
                loop.execute(() -> fail(f));
            }
        }, "rpch-recycle-out");
        t.setDaemon(true);
        t.start();
    }

    private void switchOut() {
        HttpLeg old = outLeg;
        outLeg = outSuccessor;
        outCookie = outSuccessorCookie;
        outSuccessor = null;
        outRecycle = OutRecycle.NONE;
        outRecycles++;
        bytesReceived = 0;
        unacked = 0;
        old.close();
        transcript.note("VC", "OUT channel recycled");
        List<Runnable> early = new ArrayList<>(successorPdus);
        successorPdus.clear();
        early.forEach(Runnable::run);
    }

    // ================================================================== receiving

    private final class Listener implements HttpLeg.Listener {
        @Override
        public void onChannelResponse(HttpLeg leg, int status, String reason) {
            if (leg == outLeg) {
                outResponded = true;
            }
        }

        @Override
        public void onChannelError(HttpLeg leg, HttpLeg.Answer answer) {
            if (leg == inLeg || leg == outLeg || leg == successor || leg == outSuccessor) {
                failOpening(HttpLeg.failure(options, leg.name + " channel request", answer), leg == inLeg ? 0 : 1);
            }
        }

        @Override
        public void onRts(HttpLeg leg, RtsMessage rts, int fragLength) {
            deliver(leg, () -> receive(rts));
        }

        @Override
        public void onRpc(HttpLeg leg, DcePdu rpc, int fragLength) {
            deliver(leg, () -> receive(rpc, fragLength));
        }

        private void deliver(HttpLeg leg, Runnable receive) {
            if (leg == outSuccessor) {
                successorPdus.add(receive); // delivered once the client has switched to it
                return;
            }
            if (leg != outLeg) {
                return;
            }
            try {
                receive.run();
            } catch (RuntimeException e) {
                fail(new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.PROTOCOL, e.getMessage(), e));
            }
        }

        @Override
        public void onProtocolError(HttpLeg leg, RpchFailure f) {
            if (leg == inLeg || leg == outLeg || leg == successor || leg == outSuccessor) {
                fail(f);
            }
        }

        @Override
        public void onClosed(HttpLeg leg) {
            if (state == State.CLOSED || state == State.FAILED) {
                return;
            }
            if (leg == outLeg && outRecycle != OutRecycle.NONE && outRecycle != OutRecycle.CONNECTING
                    && outRecycle != OutRecycle.WAIT_A6) {
                return; // the predecessor OUT channel ends after its last recycling PDU
            }
            if (leg == inLeg || leg == outLeg || leg == successor || leg == outSuccessor) {
                String when = switch (state) {
                    case WAIT_A3 -> leg == outLeg && outResponded ? "after 200, before CONN/A3" : "before answering the channel request";
                    case WAIT_C2 -> "after CONN/A3, before CONN/C2 (the RPC server did not complete the virtual connection; is "
                            + options.query() + " an ncacn_http listener?)";
                    default -> "while open";
                };
                failOpening(new RpchFailure(state == State.OPENED ? Hop.VIRTUAL_CONNECTION : Hop.PROXY, Kind.CLOSED,
                        "the proxy closed the " + leg.name + " channel " + when), 3);
            }
        }
    }

    private void receive(RtsMessage r) {
        switch (state) {
            case WAIT_A3 -> {
                RtsPduKind.expect(r, RtsPduKind.CONN_A3);
                outProxyConnectionTimeout = ((RtsMessage.ConnA3) r).connectionTimeout();
                state = State.WAIT_C2;
            }
            case WAIT_C2 -> {
                RtsPduKind.expect(r, RtsPduKind.CONN_C2);
                RtsMessage.ConnC1 c2 = (RtsMessage.ConnC1) r;
                peerWindow = c2.receiveWindowSize();
                connectionTimeout = c2.connectionTimeout();
                peerAvailable = peerWindow;
                state = State.OPENED;
                transcript.note("VC", "opened: inbound proxy window " + peerWindow + ", connection timeout " + connectionTimeout + " ms");
                startPings();
                opened.complete(null);
                drain();
            }
            case OPENED -> receiveRts(r);
            default -> {
                // CONNECTING cannot receive on a channel; FAILED and CLOSED discard input.
            }
        }
    }

    private void receive(DcePdu pdu, int fragLength) {
        switch (state) {
            case WAIT_A3, WAIT_C2 -> throw new RpchProtocolException("OUT channel: " + pdu.type().wireName()
                    + " PDU (expected: " + (state == State.WAIT_A3 ? RtsPduKind.CONN_A3 : RtsPduKind.CONN_C2) + ")");
            case OPENED -> receiveRpc(pdu, fragLength);
            default -> {
                // CONNECTING cannot receive on a channel; FAILED and CLOSED discard input.
            }
        }
    }

    private void receiveRts(RtsMessage r) {
        if (r instanceof RtsMessage.Ping) {
            pingsReceived++;
        } else if (r instanceof RtsMessage.FlowControlAck ack) {
            onAck(ack.bytesReceived(), ack.availableWindow(), ack.channelCookie());
        } else if (r instanceof RtsMessage.FlowControlAckWithDestination ack) {
            onAck(ack.bytesReceived(), ack.availableWindow(), ack.channelCookie());
        } else if ((r.is(RtsPduKind.IN_R1_A4) || r.is(RtsPduKind.IN_R2_A4)) && inRecycle == InRecycle.WAIT_A4) {
            onInRecycleA4(r);
        } else if (r.is(RtsPduKind.OUT_R1_A2) && outRecycle == OutRecycle.NONE) {
            startOutRecycle();
        } else if (r.is(RtsPduKind.OUT_R1_A6) && outRecycle == OutRecycle.WAIT_A6) {
            writeRts(inLeg, new RtsMessage.OutR1A7(ForwardDestination.SERVER, outSuccessorCookie));
            outRecycle = OutRecycle.WAIT_A10;
        } else if (r.is(RtsPduKind.OUT_R2_A6) && outRecycle == OutRecycle.WAIT_A6) {
            writeRts(inLeg, new RtsMessage.OutR2A7(ForwardDestination.SERVER, outSuccessorCookie, VERSION));
            writeRts(outSuccessor, new RtsMessage.OutR2C1());
            outRecycle = OutRecycle.WAIT_B3;
        } else if (r.is(RtsPduKind.OUT_R1_A10) && outRecycle == OutRecycle.WAIT_A10) {
            writeRts(outSuccessor, new RtsMessage.OutR1A9()); // OUT_R1/A11: ANCE
            switchOut();
        } else if (r.is(RtsPduKind.OUT_R2_B3) && outRecycle == OutRecycle.WAIT_B3) {
            switchOut();
        } else {
            transcript.note("VC", "RTS PDU ignored: " + r.kinds());
        }
    }

    /** A flow control ack for the IN channel. @see [MS-RPCH] 3.2.1.4.1.2 Sender */
    private void onAck(long ackBytesReceived, long availableWindow, UUID channelCookie) {
        if (!channelCookie.equals(inCookie)) {
            transcript.note("VC", "flow control ack for another channel ignored");
            return;
        }
        acksReceived++;
        // Per spec: available = AvailableWindow - (BytesSent - BytesReceived)
        peerAvailable = availableWindow - (rpcBytesSentOnChannel - ackBytesReceived);
        drain();
    }

    /** @see [MS-RPCH] 3.2.1.4.1.1 Receiver: ack once half the window is consumed */
    private void receiveRpc(DcePdu pdu, int fragLength) {
        bytesReceived += fragLength;
        unacked += fragLength;
        if (unacked * 2 >= options.receiveWindow()) {
            acksSent++;
            unacked = 0;
            writeRts(inLeg, new RtsMessage.FlowControlAckWithDestination(ForwardDestination.OUT_PROXY, bytesReceived,
                    options.receiveWindow(), outCookie));
        }
        if (pdu instanceof DcePdu.BindAckFamily ack) {
            PendingBind b = binds.remove(pdu.callId());
            if (b != null) {
                onBindAck(b, ack);
            }
        } else if (pdu instanceof DcePdu.BindNak nak) {
            PendingBind b = binds.remove(pdu.callId());
            if (b != null) {
                b.result().completeExceptionally(new RpchFailure(Hop.BIND, Kind.BIND_REJECTED, "bind_nak for " + b.iface()
                        + ": provider_reject_reason " + nak.rejectReason()));
            }
        } else if (pdu instanceof DcePdu.Response resp) {
            Optional<DcePdu.CallFragment> whole = assembler.add(resp);
            if (whole.isPresent()) {
                RpcCall c = calls.remove(resp.callId());
                if (c != null) {
                    c.result.complete(Unpooled.wrappedBuffer(whole.get().stub().toByteArray()));
                }
            }
        } else if (pdu instanceof DcePdu.Fault fault) {
            assembler.reset();
            RpcCall c = calls.remove(fault.callId());
            PendingBind b = binds.remove(fault.callId());
            if (c != null) {
                c.result.completeExceptionally(new RpcFaultException(fault.status(), c.callId, c.opnum));
            } else if (b != null) {
                b.result().completeExceptionally(new RpchFailure(Hop.BIND, Kind.BIND_REJECTED, "fault " + fault.status()
                        + " for the bind of " + b.iface()));
            }
        } else if (pdu instanceof DcePdu.Shutdown) {
            fail(new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.CLOSED, "the RPC server sent shutdown"));
        }
    }

    private void onBindAck(PendingBind b, DcePdu.BindAckFamily ack) {
        List<ContextResult> results = ack.results();
        if (results.isEmpty() || results.get(0).result() != ContextResult.Result.ACCEPTANCE) {
            String why = results.isEmpty() ? "no result" : results.get(0).result() + " reason " + results.get(0).reason()
                    + (results.get(0).reason() == ContextResult.REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED ? " (abstract syntax not supported)"
                    : results.get(0).reason() == ContextResult.REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED ? " (transfer syntaxes not supported)" : "");
            b.result().completeExceptionally(new RpchFailure(Hop.BIND, Kind.BIND_REJECTED, b.iface() + " refused: " + why));
            return;
        }
        OptionalInt features = OptionalInt.empty();
        if (b.negotiate() && results.size() > 1 && results.get(1).result() == ContextResult.Result.NEGOTIATE_ACK) {
            features = OptionalInt.of(results.get(1).reason());
        }
        bound = true;
        assocGroupId = ack.assocGroupId();
        maxXmitFrag = Math.min(options.maxFrag(), ack.maxRecvFrag());
        b.result().complete(new BindResult(b.contextId(), b.iface(), maxXmitFrag, ack.maxXmitFrag(), ack.assocGroupId(),
                ack.secondaryAddress(), features));
    }

    // ================================================================== failure and close

    private RpchFailure openingCandidate;
    private int openingPriority = Integer.MAX_VALUE;

    /**
     * While opening, a refusal usually reaches both channels, and one connection may close before the other's answer
     * arrives: collect for a moment and report the most telling cause (IN answer, OUT answer, then a close).
     */
    private void failOpening(RpchFailure f, int priority) {
        if (state == State.OPENED || state == State.FAILED || state == State.CLOSED) {
            fail(f);
            return;
        }
        if (openingCandidate == null) {
            loop.schedule(() -> fail(openingCandidate), 150, TimeUnit.MILLISECONDS);
        }
        if (priority < openingPriority) {
            openingCandidate = f;
            openingPriority = priority;
        }
    }

    private void fail(RpchFailure f) {
        if (state == State.FAILED || state == State.CLOSED) {
            return;
        }
        failure = f;
        state = State.FAILED;
        transcript.note("VC", "failed: " + f.getMessage());
        terminate(f);
    }

    private void terminate(RpchFailure f) {
        if (pingTask != null) {
            pingTask.cancel(false);
        }
        opened.completeExceptionally(f);
        calls.values().forEach(c -> c.result.completeExceptionally(f));
        calls.clear();
        binds.values().forEach(b -> b.result().completeExceptionally(f));
        binds.clear();
        inQueue.forEach(ByteBuf::release);
        inQueue.clear();
        inQueueLabels.clear();
        for (HttpLeg l : new HttpLeg[] {inLeg, outLeg, successor, outSuccessor}) {
            if (l != null) {
                l.close();
            }
        }
    }

    /** The failure that ended this connection, if one did. */
    public Optional<RpchFailure> failure() {
        return Optional.ofNullable(failure);
    }

    /** Counters so far (read on the event loop). */
    public Stats stats() {
        if (loop.inEventLoop()) {
            return new Stats(rpcBytesSent, bytesReceived, acksSent, acksReceived, pingsSent, pingsReceived, inRecycles,
                    outRecycles, inQueue.size());
        }
        CompletableFuture<Stats> f = new CompletableFuture<>();
        onLoop(f, Hop.VIRTUAL_CONNECTION, () -> f.complete(new Stats(rpcBytesSent, bytesReceived, acksSent, acksReceived, pingsSent, pingsReceived,
                inRecycles, outRecycles, inQueue.size())));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stats: event loop did not answer", e);
        }
    }

    /** The CONN/C2 connection timeout (the inbound proxy's), in ms. */
    public long connectionTimeout() {
        return connectionTimeout;
    }

    /** The CONN/A3 connection timeout (the outbound proxy's), in ms. */
    public long outProxyConnectionTimeout() {
        return outProxyConnectionTimeout;
    }

    /** The virtual connection cookie sent in CONN/A1 and CONN/B1. */
    public UUID cookie() {
        return vcCookie;
    }

    public RpchClientOptions options() {
        return options;
    }

    public Transcript transcript() {
        return transcript;
    }

    /** Closes both channels (no RTS goodbye exists; Windows closes the connections) and fails calls in flight. */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onLoop(done, Hop.VIRTUAL_CONNECTION, () -> {
            if (state != State.CLOSED && state != State.FAILED) {
                state = State.CLOSED;
                terminate(new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.CLOSED, "closed by the client"));
            } else if (state == State.FAILED) {
                terminate(failure);
            }
            done.complete(null);
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the loop is gone; nothing left to release
        }
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
