package dev.anywhere.analyzer.rpch;

import dev.anywhere.analyzer.rpch.RpchFailure.Hop;
import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.ntlm.NtlmClient;
import dev.anywhere.rpc.ntlm.NtlmHttpHeader;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.StrayHttpAnswer;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 connection to the RPC proxy, plain or TLS: connect, authenticate (the NTLM 401 leg with
 * Content-Length 0 on the same connection), then either one request/response exchange (echo, auth leg) or a
 * channel request whose body the client streams (IN) or whose response body streams PDUs back (OUT). The response
 * body of a channel is cut into PDUs by frag_length and handed to the {@link Listener} on the event loop.
 *
 * @see [MS-RPCH] 2.1.2.1 Client to Proxy
 */
final class HttpLeg extends ChannelInboundHandlerAdapter {

    /** Where a channel's events go; always called on the leg's event loop. */
    interface Listener {
        /** The OUT channel's {@code 200}; PDUs follow. */
        void onChannelResponse(HttpLeg leg, int status, String reason);

        /** A complete non-200 answer to a channel request (503 RPC Error, 401, …). */
        void onChannelError(HttpLeg leg, Answer answer);

        /** One RTS PDU from the channel's response body. */
        void onRts(HttpLeg leg, RtsMessage rts, int fragLength);

        /**
         * One DCE/RPC PDU from the channel's response body; {@code signed} holds its bytes when it carries an auth
         * verifier (a response of a secured binding, verified and unsealed from exactly these bytes), else null.
         */
        void onRpc(HttpLeg leg, DcePdu rpc, byte[] signed, int fragLength);

        /** The response body was not a PDU stream. */
        void onProtocolError(HttpLeg leg, RpchFailure failure);

        /** The connection closed. */
        void onClosed(HttpLeg leg);
    }

    /** A complete HTTP answer (bodies of error answers only, capped). */
    record Answer(int status, String reason, HttpHeaders headers, byte[] body) {
        String bodyText() {
            String s = new String(body, StandardCharsets.ISO_8859_1).strip();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl).strip();
        }

