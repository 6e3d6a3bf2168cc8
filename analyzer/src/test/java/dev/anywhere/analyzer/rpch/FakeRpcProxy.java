package dev.anywhere.analyzer.rpch;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.EpmStubs;
import dev.anywhere.rpc.dce.FragmentAssembler;
import dev.anywhere.rpc.dce.Fragmenter;
import dev.anywhere.rpc.dce.PfcFlag;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.dce.Tower;
import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.rpc.ntlm.NtlmHttpHeader;
import dev.anywhere.rpc.ntlm.NtlmServer;
import dev.anywhere.rpc.ntlm.ServerIdentity;
import dev.anywhere.rpc.rpch.RpchCodec;
import dev.anywhere.rpc.rpch.RtsMessage;
import dev.anywhere.rpc.rpch.RtsPdu;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.rpc.rpch.RtsPdus;
import dev.anywhere.rpc.wire.Octets;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only scripted RPC over HTTP proxy and server in one: answers the HTTP legs (Basic, NTLM, echo), plays the
 * outbound proxy (200, CONN/A3, CONN/C2) and the server (bind_ack, MGMT, EPM ept_map, a test echo interface), acks
 * the IN channel, and answers IN channel recycling with IN_R1/A4. Each failure mode of a real proxy is a {@link Mode}.
 */
final class FakeRpcProxy implements AutoCloseable {

    enum Mode { NORMAL, REFUSE_6BA, NOT_FOUND, METHOD_NOT_ALLOWED, FORBIDDEN, CLOSE_AFTER_200, NO_C2, NOT_RPC_PROXY }

    /** Opnum 0 returns the stub, opnum 1 faults with nca_s_op_rng_error. */
    static final SyntaxId TEST_IFACE = new SyntaxId(UUID.fromString("12345678-1234-abcd-ef00-0123456789ab"), 1, 0);
    static final String USER = "FRANKYSWEB\\franky";
    static final String PASSWORD = "Secret-1";

    volatile Mode mode = Mode.NORMAL;
    volatile boolean requireAuth = true;
    volatile boolean sendAcks = true;
    /** Faults (ERROR_ACCESS_DENIED) arrive on the OUT channel 50 ms after the IN channel closed, then OUT closes. */
    volatile boolean closeInBeforeFault;
    volatile long inWindow = 65536;
    /** Body bytes of the NTLM CHALLENGE 401 (an error page), sent before the client's AUTHENTICATE on that connection. */
    volatile int challengeBodyBytes;
    /** Whether the CHALLENGE 401 body is sent with Transfer-Encoding: chunked, in several chunks. */
    volatile boolean chunkedChallenge;
    final AtomicInteger pings = new AtomicInteger();
    final AtomicInteger clientAcks = new AtomicInteger();
    final AtomicInteger recycleA1 = new AtomicInteger();
    final AtomicInteger recycleA5 = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final Map<UUID, Vc> vcs = new ConcurrentHashMap<>();
    private final ServerIdentity identity = new ServerIdentity("EX1", "FRANKYSWEB", "ex1.frankysweb.local", "frankysweb.local",
            "frankysweb.local");

    private static final class Vc {
        Channel out;
        Channel in;
        Channel pendingIn;
        UUID inCookie;
        boolean c2Sent;
        long inReceived;
        long inUnacked;
        final FragmentAssembler assembler = new FragmentAssembler();
        final Map<Integer, SyntaxId> contexts = new ConcurrentHashMap<>();
    }

