package dev.anywhere.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.autodiscover.pox.AutodiscoverRequest;
import dev.anywhere.autodiscover.pox.PoxCodec;
import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.rpc.httpauth.HttpBasic;
import dev.anywhere.server.gateway.DirectoryCredentials;
import dev.anywhere.server.gateway.Gateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anywhere bench autodiscover}: POX requests per second with Basic authentication against the gateway's
 * Autodiscover route (embedded directory on loopback), against a plain Netty handler that returns the same response
 * bytes, in the same run; then the p99 latency of each at a fixed rate. Plain HTTP on loopback for both arms, so the
 * ratio measures the route (authentication, parsing, directory reads, writing), not TLS.
 */
@Command(name = "autodiscover", mixinStandardHelpOptions = true)
final class AutodiscoverBenchCommand implements Callable<Integer> {

    private static final String PASSWORD = "Bench-Ads-1";

    @Spec
    CommandSpec spec;

    @Option(names = "--seconds", paramLabel = "S")
    int seconds = 10;

    @Option(names = "--connections", paramLabel = "N")
    int connections = 4;

    @Option(names = "--rate", paramLabel = "R")
    int rate = 1000;

    @Option(names = "--format", paramLabel = "text|json")
    String format = "text";

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || seconds > 60 || connections < 1 || connections > 64 || rate < 1 || rate > 20_000) {
            throw UserError.usage(CliText.local("bench.autodiscover.limits"));
        }
        Inputs.textOrJson(format);
        Path tmp = Files.createTempDirectory("anywhere-bench-ads");
        byte[] body = PoxCodec.writeRequest(AutodiscoverRequest.forEmail("franky@frankysweb.org"));
        String auth = new HttpBasic("FRANKYSWEB\\franky", PASSWORD).authorization();
        byte[] request = request(body, auth);
        ObjectNode json = new ObjectMapper().createObjectNode();
        try (DirectoryServer dc1 = DirectoryServer.start(tmp.resolve("dc1"), InetAddress.getLoopbackAddress(), 0, SiteSeed.frankysweb(PASSWORD));
                LdapSiteDirectory directory = dc1.directory().connect(PASSWORD)) {
            Files.createDirectories(tmp.resolve("ex1"));
            try (Gateway gateway = Gateway.start(new Gateway.Options(tmp.resolve("ex1"), "EX1", new InetSocketAddress("127.0.0.1", 0),
                    Optional.empty(), new DirectoryCredentials(directory), "autodiscover.frankysweb.org",
                    Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB)), new SimpleMeterRegistry())) {
                InetSocketAddress ads = gateway.address();
                byte[] fixed = once(ads, request);
                if (!new String(fixed, StandardCharsets.UTF_8).contains("<Type>EXPR</Type>")) {
                    throw UserError.unavailable(CliText.local("bench.autodiscover.no-settings", "answer", new String(fixed, StandardCharsets.UTF_8)));
                }
                try (StaticServer stat = new StaticServer(fixed)) {
                    Duration d = new Duration(seconds);
                    throughput(ads, request, connections, 2); // warm-up
                    throughput(stat.address(), request, connections, 2);
                    double adsRps = throughput(ads, request, connections, d.seconds);
                    double staticRps = throughput(stat.address(), request, connections, d.seconds);
                    double[] adsLat = latency(ads, request, rate, d.seconds);
                    double[] staticLat = latency(stat.address(), request, rate, d.seconds);
                    json.put("autodiscover_rps", Math.round(adsRps));
                    json.put("static_rps", Math.round(staticRps));
                    json.put("autodiscover_vs_static", Math.round(adsRps / staticRps * 1000) / 1000.0);
                    json.put("rate", rate);
                    json.put("autodiscover_p50_ms", round(adsLat[0]));
                    json.put("autodiscover_p99_ms", round(adsLat[1]));
                    json.put("static_p50_ms", round(staticLat[0]));
                    json.put("static_p99_ms", round(staticLat[1]));
                    json.put("seconds_per_arm", seconds);
                    json.put("connections", connections);
                    json.put("goal_ratio", 0.5);
                    json.put("goal_p99_ms", 5.0);
                    json.put("cores", Runtime.getRuntime().availableProcessors());
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(json.toPrettyString());
        } else {
            CliText text = CliText.ofLocale();
            out.println(text.get("bench.autodiscover.heading", "connections", connections, "seconds", seconds, "cores", json.get("cores").asInt()));
            out.printf("  %-9s %8d req/s%n  %-9s %8d req/s%n  %-9s %8.3f x %s%n", text.get("bench.autodiscover.gateway"),
                    json.get("autodiscover_rps").asLong(), text.get("bench.autodiscover.static"), json.get("static_rps").asLong(),
                    text.get("bench.autodiscover.ratio"), json.get("autodiscover_vs_static").asDouble(), text.get("bench.autodiscover.ratio-goal"));
            out.println(text.get("bench.autodiscover.latency", "rate", rate,
                    "gatewayP50", String.format("%.2f", json.get("autodiscover_p50_ms").asDouble()),
                    "gatewayP99", String.format("%.2f", json.get("autodiscover_p99_ms").asDouble()),
                    "staticP50", String.format("%.2f", json.get("static_p50_ms").asDouble()),
                    "staticP99", String.format("%.2f", json.get("static_p99_ms").asDouble())));
        }
        out.flush();
        boolean met = json.get("autodiscover_vs_static").asDouble() >= 0.5 && json.get("autodiscover_p99_ms").asDouble() <= 5.0;
        return met ? Anywhere.OK : Anywhere.FINDINGS;
    }

    private record Duration(int seconds) {
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static byte[] request(byte[] body, String auth) {
        String head = "POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: autodiscover.frankysweb.org\r\n"
                + "Content-Type: text/xml; charset=utf-8\r\nAuthorization: " + auth + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private static byte[] once(InetSocketAddress to, byte[] request) throws IOException {
        try (Conn c = new Conn(to)) {
            return c.exchange(request);
        }
    }

    /** Closed loop: each connection sends its next request when the previous answer is in. */
    private static double throughput(InetSocketAddress to, byte[] request, int connections, int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(() -> {
                try (Conn c = new Conn(to)) {
                    while (System.nanoTime() < end) {
                        c.exchange(request);
                        done.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "bench-client-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(seconds + 30));
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Open loop at {@code rate}/s over 8 connections; latency counts from the scheduled send time, so a stall is not
     * hidden (no coordinated omission). Returns p50 and p99 in milliseconds.
     */
    private static double[] latency(InetSocketAddress to, byte[] request, int rate, int seconds) throws Exception {
        int conns = 8;
        int perConn = rate * seconds / conns;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) * conns / rate;
        long[][] samples = new long[conns][perConn];
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try (Conn c = new Conn(to)) {
                    long offset = intervalNanos * id / conns;
                    for (int n = 0; n < perConn; n++) {
                        long due = start + offset + n * intervalNanos;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        c.exchange(request);
                        samples[id][n] = System.nanoTime() - due;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-rate-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(seconds + 30));
        }
        long[] all = Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
        return new double[] {all[all.length / 2] / 1e6, all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)] / 1e6};
    }

    /** One keep-alive connection reading Content-Length framed answers. */
    private static final class Conn implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Conn(InetSocketAddress to) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(to, 5000);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        byte[] exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            StringBuilder head = new StringBuilder();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed by server");
                }
                head.append((char) b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            if (head.indexOf("HTTP/1.1 200") != 0) {
                throw new IOException("bench: unexpected answer " + head.substring(0, head.indexOf("\r\n")));
            }
            int length = 0;
            for (String line : head.toString().split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return in.readNBytes(length);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** The comparison: Netty's HTTP codec and a handler that answers every request with the same bytes. */
    private static final class StaticServer implements AutoCloseable {
        private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        private final Channel channel;

        StaticServer(byte[] response) throws InterruptedException {
            channel = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec());
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    try {
                                        if (msg instanceof LastHttpContent) {
                                            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                                    Unpooled.wrappedBuffer(response));
                                            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/xml; charset=utf-8");
                                            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.length);
                                            ctx.writeAndFlush(r);
                                        }
                                    } finally {
                                        ReferenceCountUtil.release(msg);
                                    }
                                }
                            });
                        }
                    }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) channel.localAddress();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