        List<String> challenges() {
            return headers.getAll(HttpHeaderNames.WWW_AUTHENTICATE);
        }
    }

    static final Listener NO_LISTENER = new Listener() {
        @Override public void onChannelResponse(HttpLeg leg, int status, String reason) { }
        @Override public void onChannelError(HttpLeg leg, Answer answer) { }
        @Override public void onRts(HttpLeg leg, RtsMessage rts, int fragLength) { }
        @Override public void onRpc(HttpLeg leg, DcePdu rpc, byte[] signed, int fragLength) { }
        @Override public void onProtocolError(HttpLeg leg, RpchFailure failure) { }
        @Override public void onClosed(HttpLeg leg) { }
    };

    private static final int MAX_ANSWER_BODY = 16 * 1024;
    private static final Pattern RPC_ERROR = Pattern.compile("RPC Error: ?([0-9a-fA-F]{1,8})");

    final String name;
    private final RpchClientOptions options;
    private final Transcript transcript;
    private volatile Listener listener;
    private Channel channel;

    private CompletableFuture<Answer> pending;
    private CompletableFuture<Void> continued;
    private boolean streamingResponse;
    private boolean bodyIsPdus;
    private boolean skippingInterim;
    private HttpResponse answerHead;
    private ByteArrayOutputStream answerBody;
    private ByteBuf cumulation;
    private boolean failed;
    /** Bytes written to this connection's request body (PDUs). */
    long bodyBytesSent;

    HttpLeg(String name, RpchClientOptions options, Transcript transcript, Listener listener) {
        this.name = name;
        this.options = options;
        this.transcript = transcript;
        this.listener = listener;
    }

    void listener(Listener l) {
        this.listener = l;
    }

    Channel channel() {
        return channel;
    }

    /** Installs the HTTP codec and this leg on an already connected channel (tests use an EmbeddedChannel). */
    HttpLeg install(Channel ch) {
        this.channel = ch;
        ch.pipeline().addLast("http", new HttpClientCodec());
        ch.pipeline().addLast("leg", this);
        return this;
    }

    /** Connects (and with TLS, handshakes) to {@code address}; blocking, bounded by the options' timeouts. */
    static HttpLeg connect(String name, RpchClientOptions o, InetSocketAddress address, EventLoopGroup loop,
            Transcript transcript, Listener listener) throws RpchFailure {
        HttpLeg leg = new HttpLeg(name, o, transcript, listener);
        SslContext ssl = o.tls() ? ClientTlsContexts.of(o) : null;
        SslHandler[] sslHandler = new SslHandler[1];
        Bootstrap b = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, o.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            // SNI and certificate name check use the proxy's host name, not the address dialled.
                            SslHandler h = ssl.newHandler(ch.alloc(), o.proxyHost(), o.proxyPort());
                            h.setHandshakeTimeoutMillis(o.tlsTimeout().toMillis());
                            sslHandler[0] = h;
                            ch.pipeline().addLast("tls", h);
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("leg", leg);
                    }
                });
        String where = o.proxyHost() + ":" + o.proxyPort() + " (" + address.getAddress().getHostAddress() + ")";
        ChannelFuture cf = b.connect(address);
        if (!cf.awaitUninterruptibly(o.connectTimeout().toMillis() + 500)) {
            cf.channel().close();
            throw new RpchFailure(Hop.TCP, Kind.TIMEOUT, RpchFailure.Text.of("tcp.timeout", "where", where, "ms", o.connectTimeout().toMillis()),
                    null);
        }
        if (!cf.isSuccess()) {
            Throwable c = cf.cause();
            Kind kind = c instanceof io.netty.channel.ConnectTimeoutException ? Kind.TIMEOUT
                    : c instanceof ConnectException ? Kind.TCP_REFUSED : Kind.TCP_UNREACHABLE;
            if (kind != Kind.TCP_UNREACHABLE) {
                throw new RpchFailure(Hop.TCP, kind, kind == Kind.TCP_REFUSED ? RpchFailure.Text.of("tcp.refused", "where", where)
                        : RpchFailure.Text.of("tcp.timeout", "where", where, "ms", o.connectTimeout().toMillis()), c);
            }
            throw new RpchFailure(Hop.TCP, kind, RpchFailure.Text.of("tcp.failed", "where", where, "cause", c), c);
        }
        leg.channel = cf.channel();
        transcript.note(name, RpchFailure.Text.of("note.tcp-connected", "where", where));
        if (ssl != null) {
            var hs = sslHandler[0].handshakeFuture();
            if (!hs.awaitUninterruptibly(o.tlsTimeout().toMillis() + 500) || !hs.isSuccess()) {
                leg.channel.close();
                throw tlsFailure(o, hs.cause());
            }
            var session = sslHandler[0].engine().getSession();
            transcript.note(name, RpchFailure.Text.of("note.tls", "protocol", session.getProtocol(), "suite", session.getCipherSuite(),
                    "host", o.proxyHost()));
        }
        return leg;
    }

    static RpchFailure tlsFailure(RpchClientOptions o, Throwable cause) {
        String host = o.proxyHost();
        if (cause == null || cause instanceof SslHandshakeTimeoutException) {
            return new RpchFailure(Hop.TLS, Kind.TIMEOUT, RpchFailure.Text.of("tls.timeout", "host", host, "ms", o.tlsTimeout().toMillis()), cause);
        }
        StringBuilder all = new StringBuilder();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            all.append(' ').append(t.getClass().getSimpleName()).append(' ').append(t.getMessage());
        }
        String s = all.toString();
        if (s.contains("No subject alternative") || s.contains("No name matching") || s.contains("does not match")) {
            return new RpchFailure(Hop.TLS, Kind.TLS_NAME_MISMATCH, RpchFailure.Text.of("tls.name-mismatch", "host", host), cause);
        }
        if (s.contains("PKIX") || s.contains("certification path") || s.contains("CertPath")
                || s.contains("Certificate") && s.contains("expired") || s.contains("validity check failed")) {
            return new RpchFailure(Hop.TLS, Kind.TLS_UNTRUSTED, RpchFailure.Text.of("tls.untrusted", "host", host, "validity",
                    s.contains("expired") || s.contains("validity") ? RpchFailure.Text.of("tls.outside-validity") : "", "anchors",
                    o.trust().isEmpty() ? RpchFailure.Text.of("tls.a-trusted-ca") : RpchFailure.Text.of("tls.system-or-files", "files",
                            o.trust().stream().map(Object::toString).collect(java.util.stream.Collectors.joining(", ")))), cause);
        }
        if (s.contains("not an SSL/TLS record") || s.contains("Unsupported or unrecognized SSL message")) {
            return new RpchFailure(Hop.TLS, Kind.TLS_HANDSHAKE, RpchFailure.Text.of("tls.not-tls", "host", host, "port", o.proxyPort()), cause);
        }
        // The cause as a sentence: Netty's and the JDK's messages may be a class name (StacklessClosedChannelException).
        return new RpchFailure(Hop.TLS, Kind.TLS_HANDSHAKE, RpchFailure.Text.of("tls.failed", "host", host, "cause", cause), cause);
    }

    // ------------------------------------------------------------------ requests

    /** The request every client sends ([MS-RPCH] 2.1.2.1.1, 2.1.2.1.2), headers in Windows' set. */
    HttpRequest request(HttpMethod method, long contentLength, Optional<String> authorization, boolean full) {
        String host = options.proxyHost() + (options.proxyPort() == (options.tls() ? 443 : 80) ? "" : ":" + options.proxyPort());
        HttpRequest r = full
                ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, options.requestTarget(), Unpooled.EMPTY_BUFFER)
                : new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, options.requestTarget());
        HttpHeaders h = r.headers();
        h.set(HttpHeaderNames.ACCEPT, "application/rpc");
        h.set(HttpHeaderNames.USER_AGENT, "MSRPC");
        h.set(HttpHeaderNames.HOST, host);
        h.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(contentLength));
        h.set(HttpHeaderNames.CONNECTION, "Keep-Alive");
        h.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        h.set(HttpHeaderNames.PRAGMA, "No-cache");
        if (!full && options.expectContinue() && contentLength > 0) {
            h.set(HttpHeaderNames.EXPECT, "100-continue");
        }
        authorization.ifPresent(a -> h.set(HttpHeaderNames.AUTHORIZATION, a));
        return r;
    }

    private void logRequest(HttpRequest r) {
        StringBuilder b = new StringBuilder(r.method() + " " + r.uri() + " " + r.protocolVersion());
        for (Map.Entry<String, String> e : r.headers()) {
            b.append("\n").append(" ".repeat(19)).append(Transcript.redactHeader(e.getKey(), e.getValue()));
        }
        transcript.add(name, true, b.toString());
    }

    /** Sends a request without body and waits for its complete answer. */
    Answer exchange(HttpRequest request, Duration timeout, RpchFailure.Text what) throws RpchFailure {
        CompletableFuture<Answer> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            pending = f;
            logRequest(request);
            channel.writeAndFlush(request).addListener(w -> {
                if (!w.isSuccess()) {
                    f.completeExceptionally(closed(what));
                }
            });
        });
        return await(f, timeout, what);
    }

    private RpchFailure closed(RpchFailure.Text what) {
        return new RpchFailure(Hop.HTTP, Kind.CLOSED, RpchFailure.Text.of("http.closed", "leg", name, "what", what), null);
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout, RpchFailure.Text what) throws RpchFailure {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RpchFailure(Hop.HTTP, Kind.TIMEOUT, RpchFailure.Text.of("http.timeout", "what", what, "ms", timeout.toMillis()), null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RpchFailure r) {
                throw r;
            }
            throw new RpchFailure(Hop.HTTP, Kind.PROTOCOL, RpchFailure.Text.of("http.failed", "what", what, "cause", e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpchFailure(Hop.HTTP, Kind.TIMEOUT, RpchFailure.Text.of("http.interrupted", "what", what), null);
        }
    }

    /**
     * The {@code Authorization} value for the real request on this connection. NTLM first sends NEGOTIATE with
     * Content-Length 0 and reads the 401 CHALLENGE on the same connection ([MS-NTHT]); a proxy that answers the
     * probe with 200 needs no authentication.
     */
    Optional<String> authorize(HttpMethod method) throws RpchFailure {
        ProxyAuth auth = options.auth();
        if (auth instanceof ProxyAuth.Basic b) {
            return Optional.of(b.authorization());
        }
        if (!(auth instanceof ProxyAuth.Ntlm n)) {
            return Optional.empty();
        }
        NtlmClient ntlm = new NtlmClient(n.credentials(), n.workstation());
        String negotiate = NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, ntlm.negotiate());
        Answer a = exchange(request(method, 0, Optional.of(negotiate), true), options.httpTimeout(), RpchFailure.Text.of("what.ntlm-negotiate"));
        if (a.status() == 200) {
            transcript.note(name, RpchFailure.Text.of("note.no-auth-needed"));
            return Optional.empty();
        }
        if (a.status() != 401) {
            throw failure(options, RpchFailure.Text.of("what.leg-ntlm-negotiate", "leg", name), a);
        }
        for (String c : a.challenges()) {
            if (c.regionMatches(true, 0, "NTLM ", 0, 5)) {
                try {
                    byte[] challenge = NtlmHttpHeader.parse(c).message().toByteArray();
                    return Optional.of(NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, ntlm.authenticate(challenge)));
                } catch (RuntimeException e) {
                    throw new RpchFailure(Hop.HTTP, Kind.PROTOCOL, RpchFailure.Text.of("http.bad-challenge", "leg", name, "detail",
                            String.valueOf(e.getMessage())), e);
                }
            }
        }
        throw new RpchFailure(Hop.HTTP, Kind.HTTP_UNAUTHORIZED, RpchFailure.Text.of("http.no-ntlm", "leg", name, "offers", offers(a)), null);
    }

    /**
     * Sends a channel request's headers; the body follows as PDUs. With {@code Expect: 100-continue} waits for the
     * 100 (at most the HTTP timeout; like curl, goes on without it).
     */
    void sendChannelRequest(HttpMethod method, long contentLength, Optional<String> authorization, boolean streamsResponse)
            throws RpchFailure {
        HttpRequest r = request(method, contentLength, authorization, false);
        CompletableFuture<Void> cont = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            streamingResponse = streamsResponse;
            continued = cont;
            logRequest(r);
            channel.writeAndFlush(r);
        });
        if (options.expectContinue()) {
            try {
                cont.get(Math.min(options.httpTimeout().toMillis(), 3000), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                transcript.note(name, RpchFailure.Text.of("note.no-continue"));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RpchFailure f) {
                    throw f;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Non-blocking variant for the event loop (tests and recycling use it after authentication). */
    void sendChannelRequestNow(HttpMethod method, long contentLength, Optional<String> authorization, boolean streamsResponse) {
        HttpRequest r = request(method, contentLength, authorization, false);
        streamingResponse = streamsResponse;
        continued = new CompletableFuture<>();
        logRequest(r);
        channel.writeAndFlush(r);
    }

    /** Writes one PDU as request body bytes; {@code label} is its transcript line. */
    ChannelFuture writePdu(ByteBuf pdu, String label) {
        bodyBytesSent += pdu.readableBytes();
        transcript.add(name, true, label);
        return channel.writeAndFlush(new DefaultHttpContent(pdu));
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }

    // ------------------------------------------------------------------ responses

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse r) {
                onHead(r);
            }
            if (msg instanceof HttpContent c) {
                onContent(c);
            }
        } finally {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(HttpResponse r) {
        int code = r.status().code();
        StringBuilder b = new StringBuilder(r.protocolVersion() + " " + code + " " + r.status().reasonPhrase());
        for (Map.Entry<String, String> e : r.headers()) {
            b.append("\n").append(" ".repeat(19)).append(Transcript.redactHeader(e.getKey(), e.getValue()));
        }
        transcript.add(name, false, b.toString());
        if (code == 100) {
            skippingInterim = true;
            if (continued != null) {
                continued.complete(null);
            }
            return;
        }
        if (pending == null && streamingResponse && code == 200) {
            bodyIsPdus = true;
            cumulation = Unpooled.buffer(1024);
            listener.onChannelResponse(this, code, r.status().reasonPhrase());
            return;
        }
        answerHead = r;
        answerBody = new ByteArrayOutputStream();
    }

    private void onContent(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        if (skippingInterim) {
            skippingInterim = !last;
            return;
        }
        if (bodyIsPdus) {
            if (!failed) {
                frame(c.content());
            }
            return;
        }
        if (answerHead == null) {
            return;
        }
        ByteBuf content = c.content();
        int n = Math.min(content.readableBytes(), MAX_ANSWER_BODY - answerBody.size());
        if (n > 0) {
            byte[] bytes = new byte[n];
            content.getBytes(content.readerIndex(), bytes);
            answerBody.writeBytes(bytes);
        }
        if (last) {
            Answer a = new Answer(answerHead.status().code(), answerHead.status().reasonPhrase(), answerHead.headers(),
                    answerBody.toByteArray());
            answerHead = null;
            CompletableFuture<Answer> p = pending;
            pending = null;
            if (p != null) {
                p.complete(a);
            } else {
                listener.onChannelError(this, a);
            }
        }
    }

    private void frame(ByteBuf in) {
        cumulation.writeBytes(in);
        while (cumulation.readableBytes() >= 16) {
            int i = cumulation.readerIndex();
            if (StrayHttpAnswer.startsAt(cumulation, i)) {
                fail(rpcErrorFailure(StrayHttpAnswer.line(cumulation, i), RpchFailure.Text.of("what.out-channel-body")));
                return;
            }
            int vers = cumulation.getUnsignedByte(i); // rpc_vers (1 byte)
            int fragLength = cumulation.getUnsignedShortLE(i + 8); // frag_length (2 bytes)
            if (vers != 5 || fragLength < 16) {
                fail(new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.NOT_RPC_PROXY, RpchFailure.Text.of("vc.not-rpc", "leg", name, "vers",
                        vers, "length", fragLength)));
                return;
            }
            if (cumulation.readableBytes() < fragLength) {
                break;
            }
            ByteBuf slice = cumulation.readSlice(fragLength);
            RtsMessage rts = null;
            DcePdu rpc = null;
            byte[] signed = null;
            try {
                if (cumulation.getUnsignedByte(i + 2) == 20) {
                    rts = RpchCodec.decodeMessage(slice);
                } else {
                    rpc = DceCodec.decode(slice);
                    if (rpc instanceof DcePdu.Response && cumulation.getUnsignedShortLE(i + 10) != 0) { // auth_length
                        signed = new byte[fragLength];
                        cumulation.getBytes(i, signed);
                    }
                }
            } catch (RuntimeException e) {
                fail(new RpchFailure(Hop.VIRTUAL_CONNECTION, Kind.PROTOCOL, RpchFailure.Text.of("vc.bad-pdu", "leg", name, "detail",
                        String.valueOf(e.getMessage())), e));
                return;
            }
            if (transcript.enabled()) {
                transcript.add(name, false, rts != null ? describe(rts, fragLength) : describe(rpc, fragLength));
            }
            if (rts != null) {
                listener.onRts(this, rts, fragLength);
            } else {
                listener.onRpc(this, rpc, signed, fragLength);
            }
        }
        cumulation.discardReadBytes();
    }

    private void fail(RpchFailure f) {
        failed = true;
        listener.onProtocolError(this, f);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        transcript.note(name, RpchFailure.Text.of("note.closed"));
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        CompletableFuture<Answer> p = pending;
        pending = null;
        if (p != null) {
            p.completeExceptionally(closed(RpchFailure.Text.of("what.request")));
        }
        if (continued != null) {
            continued.completeExceptionally(closed(RpchFailure.Text.of("what.request")));
        }
        listener.onClosed(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        transcript.note(name, RpchFailure.Text.of("note.error", "cause", cause));
        RpchFailure f = new RpchFailure(Hop.HTTP, Kind.PROTOCOL, RpchFailure.Text.of("http.connection", "leg", name, "cause", cause), cause);
        CompletableFuture<Answer> p = pending;
        pending = null;
        if (p != null) {
            p.completeExceptionally(f);
        } else if (streamingResponse) {
            listener.onProtocolError(this, f);
        }
        ctx.close();
    }

    // ------------------------------------------------------------------ descriptions and failures

    static String describe(RtsMessage r, int fragLength) {
        String kinds = r.kinds().isEmpty() ? "RTS (unclassified)" : r.kinds().stream().map(Object::toString)
                .reduce((a, b) -> a + "|" + b).orElseThrow();
        return kinds + " " + fragLength + " bytes " + r.toPdu().commands(); // the transcript shows the wire commands
    }

    static String describe(DcePdu d, int fragLength) {
        StringBuilder b = new StringBuilder(d.type().wireName()).append(" call_id ").append(Integer.toUnsignedString(d.callId()))
                .append(' ').append(fragLength).append(" bytes");
        if (d instanceof DcePdu.Request q) {
            b.append(" ctx ").append(q.contextId()).append(" opnum ").append(q.opnum()).append(" stub ").append(q.stub().length());
        } else if (d instanceof DcePdu.Response s) {
            b.append(" ctx ").append(s.contextId()).append(" stub ").append(s.stub().length());
        } else if (d instanceof DcePdu.Fault f) {
            b.append(' ').append(f.status());
        } else if (d instanceof DcePdu.BindFamily bf) {
            bf.contexts().forEach(c -> b.append(" [ctx ").append(c.contextId()).append(' ').append(c.abstractSyntax()).append(']'));
        } else if (d instanceof DcePdu.BindAckFamily ba) {
            b.append(" max_xmit ").append(ba.maxXmitFrag()).append(" max_recv ").append(ba.maxRecvFrag());
            ba.results().forEach(r -> b.append(" [").append(r.result()).append(']'));
        }
        int flags = dev.anywhere.rpc.dce.PfcFlag.toBits(d.flags());
        return b.append(String.format(Locale.ROOT, " pfc 0x%02x", flags)).toString();
    }

    private static String offered(Answer a) {
        List<String> schemes = new ArrayList<>();
        for (String c : a.challenges()) {
            int sp = c.indexOf(' ');
            schemes.add(sp < 0 ? c : c.substring(0, sp));
        }
        return schemes.isEmpty() ? "none" : String.join(", ", schemes);
    }

    /** The failure an unexpected HTTP answer means, naming the request and the cause. */
    static RpchFailure failure(RpchClientOptions o, RpchFailure.Text what, Answer a) {
        String status = a.status() + " " + a.reason();
        return switch (a.status()) {
            case 401 -> new RpchFailure(Hop.HTTP, Kind.HTTP_UNAUTHORIZED, RpchFailure.Text.of("http.401", "what", what, "status", status,
                    "account", o.auth().account(), "offers", offers(a)), null);
            case 403 -> new RpchFailure(Hop.HTTP, Kind.HTTP_FORBIDDEN, RpchFailure.Text.of("http.403", "what", what, "status", status,
                    "body", a.bodyText().isEmpty() ? "" : " (" + a.bodyText() + ")", "tls", o.tls() ? "" : RpchFailure.Text.of("http.may-need-tls")), null);
            case 404 -> new RpchFailure(Hop.HTTP, Kind.HTTP_NOT_FOUND, RpchFailure.Text.of("http.404", "what", what, "status", status,
                    "path", RpchClientOptions.PATH, "host", o.proxyHost()), null);
            case 405 -> new RpchFailure(Hop.HTTP, Kind.HTTP_METHOD_NOT_ALLOWED, RpchFailure.Text.of("http.405", "what", what, "status", status), null);
            case 503 -> rpcErrorFailure("HTTP/1.x " + status, what, o);
            default -> new RpchFailure(Hop.HTTP, Kind.HTTP_STATUS, RpchFailure.Text.of("http.status", "what", what, "status", status,
                    "body", a.bodyText().isEmpty() ? "" : RpchFailure.Text.of("http.body", "body", abbreviate(a.bodyText()))), null);
        };
    }

    private RpchFailure rpcErrorFailure(String line, RpchFailure.Text what) {
        return rpcErrorFailure(line, what, options);
    }

    static RpchFailure rpcErrorFailure(String line, RpchFailure.Text what, RpchClientOptions o) {
        Matcher m = RPC_ERROR.matcher(line);
        if (!m.find()) {
            return new RpchFailure(Hop.HTTP, Kind.HTTP_STATUS, RpchFailure.Text.of("http.status-line", "what", what, "line", abbreviate(line)), null);
        }
        DceStatus s = DceStatus.valueOf((int) Long.parseLong(m.group(1), 16));
        RpchFailure.Text why = s.code() == 0x6ba ? RpchFailure.Text.of("rpc-error.not-allowed", "query", o.query())
                : s.code() == 0x5 ? RpchFailure.Text.of("rpc-error.access-denied") : RpchFailure.Text.of("rpc-error.failed");
        return new RpchFailure(Hop.PROXY, Kind.RPC_PROXY_ERROR, RpchFailure.Text.of("rpc-error", "what", what, "code",
                Integer.toHexString(s.code()), "status", String.valueOf(s), "why", why), null);
    }

    /** The schemes a 401 offers, or "none" in the report's language. */
    private static Object offers(Answer a) {
        String offered = offered(a);
        return offered.equals("none") ? RpchFailure.Text.of("http.offers-none") : offered;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
