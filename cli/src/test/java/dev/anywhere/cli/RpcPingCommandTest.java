package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.testing.SecuredRpcSite;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code anywhere rpcping}: exit codes and the exact line for each failure kind, against canned HTTP answers. */
class RpcPingCommandTest extends CommandTestBase {

    private static final String PASSWORD = "Ping-Secret-1";
    private static final byte[] ECHO = {5, 0, 20, 3, 16, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0};

    private Canned canned;

    @BeforeEach
    void environment() {
        RpchConnectionOptions.environment = Map.of("PING_PW", PASSWORD)::get;
    }

    @AfterEach
    void stop() throws Exception {
        RpchConnectionOptions.environment = System::getenv;
        if (canned != null) {
            canned.close();
        }
    }

    /** Answers every request on every connection with the same bytes. */
    static final class Canned implements AutoCloseable {
        final ServerSocket server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Canned(byte[] response) throws Exception {
            server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        sockets.add(s);
                        Thread c = new Thread(() -> serve(s, response));
                        c.setDaemon(true);
                        c.start();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        private void serve(Socket s, byte[] response) {
            try (s; InputStream in = s.getInputStream(); OutputStream o = s.getOutputStream()) {
                s.setSoTimeout(10_000);
                while (true) {
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    int matched = 0;
                    while (matched < 4) {
                        int b = in.read();
                        if (b < 0) {
                            return;
                        }
                        head.write(b);
                        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
                    }
                    requests.add(head.toString(StandardCharsets.ISO_8859_1));
                    o.write(response);
                    o.flush();
                }
            } catch (Exception e) {
                // client went away
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    private static byte[] response(String head, byte[] body) {
        byte[] h = (head + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    @Override
    protected int run(String... args) {
        List<String> all = new ArrayList<>(List.of("rpcping"));
        all.addAll(List.of(args));
        return super.run(all.toArray(String[]::new));
    }

    private String[] plain(String... more) {
        List<String> a = new ArrayList<>(List.of("--rpc-proxy", "oa.frankysweb.org:" + canned.port(), "--no-tls",
                "--resolve", "oa.frankysweb.org:" + canned.port() + ":127.0.0.1", "--server", "EX1", "--endpoint", "6001",
                "--timeout", "3"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void echoOnlySucceedsAndNeverPrintsThePassword() throws Exception {
        canned = new Canned(response("HTTP/1.1 200 Success\r\nContent-Type: application/rpc\r\n", ECHO));
        assertThat(run(plain("--echo-only", "--iterations", "3", "--proxy-auth", "basic", "--user", "FRANKYSWEB\\franky",
                "--password-env", "PING_PW", "-v"))).isZero();
        assertThat(out).contains("rpcping: echo to oa.frankysweb.org:" + canned.port() + " (http), basic as FRANKYSWEB\\franky",
                "Echo: HTTP 200 Success, 20-byte echo PDU", "Completed 3 echo requests: min ", "Authorization: Basic <redacted>");
        assertThat(out + err).doesNotContain(PASSWORD).doesNotContain(java.util.Base64.getEncoder()
                .encodeToString(("FRANKYSWEB\\franky:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        assertThat(canned.requests).hasSize(3).allMatch(r -> r.startsWith("RPC_IN_DATA /rpc/rpcproxy.dll?EX1:6001 HTTP/1.1\r\n")
                && r.contains("content-length: 0") && r.contains("user-agent: MSRPC"));
    }

    @Test
    void endToEndThroughTheRealGatewayWithNtlm() throws Exception {
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("rpcping-e2e");
        dev.anywhere.server.gateway.CredentialVerifier credentials = new dev.anywhere.server.gateway.CredentialVerifier() {
            @Override
            public java.util.Optional<String> verifyPassword(String logonName, String password) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.Optional<byte[]> ntHash(String domain, String user) {
                return user.equalsIgnoreCase("franky") ? java.util.Optional.of(dev.anywhere.rpc.ntlm.NtHash.of(PASSWORD))
                        : java.util.Optional.empty();
            }
        };
        // DCE/RPC authentication checks the same accounts as the gateway's NTLM (--rpc-auth below).
        try (SecuredRpcSite site = SecuredRpcSite.in(data).credentials(credentials).schemes(HttpAuthScheme.NTLM).start()) {
            int port = site.endpointPort();
            int gw = site.gateway().address().getPort();
            assertThat(run("--rpc-proxy", "oa.frankysweb.org:" + gw, "--no-tls", "--resolve", "oa.frankysweb.org:" + gw + ":127.0.0.1",
                    "--server", "EX1", "--endpoint", Integer.toString(port), "--user", "FRANKYSWEB\\franky", "--password-env", "PING_PW",
                    "--iterations", "5", "--call", "inq_if_ids")).as(err).isZero();
            assertThat(out).contains("-> EX1:" + port + ", ntlm as FRANKYSWEB\\franky", "Virtual connection opened in ",
                    "Bound MGMT afa8bd80-7d8a-11c9-bef4-08002b102989 v1.0 (context 0, max frag ",
                    "e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0", "Completed 5 inq_if_ids calls: min ");
            assertThat(run("--rpc-proxy", "oa.frankysweb.org:" + gw, "--no-tls", "--resolve", "oa.frankysweb.org:" + gw + ":127.0.0.1",
                    "--server", "EX1", "--endpoint", Integer.toString(port), "--user", "FRANKYSWEB\\franky", "--password-env", "PING_PW",
                    "--rpc-auth", "privacy", "--iterations", "3", "-v")).as(err).isZero();
            assertThat(out).contains("ntlm as FRANKYSWEB\\franky, rpc auth privacy as FRANKYSWEB\\franky",
                    "rpc_auth_3 call_id 1", "[AUTHENTICATE, redacted]", "Completed 3 is_server_listening calls: min ")
                    .doesNotContain(PASSWORD);
            assertThat(run("--rpc-proxy", "oa.frankysweb.org:" + gw, "--no-tls", "--resolve", "oa.frankysweb.org:" + gw + ":127.0.0.1",
                    "--server", "EX1", "--endpoint", "6002", "--user", "FRANKYSWEB\\franky", "--password-env", "PING_PW")).isEqualTo(1);
            assertThat(err).isEqualTo("rpcping: rpc proxy: IN channel request: 503 RPC Error: 6ba RPC_S_SERVER_UNAVAILABLE(0x6ba), "
                    + "the proxy refused EX1:6002 (not in ValidPorts) or cannot reach it as an ncacn_http listener" + System.lineSeparator());
        }
    }

    @Test
    void rpcAuthUsageErrors() {
        assertThat(run("--rpc-proxy", "oa.frankysweb.org", "--server", "EX1", "--rpc-auth", "kerberos")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --rpc-auth: kerberos (expected: none, connect, integrity or privacy)"
                + System.lineSeparator());
        assertThat(run("--rpc-proxy", "oa.frankysweb.org", "--server", "EX1", "--rpc-auth", "privacy")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --rpc-auth privacy needs --user DOMAIN\\user" + System.lineSeparator());
        assertThat(run("--rpc-proxy", "oa.frankysweb.org", "--server", "EX1", "--rpc-auth", "connect", "-E", "--user",
                "FRANKYSWEB\\franky", "--password-env", "PING_PW")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --rpc-auth connect with --echo-only (expected: none; an echo binds nothing)"
                + System.lineSeparator());
    }

    /** rpcping's --help as the JVM's locale chooses its language. */
    private String help(java.util.Locale locale) {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(locale);
            assertThat(run("--help")).isZero();
            return out;
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void theHelpIsEnglishOrGermanByLocale() {
        assertThat(help(java.util.Locale.ENGLISH)).contains("Ping an RPC server through an RPC over HTTP proxy")
                .contains("DCE/RPC authentication of the bind (rpcping /a)").contains(SERVER_EN);
        assertThat(help(java.util.Locale.GERMAN)).contains("Pingt einen RPC-Server")
                .contains("DCE/RPC-Authentifizierung der Bindung (rpcping /a)").contains(SERVER_DE);
    }

    /** The connection options described once (rpch.properties), for rpcping and addressbook alike. */
    static final String SERVER_EN = "The RPC server as the proxy's ValidPorts names it";
    static final String SERVER_DE = "Der RPC-Server, wie ValidPorts des Proxys ihn nennt";

    /**
     * The options in --help's order: the connection options (RpchConnectionOptions, shared with addressbook) follow
     * --rpc-proxy, then rpcping's own. Pinned on purpose: they were rpcping's own fields, in another order, until the
     * mixin replaced them.
     */
    @Test
    void theHelpListsTheConnectionOptionsAfterTheProxy() {
        java.util.regex.Pattern option = java.util.regex.Pattern.compile("^ {2,6}(?:-\\w, )?(--[\\w\\[\\]-]+)");
        List<String> options = help(java.util.Locale.ENGLISH).lines().map(option::matcher).filter(java.util.regex.Matcher::find)
                .map(m -> m.group(1)).toList();
        assertThat(options).containsExactly("--rpc-proxy", "--server", "--proxy-auth", "--user", "--password-env", "--[no-]tls",
                "--trust", "--insecure", "--timeout", "--verbose", "--endpoint", "--rpc-auth", "--echo-only", "--iterations",
                "--call", "--resolve", "--help", "--version");
    }

    @Test
    void insecureIsSaidBeforeConnecting() throws Exception {
        canned = new Canned(response("HTTP/1.1 200 Success\r\nContent-Type: application/rpc\r\n", ECHO));
        assertThat(run(plain("--echo-only", "--iterations", "1", "--insecure"))).isZero();
        assertThat(err).isEqualTo("anywhere: warning: --insecure: server certificates are not required to be valid; credentials "
                + "may reach a server that is not the one you named" + System.lineSeparator());
        assertThat(run(plain("--echo-only", "--iterations", "1"))).isZero();
        assertThat(err).isEmpty();
    }

    @Test
    void unauthorized() throws Exception {
        canned = new Canned(response("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"oa\"\r\n", new byte[0]));
        assertThat(run(plain("-E", "--proxy-auth", "basic", "--user", "FRANKYSWEB\\franky", "--password-env", "PING_PW"))).isEqualTo(1);
        assertThat(err).isEqualTo("rpcping: http: echo request: 401 Unauthorized, credentials for FRANKYSWEB\\franky refused "
                + "(offers: Basic)" + System.lineSeparator());
    }

    @Test
    void proxyRefusesThePort() throws Exception {
        canned = new Canned(response("HTTP/1.0 503 RPC Error: 6ba\r\n", new byte[0]));
        assertThat(run(plain())).isEqualTo(1);
        assertThat(err).isEqualTo("rpcping: rpc proxy: IN channel request: 503 RPC Error: 6ba RPC_S_SERVER_UNAVAILABLE(0x6ba), "
                + "the proxy refused EX1:6001 (not in ValidPorts) or cannot reach it as an ncacn_http listener" + System.lineSeparator());
    }

    @Test
    void notFoundAndMethodNotAllowed() throws Exception {
        canned = new Canned(response("HTTP/1.1 404 Not Found\r\n", new byte[0]));
        assertThat(run(plain("-E"))).isEqualTo(1);
        assertThat(err).isEqualTo("rpcping: http: echo request: 404 Not Found, no RPC proxy at /rpc/rpcproxy.dll (expected: "
                + "Outlook Anywhere enabled on oa.frankysweb.org)" + System.lineSeparator());
        canned.close();
        canned = new Canned(response("HTTP/1.1 405 Method Not Allowed\r\n", new byte[0]));
        assertThat(run(plain("-E"))).isEqualTo(1);
        assertThat(err).isEqualTo("rpcping: http: echo request: 405 Method Not Allowed, RPC_IN_DATA/RPC_OUT_DATA refused "
                + "(expected: an RPC proxy; an intermediary may filter the methods)" + System.lineSeparator());
    }

    @Test
    void tlsHandshakeTimesOutAgainstAServerThatNeverAnswers() throws Exception {
        canned = new Canned(response("HTTP/1.1 400 Bad Request\r\n", new byte[0]));
        int p = canned.port();
        assertThat(run("--rpc-proxy", "oa.frankysweb.org:" + p, "--resolve", "oa.frankysweb.org:" + p + ":127.0.0.1",
                "--server", "EX1", "-E", "--timeout", "1")).isEqualTo(1);
        assertThat(err).isEqualTo("rpcping: tls: handshake with oa.frankysweb.org: no answer within 1000 ms (expected: a TLS "
                + "server)" + System.lineSeparator());
    }

    @Test
    void tcpRefusedAndDns() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThat(run("--rpc-proxy", "127.0.0.1:" + closed, "--no-tls", "--server", "EX1", "-E", "--timeout", "3")).isEqualTo(1);
        assertThat(err).isEqualTo("rpcping: tcp: connect to 127.0.0.1:" + closed + " (127.0.0.1): connection refused "
                + "(expected: the proxy accepting TCP)" + System.lineSeparator());
        assertThat(run("--rpc-proxy", "no-such-host.invalid", "--server", "EX1", "-E", "--timeout", "3")).isEqualTo(1);
        assertThat(err).isEqualTo("rpcping: dns: no-such-host.invalid does not resolve (expected: an A or AAAA record; "
                + "--resolve HOST:PORT:ADDR overrides)" + System.lineSeparator());
    }

    @Test
    void usageErrors() {
        assertThat(run("--server", "EX1")).isEqualTo(2);
        assertThat(err).startsWith("anywhere: Missing required option: '--rpc-proxy=HOST[:PORT]'");
        assertThat(run("--rpc-proxy", "oa.frankysweb.org", "--server", "EX1", "--user", "FRANKYSWEB\\franky",
                "--password-env", "NOT_SET_ANYWHERE")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: no password: set the environment variable NOT_SET_ANYWHERE (passwords are never "
                + "taken on the command line)" + System.lineSeparator());
        assertThat(run("--rpc-proxy", "oa.frankysweb.org", "--server", "EX1", "--endpoint", "70000")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --endpoint: 70000 (expected: 6001, 6002, 6004, 593 or another port 1..65535)"
                + System.lineSeparator());
        assertThat(run("--rpc-proxy", "oa.frankysweb.org", "--server", "EX1", "--resolve", "other.example:443:127.0.0.1")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --resolve: other.example:443 (expected: oa.frankysweb.org:443, the proxy it "
                + "overrides)" + System.lineSeparator());
        assertThat(run("--rpc-proxy", "oa.frankysweb.org", "--server", "EX1", "--proxy-auth", "digest")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --proxy-auth: 'digest' (expected: basic, ntlm or none)" + System.lineSeparator());
        assertThat(run("--rpc-proxy", "oa.frankysweb.org", "--server", "EX1", "--password", "x")).isEqualTo(2);
        assertThat(err).startsWith("anywhere: Unknown options: '--password', 'x'");
        assertThat(run("--rpc-proxy", "oa.frankysweb.org", "--server", "EX1", "--trust", "no-such-ca.pem")).isEqualTo(2);
        assertThat(err).isEqualTo("anywhere: --trust: no-such-ca.pem is not a readable file (expected: PEM CA certificates)"
                + System.lineSeparator());
    }

    /** --trust is repeatable and every file counts: the proxy's CA is in the second one; without it, nothing is sent. */
    @Test
    void everyTrustFileIsUsedAndWithoutTheCaNothingIsSent() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("rpcping-trust");
        dev.anywhere.lab.pki.CertificateAuthority other = dev.anywhere.lab.pki.CertificateAuthority.createLab();
        dev.anywhere.lab.pki.CertificateAuthority ca = dev.anywhere.lab.pki.CertificateAuthority.createLab();
        java.nio.file.Path otherPem = other.writeTrustBundle(dir.resolve("other.pem"));
        java.nio.file.Path caPem = ca.writeTrustBundle(dir.resolve("lab-ca.pem"));
        dev.anywhere.lab.pki.IssuedCertificate.PemFiles files = ca.issueServerCertificate(dev.anywhere.lab.pki.CertificateRequest.labDefault())
                .writePem(dir, "oa");
        io.netty.handler.ssl.SslContext tls = io.netty.handler.ssl.SslContextBuilder.forServer(files.certificateChain().toFile(),
                files.privateKey().toFile()).build();
        try (Tls server = new Tls(tls, response("HTTP/1.1 200 Success\r\nContent-Type: application/rpc\r\n", ECHO))) {
            String[] base = {"--rpc-proxy", "oa.frankysweb.org:" + server.port(), "--resolve", "oa.frankysweb.org:" + server.port()
                    + ":127.0.0.1", "--server", "EX1", "-E", "--proxy-auth", "basic", "--user", "FRANKYSWEB\\franky", "--password-env",
                    "PING_PW", "--timeout", "3"};
            List<String> both = new ArrayList<>(List.of(base));
            both.addAll(List.of("--trust", otherPem.toString(), "--trust", caPem.toString()));
            assertThat(run(both.toArray(String[]::new))).as(err).isZero();
            assertThat(server.authorizations).hasSize(1);
            List<String> first = new ArrayList<>(List.of(base));
            first.addAll(List.of("--trust", otherPem.toString()));
            assertThat(run(first.toArray(String[]::new))).isEqualTo(1);
            assertThat(err).startsWith("rpcping: tls: oa.frankysweb.org: certificate not trusted");
            assertThat(server.authorizations).as("no credentials to the unverified proxy").hasSize(1);
        }
    }

    /** An HTTPS proxy that answers every request with the same bytes and records the Authorization headers it got. */
    static final class Tls implements AutoCloseable {
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        private final io.netty.channel.EventLoopGroup group = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.nio.NioIoHandler.newFactory());
        private final io.netty.channel.Channel channel;

        Tls(io.netty.handler.ssl.SslContext tls, byte[] answer) throws InterruptedException {
            channel = new io.netty.bootstrap.ServerBootstrap().group(group).channel(io.netty.channel.socket.nio.NioServerSocketChannel.class)
                    .childHandler(new io.netty.channel.ChannelInitializer<io.netty.channel.socket.SocketChannel>() {
                        @Override
                        protected void initChannel(io.netty.channel.socket.SocketChannel ch) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()), new io.netty.handler.codec.http.HttpRequestDecoder(),
                                    new io.netty.channel.ChannelInboundHandlerAdapter() {
                                        @Override
                                        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                                            if (msg instanceof io.netty.handler.codec.http.HttpRequest r) {
                                                String a = r.headers().get("Authorization");
                                                if (a != null) {
                                                    authorizations.add(a);
                                                }
                                            }
                                            if (msg instanceof io.netty.handler.codec.http.LastHttpContent) {
                                                ctx.writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(answer));
                                            }
                                            io.netty.util.ReferenceCountUtil.release(msg);
                                        }
                                    });
                        }
                    }).bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        }

        int port() {
            return ((java.net.InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
