package dev.anywhere.analyzer.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.analyzer.testing.ScriptedHttpsServer;
import dev.anywhere.analyzer.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe's HTTP/1.1 reading: every body is consumed to its end (Content-Length of any size, chunked, until close)
 * before the next request on the connection, as NTLM's second leg needs; and its TLS: credentials only where allowed.
 */
class HttpProbeTest {

    static final String HOST = "oa.frankysweb.org";
    static final String ECHO = "HTTP/1.1 200 Success\r\nContent-Type: application/rpc\r\nContent-Length: 4\r\n\r\necho";

    @TempDir
    Path tmp;

    /** The first request on a connection gets {@code first}, every later one the echo answer. */
    static Function<ScriptedHttpsServer.Request, String> firstThenEcho(String first) {
        java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        return r -> seen.add(r.connection()) ? first : ECHO;
    }

    static HttpProbe.Response send(HttpProbe p, String authorization) throws Exception {
        return p.send("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0, List.of("Authorization: " + authorization), new byte[0]);
    }

    /** A 401 (the NTLM challenge) with a chunked body, then the AUTHENTICATE leg on the same connection. */
    @Test
    void aChunkedBodyIsReadToItsEndBeforeTheNextRequest() throws Exception {
        String chunked = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM TlRMTVNTUAACAAAA\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n1b\r\n, this is a chunked body.\r\n\r\n0\r\nX-Trailer: 1\r\n\r\n";
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(null, firstThenEcho(chunked));
                HttpProbe p = HttpProbe.open(s.address(), HOST, false, 3000, ServerTrust.inspectOnly())) {
            HttpProbe.Response challenge = send(p, "NTLM TlRMTVNTUAABAAAA");
            assertThat(challenge.status()).isEqualTo(401);
            assertThat(new String(challenge.body(), StandardCharsets.ISO_8859_1)).isEqualTo("hello, this is a chunked body.\r\n");
            HttpProbe.Response answer = send(p, "NTLM TlRMTVNTUAADAAAA");
            assertThat(answer.statusLine()).isEqualTo("HTTP/1.1 200 Success");
            assertThat(new String(answer.body(), StandardCharsets.ISO_8859_1)).isEqualTo("echo");
            assertThat(s.requests()).extracting(ScriptedHttpsServer.Request::connection).containsExactly(1, 1);
        }
    }

