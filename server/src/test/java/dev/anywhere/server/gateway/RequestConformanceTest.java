package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.SiteInfo;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.testing.RawHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 9112's demands on a server, probed with raw requests: exact status lines, and the connection closes. */
class RequestConformanceTest {

    @TempDir
    Path dataDir;

    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        new AppliedConfigFile(dataDir).write(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), false,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001))), 1, Instant.now());
        gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                CredentialVerifier.NONE, "oa.frankysweb.org",
                Gateway.ntlmIdentity("EX1", new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org"))),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    /** Sends {@code head} on a new connection; asserts the refusal closes the connection; returns the response. */
    private RawHttp.Response refused(String head) throws Exception {
        try (RawHttp http = new RawHttp(new Socket("127.0.0.1", gateway.address().getPort()))) {
            RawHttp.Response r = http.send(head).read();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(http.closedByPeer()).isTrue();
            return r;
        }
    }

    private RawHttp.Response served(String head) throws Exception {
        try (RawHttp http = new RawHttp(new Socket("127.0.0.1", gateway.address().getPort()))) {
            return http.send(head).read();
        }
    }

    @Test
    void http2AsAnHttp1VersionGets505() throws Exception {
        RawHttp.Response r = refused("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/2.0\r\nHost: oa.frankysweb.org\r\nContent-Length: 0\r\n\r\n");
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 505 HTTP Version Not Supported");
        assertThat(r.bodyText()).isEqualTo("HTTP/2.0 is not supported (expected: HTTP/1.0 or HTTP/1.1)\r\n");
        assertThat(refused("GET / HTTP/3.1\r\nHost: a\r\n\r\n").statusLine()).isEqualTo("HTTP/1.1 505 HTTP Version Not Supported");
    }

    @Test
    void twoHostHeadersGet400() throws Exception {
        RawHttp.Response r = refused("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: oa.frankysweb.org\r\nHost: evil.example\r\n"
                + "Content-Length: 0\r\n\r\n");
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(r.bodyText()).isEqualTo("bad request: 2 Host header fields (expected: one)\r\n");
    }

    @Test
    void anHttp11RequestWithoutHostGets400() throws Exception {
        RawHttp.Response r = refused("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assertThat(r.statusLine()).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(r.bodyText()).isEqualTo("bad request: no Host header field (an HTTP/1.1 request must have one)\r\n");
    }

    @Test
    void anInvalidHostGets400() throws Exception {
        for (String host : new String[] {"oa frankysweb.org", "oa.frankysweb.org:44x", "[::1", "[zz::1]:443", "a@b", "a/b", "%zz"}) {
            RawHttp.Response r = refused("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\n\r\n");
            assertThat(r.statusLine()).as(host).isEqualTo("HTTP/1.1 400 Bad Request");
            assertThat(r.bodyText()).isEqualTo("bad request: invalid Host header field (expected: host or host:port)\r\n");
        }
    }

    @Test
    void anOverlongRequestLineGets414AndOverlongHeadersGet431() throws Exception {
        RawHttp.Response line = refused("GET /rpc/rpcproxy.dll?" + "a".repeat(5000) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(line.statusLine()).isEqualTo("HTTP/1.1 414 URI Too Long");
        assertThat(line.bodyText()).isEqualTo("the request line is longer than 4096 bytes\r\n");
        RawHttp.Response headers = refused("GET /rpc/rpcproxy.dll HTTP/1.1\r\nHost: a\r\nX-Padding: " + "a".repeat(9000) + "\r\n\r\n");
        assertThat(headers.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
        assertThat(headers.bodyText()).isEqualTo("the header fields are longer than 8192 bytes\r\n");
    }

    @Test
    void conformingRequestsAreServed() throws Exception {
        // no Basic credentials: the challenge proves the request got through to the route
        assertThat(served("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: oa.frankysweb.org:443\r\nContent-Length: 0\r\n\r\n")
                .statusLine()).isEqualTo("HTTP/1.1 401 Unauthorized");
        assertThat(served("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: [::1]:443\r\nContent-Length: 0\r\n\r\n").status())
                .isEqualTo(401);
        assertThat(served("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n").status())
                .isEqualTo(401);
        // HTTP/1.0 needs no Host
        assertThat(served("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.0\r\nContent-Length: 0\r\n\r\n").status()).isEqualTo(401);
        // RFC 9110 2.5: a higher minor version is processed as HTTP/1.1 (so Host is required)
        assertThat(served("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.2\r\nHost: a\r\nContent-Length: 0\r\n\r\n").statusLine())
                .isEqualTo("HTTP/1.1 401 Unauthorized");
        assertThat(refused("RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.2\r\nContent-Length: 0\r\n\r\n").statusLine())
                .isEqualTo("HTTP/1.1 400 Bad Request");
    }

    @Test
    void hostSyntax() {
        assertThat(List.of("", "oa.frankysweb.org", "OA.frankysweb.org:443", "127.0.0.1:8443", "[::1]",
                "[2001:db8::1]:443", "[v1.x:y]", "xn--bcher-kva.example", "a%2Db")).allMatch(RequestConformance::validHost);
        assertThat(List.of("a b", "a:b", "[::1]x", "[]", "[vz.a]", "a\tb", "a%2", "ä.example", "a:1:2"))
                .noneMatch(RequestConformance::validHost);
    }
}