    FakeRpcProxy(SslContext tls) throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new Conn());
                    }
                }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Conn extends ChannelInboundHandlerAdapter {
        private NtlmServer ntlm;
        private boolean authenticated;
        private String role;
        private Vc vc;
        private final ByteBuf cumulation = Unpooled.buffer();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest r) {
                    onRequest(ctx, r);
                }
                if (msg instanceof HttpContent c && role != null) {
                    cumulation.writeBytes(c.content());
                    frames(ctx);
                }
            } catch (Exception e) {
                e.printStackTrace();
                ctx.close();
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onRequest(ChannelHandlerContext ctx, HttpRequest r) throws Exception {
            String method = r.method().name();
            long length = Long.parseLong(r.headers().get(HttpHeaderNames.CONTENT_LENGTH, "-1"));
            String authz = r.headers().get(HttpHeaderNames.AUTHORIZATION, "");
            requests.add(method + " " + r.uri() + " " + length + " " + (authz.isEmpty() ? "-" : authz.split(" ")[0]));
            role = null;
            if (mode == Mode.NOT_FOUND) {
                reply(ctx, 404, "Not Found", "no such path");
                return;
            }
            if (mode == Mode.METHOD_NOT_ALLOWED || !method.startsWith("RPC_")) {
                reply(ctx, 405, "Method Not Allowed", "");
                return;
            }
            if (mode == Mode.FORBIDDEN) {
                reply(ctx, 403, "Forbidden", "403.4 SSL required");
                return;
            }
            if (requireAuth && !authenticated) {
                if (authz.startsWith("Basic ")) {
                    String up = new String(Base64.getDecoder().decode(authz.substring(6)), StandardCharsets.UTF_8);
                    authenticated = up.equals(USER + ":" + PASSWORD);
                } else if (authz.startsWith("NTLM ")) {
                    NtlmHttpHeader.Token t = NtlmHttpHeader.parse(authz);
                    if (t.type() == dev.anywhere.rpc.ntlm.MessageType.NEGOTIATE_MESSAGE) {
                        ntlm = new NtlmServer(identity, (d, u) -> d.equalsIgnoreCase("FRANKYSWEB") && u.equalsIgnoreCase("franky")
                                ? Optional.of(NtHash.of(PASSWORD)) : Optional.empty());
                        challenge(ctx, NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, ntlm.challenge(t.message().toByteArray())));
                        return;
                    }
                    try {
                        ntlm.authenticate(t.message().toByteArray());
                        authenticated = true;
                    } catch (Exception e) {
                        authenticated = false;
                    }
                }
                if (!authenticated) {
                    DefaultFullHttpResponse resp = response(401, "Unauthorized", "");
                    resp.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, "NTLM");
                    resp.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"oa\"");
                    ctx.writeAndFlush(resp);
                    return;
                }
            }
            if (length <= 16) {
                if (mode == Mode.NOT_RPC_PROXY) {
                    reply(ctx, 200, "OK", "<html>hello</html>");
                    return;
                }
                DefaultFullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Success"),
                        Unpooled.wrappedBuffer(VirtualConnection.ECHO_PDU));
                resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, 20).set(HttpHeaderNames.CONTENT_TYPE, "application/rpc");
                ctx.writeAndFlush(resp);
                return;
            }
            if (mode == Mode.REFUSE_6BA) {
                DefaultFullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_0,
                        new HttpResponseStatus(503, "RPC Error: 6ba"), Unpooled.EMPTY_BUFFER);
                resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(resp);
                return;
            }
            role = method.equals("RPC_IN_DATA") ? "IN" : "OUT";
        }

        /** The 401 with the CHALLENGE, its body as large and as encoded as the test asks. */
        private void challenge(ChannelHandlerContext ctx, String wwwAuthenticate) {
            String body = "x".repeat(challengeBodyBytes);
            if (!chunkedChallenge) {
                DefaultFullHttpResponse resp = response(401, "Unauthorized", body);
                resp.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, wwwAuthenticate);
                ctx.writeAndFlush(resp);
                return;
            }
            DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(401, "Unauthorized"));
            head.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, wwwAuthenticate).set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
            ctx.write(head);
            for (int i = 0; i < body.length(); i += 10_000) {
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(body.substring(i, Math.min(body.length(), i + 10_000)),
                        StandardCharsets.UTF_8)));
            }
            ctx.writeAndFlush(io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT);
        }

        private void reply(ChannelHandlerContext ctx, int status, String reason, String body) {
            ctx.writeAndFlush(response(status, reason, body));
        }

        private DefaultFullHttpResponse response(int status, String reason, String body) {
            DefaultFullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(status, reason),
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, resp.content().readableBytes());
            return resp;
        }

        private void frames(ChannelHandlerContext ctx) {
            while (cumulation.readableBytes() >= 16) {
                int frag = cumulation.getUnsignedShortLE(cumulation.readerIndex() + 8);
                if (cumulation.readableBytes() < frag) {
                    break;
                }
                ByteBuf pdu = cumulation.readSlice(frag);
                if (pdu.getUnsignedByte(pdu.readerIndex() + 2) == 20) {
                    onRts(ctx, RpchCodec.decode(pdu));
                } else {
                    onRpc(DceCodec.decode(pdu), frag);
                }
            }
            cumulation.discardReadBytes();
        }

        private void onRts(ChannelHandlerContext ctx, RtsPdu r) {
            if (r.is(RtsPduKind.CONN_A1)) {
                UUID cookie = ((RtsMessage.ConnA1) RtsMessage.of(r)).virtualConnectionCookie();
                vc = vcs.computeIfAbsent(cookie, k -> new Vc());
                vc.out = ctx.channel();
                DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, new HttpResponseStatus(200, "Success"));
                head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 1073741824L).set(HttpHeaderNames.CONTENT_TYPE, "application/rpc");
                ctx.write(head);
                if (mode == Mode.CLOSE_AFTER_200) {
                    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                send(vc.out, RtsPdus.connA3(120_000));
                maybeC2(vc);
            } else if (r.is(RtsPduKind.CONN_B1)) {
                RtsMessage.ConnB1 b1 = (RtsMessage.ConnB1) RtsMessage.of(r);
                vc = vcs.computeIfAbsent(b1.virtualConnectionCookie(), k -> new Vc());
                vc.in = ctx.channel();
                vc.inCookie = b1.inChannelCookie();
                maybeC2(vc);
            } else if (r.is(RtsPduKind.IN_R1_A1)) {
                RtsMessage.InR1A1 a1 = (RtsMessage.InR1A1) RtsMessage.of(r);
                vc = vcs.get(a1.virtualConnectionCookie());
                recycleA1.incrementAndGet();
                vc.pendingIn = ctx.channel();
                vc.inCookie = a1.successorChannelCookie();
                send(vc.out, RtsPdus.inR1A4(1, inWindow, 120_000));
            } else if (r.is(RtsPduKind.IN_R1_A5)) {
                recycleA5.incrementAndGet();
                vc.in = vc.pendingIn;
                vc.inUnacked = 0;
                vc.inReceived = 0;
            } else if (r.is(RtsPduKind.PING)) {
                pings.incrementAndGet();
            } else if (r.is(RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION)) {
                clientAcks.incrementAndGet();
            }
        }

        private void maybeC2(Vc v) {
            if (v.out != null && v.in != null && !v.c2Sent && mode != Mode.NO_C2) {
                v.c2Sent = true;
                send(v.out, RtsPdus.connC2(1, inWindow, 120_000));
            }
        }

        private void onRpc(DcePdu pdu, int frag) {
            Vc v = vc;
            v.inReceived += frag;
            v.inUnacked += frag;
            if (sendAcks && v.inUnacked * 2 >= inWindow) {
                v.inUnacked = 0;
                send(v.out, RtsPdus.flowControlAck(v.inReceived, inWindow, v.inCookie));
            }
            if (pdu instanceof DcePdu.BindFamily b) {
                List<ContextResult> results = new ArrayList<>();
                for (PresentationContext pc : b.contexts()) {
                    SyntaxId t = pc.transferSyntaxes().get(0);
                    if (t.isBindTimeFeatureNegotiation()) {
                        results.add(ContextResult.negotiateAck(SyntaxId.FEATURE_KEEP_CONNECTION_ON_ORPHAN));
                    } else if (pc.abstractSyntax().equals(Mgmt.INTERFACE) || pc.abstractSyntax().equals(Epm.INTERFACE)
                            || pc.abstractSyntax().equals(TEST_IFACE)) {
                        v.contexts.put(pc.contextId(), pc.abstractSyntax());
                        results.add(ContextResult.accepted(SyntaxId.NDR));
                    } else {
                        results.add(ContextResult.rejected(ContextResult.REASON_ABSTRACT_SYNTAX_NOT_SUPPORTED));
                    }
                }
                DcePdu ack = b instanceof DcePdu.Bind
                        ? new DcePdu.BindAck(b.callId(), 5840, 5840, 0x1234, "6001", results)
                        : new DcePdu.AlterContextResp(PfcFlag.SINGLE_FRAGMENT, b.callId(), 5840, 5840, 0x1234, "", results, Optional.empty());
                sendDce(v, ack);
                return;
            }
            if (!(pdu instanceof DcePdu.Request q)) {
                return;
            }
            Optional<DcePdu.CallFragment> whole = v.assembler.add(q);
            if (whole.isEmpty()) {
                return;
            }
            DcePdu.Request call = (DcePdu.Request) whole.get();
            ByteBuf out;
            SyntaxId iface = v.contexts.get(call.contextId());
            if (Mgmt.INTERFACE.equals(iface) && call.opnum() == Mgmt.OPNUM_IS_SERVER_LISTENING) {
                out = Mgmt.encodeIsServerListening(true, DceStatus.SUCCESS);
            } else if (Mgmt.INTERFACE.equals(iface) && call.opnum() == Mgmt.OPNUM_INQ_IF_IDS) {
                out = Mgmt.encodeInqIfIds(List.of(Mgmt.INTERFACE, Epm.INTERFACE), DceStatus.SUCCESS);
            } else if (Epm.INTERFACE.equals(iface) && call.opnum() == EpmStubs.OPNUM_EPT_MAP) {
                Tower t = Tower.ncacnHttp(TEST_IFACE, (Inet4Address) InetAddress.getLoopbackAddress(), 6001);
                out = EpmStubs.encodeMapResponse(new EpmStubs.MapResult(List.of(t), ContextHandle.NULL, DceStatus.SUCCESS), 4);
            } else if (TEST_IFACE.equals(iface) && call.opnum() == 0) {
                out = Unpooled.wrappedBuffer(call.stub().toByteArray());
            } else if (closeInBeforeFault) {
                // a server ending the association after its answer: the IN channel's close arrives before the fault
                DcePdu fault = new DcePdu.Fault(call.callId(), call.contextId(), DceStatus.ACCESS_DENIED);
                v.in.close();
                v.out.eventLoop().schedule(() -> {
                    sendDce(v, fault);
                    v.out.close();
                }, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            } else {
                sendDce(v, new DcePdu.Fault(call.callId(), call.contextId(), DceStatus.NCA_S_OP_RNG_ERROR));
                return;
            }
            DcePdu.Response resp = new DcePdu.Response(call.callId(), call.contextId(), Octets.copyOf(out));
            out.release();
            for (DcePdu.CallFragment f : Fragmenter.fragment(resp, 5840)) {
                sendDce(v, f);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cumulation.release();
        }
    }

    private static void send(Channel ch, RtsPdu pdu) {
        ch.writeAndFlush(new DefaultHttpContent(RpchCodec.encode(pdu, ch.alloc())));
    }

    private static void sendDce(Vc v, DcePdu pdu) {
        v.out.writeAndFlush(new DefaultHttpContent(DceCodec.encode(pdu, v.out.alloc())));
    }
}