    /** A body over 64 KiB: the first 64 KiB are kept, the rest is read and dropped, and the connection stays in step. */
    @Test
    void aBodyOver64KibIsDrainedBeforeTheNextRequest() throws Exception {
        String big = "x".repeat(100 * 1024);
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(null, firstThenEcho(ScriptedHttpsServer.response("HTTP/1.1 401 Unauthorized",
                big, "WWW-Authenticate: NTLM TlRMTVNTUAACAAAA")));
                HttpProbe p = HttpProbe.open(s.address(), HOST, false, 3000, ServerTrust.inspectOnly())) {
            HttpProbe.Response challenge = send(p, "NTLM TlRMTVNTUAABAAAA");
            assertThat(challenge.body()).hasSize(HttpProbe.MAX_BODY);
            assertThat(challenge.bodyLength()).isEqualTo(big.length());
            assertThat(send(p, "NTLM TlRMTVNTUAADAAAA").statusLine()).isEqualTo("HTTP/1.1 200 Success");
            assertThat(s.requests()).extracting(ScriptedHttpsServer.Request::connection).containsExactly(1, 1);
            assertThat(p.transcript()).contains("… (" + big.length() + " bytes)");
        }
    }

    /** Past the drain bound the connection is closed rather than reused with unread body bytes. */
    @Test
    void aBodyTooLargeToDrainClosesTheConnection() throws Exception {
        long declared = HttpProbe.MAX_DRAIN + 1;
        String head = "HTTP/1.1 401 Unauthorized\r\nContent-Length: " + declared + "\r\n\r\n" + "y".repeat(HttpProbe.MAX_BODY + 10);
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(null, firstThenEcho(head));
                HttpProbe p = HttpProbe.open(s.address(), HOST, false, 3000, ServerTrust.inspectOnly())) {
            HttpProbe.Response r = send(p, "NTLM TlRMTVNTUAABAAAA");
            assertThat(r.body()).hasSize(HttpProbe.MAX_BODY);
            assertThat(r.bodyLength()).isEqualTo(declared);
            assertThatThrownBy(() -> send(p, "NTLM TlRMTVNTUAADAAAA")).hasMessage("the response body has 4194305 bytes, more than "
                    + "the 4194304 read at most; the connection was closed instead of reused");
            assertThat(s.requests()).hasSize(1);
        }
    }

    /** HTTP/1.1 without Content-Length or chunked: the body ends when the server closes (RFC 9112 §6.3 rule 8). */
    @Test
    void aBodyWithoutLengthEndsAtCloseAndTheConnectionIsDone() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(null, r -> "HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\nno length");
                HttpProbe p = HttpProbe.open(s.address(), HOST, false, 3000, ServerTrust.inspectOnly())) {
            assertThat(new String(send(p, "NTLM TlRMTVNTUAABAAAA").body(), StandardCharsets.ISO_8859_1)).isEqualTo("no length");
            assertThatThrownBy(() -> send(p, "NTLM TlRMTVNTUAADAAAA")).hasMessage("the server ends its responses by closing the connection");
        }
    }

    @Test
    void aBrokenChunkSizeIsNamed() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(null,
                r -> "HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
                HttpProbe p = HttpProbe.open(s.address(), HOST, false, 3000, ServerTrust.inspectOnly())) {
            assertThatThrownBy(() -> send(p, "NTLM TlRMTVNTUAABAAAA")).hasMessage("chunked body: 'zz' is not a chunk size (RFC 9112 §7.1)");
        }
    }

    /** A connection that looked behind a certificate without judging it never carries a password. */
    @Test
    void anInspectOnlyConnectionRefusesCredentials() throws Exception {
        TestPki pki = new TestPki();
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue("router.local", "router.local"), r -> ECHO);
                HttpProbe p = HttpProbe.open(s.address(), HOST, true, 3000, ServerTrust.inspectOnly())) {
            assertThat(p.send("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0, List.of(), new byte[0]).status()).isEqualTo(200);
            assertThatThrownBy(() -> send(p, "Basic c2VjcmV0")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("credentials on a connection whose certificate was not verified");
            assertThat(s.requests()).hasSize(1);
        }
    }

    /** Verified: the chain must lead to an anchor and the certificate must name the host dialled; else nothing is sent. */
    @Test
    void aVerifiedConnectionChecksChainAndName() throws Exception {
        TestPki pki = new TestPki();
        ServerTrust trust = ServerTrust.verified(TrustAnchors.systemPlus(List.of(pki.writeRoot(tmp))));
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue(HOST, HOST), r -> ECHO)) {
            try (HttpProbe p = HttpProbe.open(s.address(), HOST, true, 3000, trust)) {
                assertThat(send(p, "Basic c2VjcmV0").status()).isEqualTo(200);
            }
            assertThatThrownBy(() -> HttpProbe.open(s.address(), "mail.frankysweb.org", true, 3000, trust))
                    .isInstanceOf(HttpProbe.CertificateRejected.class)
                    .hasMessage("the certificate of mail.frankysweb.org was not accepted (chain, name or dates); nothing was sent");
            assertThatThrownBy(() -> HttpProbe.open(s.address(), HOST, true, 3000, ServerTrust.verified(TrustAnchors.systemPlus(List.of()))))
                    .isInstanceOf(HttpProbe.CertificateRejected.class);
            assertThat(s.requests()).hasSize(1);
        }
    }
}
