package dev.anywhere.analyzer.rpch;

import dev.anywhere.analyzer.rpch.RpchFailure.Hop;
import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import dev.anywhere.rpc.dce.AuthVerifier;
import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.FragmentAssembler;
import dev.anywhere.rpc.dce.Fragmenter;
import dev.anywhere.rpc.dce.NtlmBindHandshake;
import dev.anywhere.rpc.dce.PduSecurity;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.client.ClientChannel;
import dev.anywhere.rpc.rpch.client.ClientEngine;
import dev.anywhere.rpc.rpch.client.ClientFault;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
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
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
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
 * <p>Every [MS-RPCH] decision (what to send when, windows, recycling steps, which PDU a state allows) is made by the
 * shared {@link ClientEngine}; this class is its blocking, diagnostic I/O adapter: it opens and authenticates the HTTP
 * connections ({@link HttpLeg}), writes transcripts, names failures by hop, and runs DCE/RPC binds and calls.
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
    static final long VERSION = ClientEngine.VERSION;

    /** The Echo RTS PDU an echo request must be answered with. */
    static final byte[] ECHO_PDU = RpchCodec.toBytes(new RtsMessage.Echo());

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

    private final ClientEngine engine;

    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    /** Set once by {@link #fail} or {@link #close()}: the adapter's own end, after which nothing is sent. */
    private boolean ended;
    private volatile RpchFailure failure;
    private HttpLeg inLeg;
    private HttpLeg outLeg;
    /** The successors while a channel is recycled. */
    private HttpLeg successor;
    private HttpLeg outSuccessor;
    /** PDUs from the successor OUT channel before the switch, delivered (in order) once the engine switched. */
    private final List<Runnable> successorPdus = new ArrayList<>();
    /** RPC PDUs waiting for the inbound proxy's window or the end of IN recycling. */
    private final ArrayDeque<ByteBuf> inQueue = new ArrayDeque<>();
    private final ArrayDeque<String> inQueueLabels = new ArrayDeque<>();
    private ChannelFuture lastRtsWrite;
    private ScheduledFuture<?> pingTask;

    // DCE/RPC
    private int nextCallId = 1;
    private int nextContextId;
    private boolean bound;
    private long assocGroupId;
    private int maxXmitFrag;
    private final Map<Integer, RpcCall> calls = new HashMap<>();
    private final Map<Integer, PendingBind> binds = new HashMap<>();
    private final FragmentAssembler assembler = new FragmentAssembler();

    /** The binding's per-PDU protection once an authenticated bind completed; null for an unauthenticated one. */
    private PduSecurity security;

    /** {@code ntlm} is the handshake of an authenticated bind (its bind carried the NEGOTIATE), else null. */
    private record PendingBind(int contextId, SyntaxId iface, boolean negotiate, CompletableFuture<BindResult> result,
            RpcAuth auth, NtlmBindHandshake ntlm) {
    }

    /**
     * The auth_context_id of this client's one security context. Any value works; Windows numbers its contexts
     * from 0, a constant that is not 0 shows in a capture which side chose it.
     */
    static final int AUTH_CONTEXT_ID = 1;

    private VirtualConnection(RpchClientOptions options, Transcript transcript, EventExecutor loop, EventLoopGroup ownedGroup,
            LegOpener opener) {
        this.options = options;
        this.transcript = transcript;
        this.loop = loop;
        this.ownedGroup = ownedGroup;
        this.opener = opener;
        this.maxXmitFrag = options.maxFrag();
        this.engine = new ClientEngine(new ClientEngine.Settings(options.receiveWindow(), options.inChannelLifetime(),
                options.inRecycleAfter(), options.clientKeepalive(), options.pingInterval().toMillis(), true,
                options.query(), System::nanoTime), new EngineActions());
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
            vc.loop.execute(vc.engine::start);
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
        vc.engine.start();
        return vc;
    }

    static InetSocketAddress resolve(RpchClientOptions o, Transcript t) throws RpchFailure {
        if (o.addressOverride().isPresent()) {
            t.note("DNS", RpchFailure.Text.of("note.dns-override", "host", o.proxyHost(), "address", o.addressOverride().get().getHostAddress()));
            return new InetSocketAddress(o.addressOverride().get(), o.proxyPort());
        }
        try {
            InetAddress a = InetAddress.getByName(o.proxyHost());
            t.note("DNS", RpchFailure.Text.of("note.dns", "host", o.proxyHost(), "address", a.getHostAddress()));
            return new InetSocketAddress(a, o.proxyPort());
        } catch (UnknownHostException e) {
            throw new RpchFailure(Hop.DNS, Kind.DNS_NAME_NOT_FOUND, RpchFailure.Text.of("dns.not-found", "host", o.proxyHost()), e);
        }
    }

    /** The future that completes on CONN/C2 (or fails); for tests and asynchronous callers. */
    CompletableFuture<Void> opened() {
        return opened;
    }

    private void awaitOpened() throws RpchFailure {
        try {
            opened.get(options.openTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            CompletableFuture<Object> where = new CompletableFuture<>();
            loop.execute(() -> where.complete(waitingFor()));
            Object w;
            try {
                w = where.get(1, TimeUnit.SECONDS);
            } catch (Exception x) {
                w = "CONN/C2";
            }
            RpchFailure f = new RpchFailure(Hop.PROXY, Kind.TIMEOUT, RpchFailure.Text.of("not-received", "what", w, "ms",
                    options.openTimeout().toMillis(), "waiting", ""), null);
            loop.execute(() -> fail(f));
            throw f;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RpchFailure f) {
                throw f;
            }
            throw new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.PROTOCOL, RpchFailure.Text.of("vc.opening-failed", "cause",
                    e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.TIMEOUT, RpchFailure.Text.of("vc.opening-interrupted"));
        }
    }

    /** What the opening waits for: a text of the bundle, or the PDU's name. */
    private Object waitingFor() {
        return switch (engine.phase()) {
            case WAIT_A3 -> RpchFailure.Text.of(engine.outHasResponded() ? "what.a3-after-200" : "what.out-response");
            case WAIT_C2 -> RpchFailure.Text.of("what.c2-after-a3", "query", options.query());
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
            HttpLeg.Answer a = leg.exchange(leg.request(RPC_IN_DATA, 0, auth, true), options.httpTimeout(), RpchFailure.Text.of("what.echo"));
            Duration roundTrip = Duration.ofNanos(System.nanoTime() - rt);
            if (a.status() != 200) {
                throw HttpLeg.failure(options, RpchFailure.Text.of("what.echo"), a);
            }
            if (!Arrays.equals(a.body(), ECHO_PDU)) {
                throw new RpchFailure(Hop.HTTP, Kind.NOT_RPC_PROXY, RpchFailure.Text.of("http.not-echo", "bytes", a.body().length), null);
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
        return bind(iface, negotiateFeatures, null);
    }

    /**
     * Binds {@code iface} with DCE/RPC authentication (NTLM at {@code auth}'s level): the bind carries the
     * NEGOTIATE_MESSAGE, bind_ack the CHALLENGE_MESSAGE, and rpc_auth_3 the AUTHENTICATE_MESSAGE (NTLMv2). From then
     * on every request fragment is signed (PKT_INTEGRITY) or sealed (PKT_PRIVACY) and every response fragment must
     * verify, or the virtual connection fails with {@link RpchFailure.Kind#BAD_SIGNATURE}. Only the first bind of a
     * virtual connection can authenticate (one security context per association).
     *
     * @see [MS-RPCE] 3.3.1.5.2 Building and Using a Security Context
     * @see [MS-RPCE] 2.2.2.10 rpc_auth_3 PDU
     */
    public CompletableFuture<BindResult> bind(SyntaxId iface, RpcAuth auth) {
        return bind(iface, false, Objects.requireNonNull(auth, "auth"));
    }

    private CompletableFuture<BindResult> bind(SyntaxId iface, boolean negotiateFeatures, RpcAuth auth) {
        CompletableFuture<BindResult> f = new CompletableFuture<>();
        onLoop(f, Hop.BIND, () -> {
            if (!usable(f, Hop.BIND)) {
                return;
            }
            if (auth != null && bound) {
                f.completeExceptionally(new RpchFailure(Hop.BIND, Kind.UNSUPPORTED, RpchFailure.Text.of("bind.second-auth")));
                return;
            }
            int callId = nextCallId++;
            int ctx = nextContextId++;
            List<PresentationContext> pcs = new ArrayList<>(List.of(PresentationContext.ndr(ctx, iface)));
            NtlmBindHandshake ntlm = auth == null ? null
                    : new NtlmBindHandshake(auth.credentials(), auth.level(), AUTH_CONTEXT_ID);
            if (negotiateFeatures) {
                pcs.add(new PresentationContext(nextContextId++, iface, List.of(SyntaxId.bindTimeFeatureNegotiation(
                        SyntaxId.FEATURE_SECURITY_CONTEXT_MULTIPLEXING | SyntaxId.FEATURE_KEEP_CONNECTION_ON_ORPHAN))));
            }
            DcePdu pdu = bound
                    ? new DcePdu.AlterContext(PfcFlag.SINGLE_FRAGMENT, callId, options.maxFrag(), options.maxFrag(), assocGroupId,
                            pcs, Optional.empty())
                    : new DcePdu.Bind(PfcFlag.SINGLE_FRAGMENT, callId, options.maxFrag(), options.maxFrag(), 0, pcs,
                            Optional.ofNullable(ntlm).map(NtlmBindHandshake::bindVerifier));
            binds.put(callId, new PendingBind(ctx, iface, negotiateFeatures, f, auth, ntlm));
            scheduleTimeout(f, Hop.BIND, RpchFailure.Text.of("what.bind-ack", "iface", iface));
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
            c.timeout = scheduleTimeout(f, Hop.CALL, RpchFailure.Text.of("what.response-opnum", "callId", callId, "opnum", opnum));
            DcePdu.Request whole = new DcePdu.Request(callId, contextId, opnum, s);
            int frag = Math.max(Fragmenter.MIN_FRAG, maxXmitFrag);
            if (security != null) {
                for (ByteBuf encoded : security.protectFragments(whole, frag, alloc)) {
                    sendRpc(encoded, transcript.enabled() ? "request call_id " + callId + " opnum " + opnum + " "
                            + encoded.readableBytes() + " bytes, " + security : "");
                }
                return;
            }
            for (DcePdu.CallFragment part : Fragmenter.fragment(whole, frag)) {
                ByteBuf encoded = DceCodec.encode(part, alloc);
                sendRpc(encoded, transcript.enabled() ? HttpLeg.describe(part, encoded.readableBytes()) : "");
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
                    RpchFailure.Text.of("vc.not-open", "state", RpchFailure.Text.of("vc.state.closed"))));
        }
    }

    private boolean usable(CompletableFuture<?> f, Hop hop) {
        if (engine.isOpened() && !ended) {
            return true;
        }
        String state = ended && !engine.terminal() ? "closed" : engine.phase().name().toLowerCase(java.util.Locale.ROOT);
        f.completeExceptionally(failure != null ? failure : new RpchFailure(hop, Kind.CLOSED,
                RpchFailure.Text.of("vc.not-open", "state", RpchFailure.Text.of("vc.state." + state.replace('_', '-')))));
        return false;
    }

    private ScheduledFuture<?> scheduleTimeout(CompletableFuture<?> f, Hop hop, RpchFailure.Text what) {
        long ms = options.callTimeout().toMillis();
        ScheduledFuture<?> t = loop.schedule(() -> {
            if (f.completeExceptionally(new RpchFailure(hop, Kind.TIMEOUT, RpchFailure.Text.of("not-received", "what", what, "ms", ms, "waiting",
                    inQueue.isEmpty() ? "" : RpchFailure.Text.of("pdus-waiting", "count", inQueue.size())), null))) {
                transcript.note("VC", RpchFailure.Text.of("note.timed-out", "hop", RpchFailure.Text.of("label." + hop.name())));
            }
        }, ms, TimeUnit.MILLISECONDS);
        f.whenComplete((v, e) -> t.cancel(false));
        return t;
    }

    // ================================================================== sending on IN

    /** Queues an RPC PDU for the IN channel and sends what the engine allows. */
    private void sendRpc(ByteBuf pdu, String label) {
        inQueue.add(pdu);
        inQueueLabels.add(label);
        drain();
    }

    /** Sends queued RPC PDUs while the engine allows (window, no IN recycling under way). */
    private void drain() {
        while (!inQueue.isEmpty() && !ended && engine.mayWrite(inQueue.peek().readableBytes())) {
            ByteBuf pdu = inQueue.poll();
            int n = pdu.readableBytes();
            inLeg.writePdu(pdu, inQueueLabels.poll());
            engine.wrote(n);
        }
    }

    /** Sends a Ping RTS PDU on the IN channel now. @see [MS-RPCH] 2.2.4.49 Ping RTS PDU */
    public void ping() {
        onLoop(new CompletableFuture<>(), Hop.VIRTUAL_CONNECTION, engine::ping);
    }

    /** Changes the client keep-alive interval the inbound proxy expects. @see [MS-RPCH] 2.2.4.46 Keep-Alive RTS PDU */
    public void keepAlive(long millis) {
        onLoop(new CompletableFuture<>(), Hop.VIRTUAL_CONNECTION, () -> engine.keepAlive(millis));
    }

    /** Replaces the IN channel now (normally done when its byte budget is nearly used). @see [MS-RPCH] 2.2.4.10 IN_R1/A1 RTS PDU */
    public CompletableFuture<Void> recycleInChannel() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        onLoop(f, Hop.VIRTUAL_CONNECTION, () -> {
            if (ended || !engine.recycleIn()) {
                f.completeExceptionally(new IllegalStateException("recycle: state " + engine.phase()
                        + (engine.recyclingIn() ? ", recycling" : "")));
                return;
            }
            f.complete(null);
        });
        return f;
    }

    private HttpLeg leg(ClientChannel c) {
        return switch (c) {
            case IN -> inLeg;
            case OUT -> outLeg;
            case IN_SUCCESSOR -> successor;
            case OUT_SUCCESSOR -> outSuccessor;
        };
    }

    private ClientChannel channelOf(HttpLeg leg) {
        if (leg == null) {
            return null;
        }
        return leg == inLeg ? ClientChannel.IN : leg == outLeg ? ClientChannel.OUT : leg == successor
                ? ClientChannel.IN_SUCCESSOR : leg == outSuccessor ? ClientChannel.OUT_SUCCESSOR : null;
    }

    /** What the engine decides, carried out on the HTTP connections. */
    private final class EngineActions implements ClientEngine.Actions {
        @Override
        public int send(ClientChannel channel, RtsMessage pdu) {
            ByteBuf bytes = RpchCodec.encode(pdu, alloc);
            int n = bytes.readableBytes();
            lastRtsWrite = leg(channel).writePdu(bytes, transcript.enabled() ? HttpLeg.describe(pdu, n) : "");
            return n;
        }

        @Override
        public void opened() {
            transcript.note("VC", RpchFailure.Text.of("note.opened", "window", engine.peerWindow(), "ms", engine.connectionTimeout()));
            long interval = engine.pingIntervalMillis();
            pingTask = loop.scheduleAtFixedRate(engine::onPingTimer, interval, interval, TimeUnit.MILLISECONDS);
            VirtualConnection.this.opened.complete(null);
            drain();
        }

        /** Opens the successor's HTTP connection off the loop (DNS, TCP, TLS, authentication block). */
        @Override
        public void openSuccessor(ClientChannel next) {
            boolean in = next == ClientChannel.IN_SUCCESSOR;
            String name = in ? "IN" + (engine.inRecycles() + 2) : "OUT" + (engine.outRecycles() + 2);
            transcript.note("VC", in ? RpchFailure.Text.of("note.recycling-in", "bytes", inLeg.bodyBytesSent)
                    : RpchFailure.Text.of("note.recycling-out"));
            Thread t = new Thread(() -> {
                try {
                    OpenedLeg n = opener.open(name, in ? RPC_IN_DATA : RPC_OUT_DATA, listener);
                    loop.execute(() -> {
                        if (ended || !engine.isOpened()) {
                            n.leg().close();
                            return;
                        }
                        if (in) {
                            successor = n.leg();
                            successor.sendChannelRequestNow(RPC_IN_DATA, options.inChannelLifetime(), n.authorization(), false);
                        } else {
                            outSuccessor = n.leg();
                            outSuccessor.sendChannelRequestNow(RPC_OUT_DATA, RpchClientOptions.OUT_CHANNEL_RECYCLE_CONTENT_LENGTH,
                                    n.authorization(), true);
                        }
                        engine.successorReady(next);
                    });
                } catch (RpchFailure f) {
                    loop.execute(() -> fail(f));
                }
            }, in ? "rpch-recycle" : "rpch-recycle-out");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void switched(ClientChannel channel) {
            if (channel == ClientChannel.IN) {
                HttpLeg old = inLeg;
                lastRtsWrite.addListener(w -> old.close()); // after IN_R1/A5, its last PDU
                inLeg = successor;
                successor = null;
                transcript.note("VC", RpchFailure.Text.of("note.in-recycled"));
                return;
            }
            HttpLeg old = outLeg;
            outLeg = outSuccessor;
            outSuccessor = null;
            old.close();
            transcript.note("VC", RpchFailure.Text.of("note.out-recycled"));
            List<Runnable> early = new ArrayList<>(successorPdus);
            successorPdus.clear();
            early.forEach(Runnable::run);
        }

        @Override
        public void windowOpened() {
            drain();
        }

        @Override
        public void failed(ClientFault fault) {
            fail(new RpchFailure(fault.kind() == ClientFault.Kind.CLOSED && !fault.opened() ? Hop.PROXY : Hop.VIRTUAL_CONNECTION,
                    fault.kind() == ClientFault.Kind.CLOSED ? Kind.CLOSED : Kind.PROTOCOL, text(fault)));
        }
    }

    /** The engine's fault as the bundle's sentence {@code rpch.fault.<key>}, English the same as {@link ClientFault#message()}. */
    static RpchFailure.Text text(ClientFault fault) {
        return new RpchFailure.Text("fault." + fault.reason().key(), fault.values());
    }

    // ================================================================== receiving

    private final class Listener implements HttpLeg.Listener {
        @Override
        public void onChannelResponse(HttpLeg leg, int status, String reason) {
            if (leg == outLeg) {
                engine.outResponded();
            }
        }

        @Override
        public void onChannelError(HttpLeg leg, HttpLeg.Answer answer) {
            if (channelOf(leg) != null) {
                failOpening(HttpLeg.failure(options, RpchFailure.Text.of("what.channel-request", "leg", leg.name), answer), leg == inLeg ? 0 : 1);
            }
        }

        @Override
        public void onRts(HttpLeg leg, RtsMessage rts, int fragLength) {
            deliver(leg, () -> engine.onRts(rts));
        }

        @Override
        public void onRpc(HttpLeg leg, DcePdu rpc, byte[] signed, int fragLength) {
            deliver(leg, () -> {
                if (engine.onRpc(rpc.type().value(), fragLength)) {
                    receiveRpc(rpc, signed);
                }
            });
        }

        private void deliver(HttpLeg leg, Runnable receive) {
            ClientChannel c = channelOf(leg);
            if (c == null || ended) {
                return;
            }
            switch (engine.disposition(c)) {
                case HOLD -> successorPdus.add(receive); // delivered once the engine has switched to it
                case DELIVER -> {
                    try {
                        receive.run();
                    } catch (RuntimeException e) {
                        fail(new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.PROTOCOL, RpchFailure.Text.of("vc.bad-input", "detail",
                                String.valueOf(e.getMessage())), e));
                    }
                }
                case DROP -> {
                    // not a channel in use any more
                }
            }
        }

        @Override
        public void onProtocolError(HttpLeg leg, RpchFailure f) {
            if (channelOf(leg) != null) {
                fail(f);
            }
        }

        @Override
        public void onClosed(HttpLeg leg) {
            ClientChannel c = channelOf(leg);
            ClientFault f = c == null || ended ? null : engine.channelClosed(c);
            if (f == null) {
                return;
            }
            RpchFailure closed = new RpchFailure(f.opened() ? Hop.VIRTUAL_CONNECTION : Hop.PROXY, Kind.CLOSED, text(f));
            long grace = engine.closeGraceMillis(c, !calls.isEmpty());
            if (grace > 0) {
                loop.schedule(() -> fail(closed), grace, TimeUnit.MILLISECONDS);
                return;
            }
            failOpening(closed, 3);
        }
    }

    /** A DCE/RPC PDU the engine let through (counted for flow control). */
    private void receiveRpc(DcePdu pdu, byte[] signed) {
        if (pdu instanceof DcePdu.Response && security != null && security.signs()) {
            pdu = verified((DcePdu.Response) pdu, signed);
            if (pdu == null) {
                return;
            }
        }
        if (pdu instanceof DcePdu.BindAckFamily ack) {
            PendingBind b = binds.remove(pdu.callId());
            if (b != null) {
                onBindAck(b, ack);
            }
        } else if (pdu instanceof DcePdu.BindNak nak) {
            PendingBind b = binds.remove(pdu.callId());
            if (b != null) {
                b.result().completeExceptionally(new RpchFailure(Hop.BIND, Kind.BIND_REJECTED, RpchFailure.Text.of("bind.nak", "iface",
                        b.iface(), "reason", nak.rejectReason())));
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
                b.result().completeExceptionally(new RpchFailure(Hop.BIND, Kind.BIND_REJECTED, RpchFailure.Text.of("bind.fault",
                        "status", fault.status(), "iface", b.iface())));
            }
        } else if (pdu instanceof DcePdu.Shutdown) {
            fail(new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.CLOSED, RpchFailure.Text.of("vc.shutdown")));
        }
    }

    /**
     * A response fragment of a signed or sealed binding, verified (and unsealed) from its bytes; null when it does
     * not verify, after failing the virtual connection: the sequence numbers of both sides no longer agree, so
     * nothing after it could verify either. impacket never checks the server's signatures; we do, because a
     * response that does not verify means something between client and server altered it.
     */
    private DcePdu.Response verified(DcePdu.Response resp, byte[] signed) {
        RpcCall c = calls.get(resp.callId());
        RpchFailure.Text what = c == null ? RpchFailure.Text.of("what.response", "callId", resp.callId())
                : RpchFailure.Text.of("what.response-opnum", "callId", resp.callId(), "opnum", c.opnum);
        if (signed == null) {
            fail(new RpchFailure(Hop.CALL, Kind.BAD_SIGNATURE, RpchFailure.Text.of("call.no-verifier", "what", what, "level",
                    security.level())));
            return null;
        }
        try {
            return (DcePdu.Response) security.unprotect(Unpooled.wrappedBuffer(signed));
        } catch (DceProtocolException e) {
            fail(new RpchFailure(Hop.CALL, Kind.BAD_SIGNATURE, RpchFailure.Text.of("call.bad-signature", "what", what, "detail",
                    String.valueOf(e.getMessage())), e));
            return null;
        }
    }

    /** The second leg of an authenticated bind: AUTHENTICATE in rpc_auth_3, then the binding's protection. */
    private boolean authenticate(PendingBind b, DcePdu.BindAckFamily ack) {
        Optional<AuthVerifier> challenge = ack.auth();
        if (challenge.isEmpty() || challenge.get().authType() != AuthVerifier.AUTHN_WINNT) {
            b.result().completeExceptionally(new RpchFailure(Hop.BIND, Kind.RPC_AUTH, RpchFailure.Text.of("bind.no-challenge",
                    "iface", b.iface(), "level", b.auth().levelName())));
            return false;
        }
        AuthVerifier authenticate;
        try {
            authenticate = b.ntlm().auth3Verifier(challenge.get());
        } catch (RuntimeException e) { // a malformed CHALLENGE, another level or context id
            b.result().completeExceptionally(new RpchFailure(Hop.BIND, Kind.RPC_AUTH, RpchFailure.Text.of("bind.bad-challenge",
                    "iface", b.iface(), "detail", String.valueOf(e.getMessage())), e));
            return false;
        }
        DcePdu.Auth3 auth3 = new DcePdu.Auth3(PfcFlag.SINGLE_FRAGMENT, ack.callId(), Octets.zeros(4),
                Optional.of(authenticate));
        ByteBuf encoded = DceCodec.encode(auth3, alloc);
        sendRpc(encoded, transcript.enabled() ? "rpc_auth_3 call_id " + ack.callId() + " " + encoded.readableBytes()
                + " bytes [AUTHENTICATE, redacted]" : "");
        security = b.ntlm().security();
        return true;
    }

    private void onBindAck(PendingBind b, DcePdu.BindAckFamily ack) {
        List<ContextResult> results = ack.results();
        if (results.isEmpty() || results.get(0).result() != ContextResult.Result.ACCEPTANCE) {
            RpchFailure.Text why = results.isEmpty() ? RpchFailure.Text.of("bind.no-result")
                    : RpchFailure.Text.of("bind.result", "result", results.get(0).result(), "reason", results.get(0).reason(), "note",
                            results.get(0).reason() == ContextResult.REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED ? RpchFailure.Text.of("bind.abstract-syntax")
                            : results.get(0).reason() == ContextResult.REASON_TRANSFER_SYNTAXES_NOT_SUPPORTED
                                    ? RpchFailure.Text.of("bind.transfer-syntaxes") : "");
            b.result().completeExceptionally(new RpchFailure(Hop.BIND, Kind.BIND_REJECTED, RpchFailure.Text.of("bind.refused", "iface",
                    b.iface(), "why", why)));
            return;
        }
        OptionalInt features = OptionalInt.empty();
        if (b.negotiate() && results.size() > 1 && results.get(1).result() == ContextResult.Result.NEGOTIATE_ACK) {
            features = OptionalInt.of(results.get(1).reason());
        }
        if (b.ntlm() != null && !authenticate(b, ack)) {
            return;
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
        if (engine.isOpened() || ended) {
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
        if (ended) {
            return;
        }
        ended = true;
        failure = f;
        engine.abort();
        transcript.note("VC", RpchFailure.Text.of("note.failed", "hop", RpchFailure.Text.of("label." + f.hop().name()), "detail",
                f.text().<Object>map(t -> t).orElse(f.detail())));
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
            return statsNow();
        }
        CompletableFuture<Stats> f = new CompletableFuture<>();
        onLoop(f, Hop.VIRTUAL_CONNECTION, () -> f.complete(statsNow()));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("stats: event loop did not answer", e);
        }
    }

    private Stats statsNow() {
        return new Stats(engine.rpcBytesSent(), engine.rpcBytesReceived(), engine.acksSent(), engine.acksReceived(),
                engine.pingsSent(), engine.pingsReceived(), engine.inRecycles(), engine.outRecycles(), inQueue.size());
    }

    /** The CONN/C2 connection timeout (the inbound proxy's), in ms. */
    public long connectionTimeout() {
        return engine.connectionTimeout();
    }

    /** The CONN/A3 connection timeout (the outbound proxy's), in ms. */
    public long outProxyConnectionTimeout() {
        return engine.outProxyConnectionTimeout();
    }

    /** The virtual connection cookie sent in CONN/A1 and CONN/B1. */
    public java.util.UUID cookie() {
        return engine.cookie();
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
            if (!ended) {
                ended = true;
                engine.close();
                terminate(new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.CLOSED, RpchFailure.Text.of("vc.closed-by-client")));
            } else if (failure != null) {
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
