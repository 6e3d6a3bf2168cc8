package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.autodiscover.pox.AuthPackage;
import dev.anywhere.autodiscover.pox.AutodiscoverRequest;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.ErrorCode;
import dev.anywhere.autodiscover.pox.PoxCodec;
import dev.anywhere.autodiscover.pox.ProtocolType;
import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.rpc.ntlm.NtlmClient;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.ntlm.NtlmHttpHeader;
import dev.anywhere.server.testing.RawHttp;
import dev.anywhere.server.testing.TestCertificate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /autodiscover/autodiscover.xml} through the real gateway (HTTPS) against the embedded directory. */
class AutodiscoverRouteTest {

    private static final String PASSWORD = "Route-Secret-1";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString(("FRANKYSWEB\\franky:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final String BODY = new String(PoxCodec.writeRequest(AutodiscoverRequest.forEmail("franky@frankysweb.org")),
            StandardCharsets.UTF_8);

    private static TestCertificate certificate;
    private static DirectoryServer dc1;
    private static LdapSiteDirectory directory;

    @TempDir
    Path dataDir;

    private Gateway gateway;

    @BeforeAll
    static void startDirectory() throws Exception {
        certificate = TestCertificate.create("autodiscover.frankysweb.org", "oa.frankysweb.org");
        dc1 = DirectoryServer.start(Files.createTempDirectory("ads-route"), InetAddress.getLoopbackAddress(), 0,
                SiteSeed.frankysweb(PASSWORD));
        directory = dc1.directory().connect(PASSWORD);
    }

    @AfterAll
    static void stopDirectory() {
        directory.close();
        dc1.close();
    }

    @BeforeEach
    void start() throws Exception {
        directory.putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.of(URI.create("https://oa.frankysweb.org/rpc")),
                Optional.empty(), 2, 0));
        gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0),
                Optional.of(certificate.serverContext()), new DirectoryCredentials(directory), "autodiscover.frankysweb.org",
                Gateway.ntlmIdentity("EX1", SiteSeed.FRANKYSWEB)), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private RawHttp tls() throws Exception {
        SSLSocket s = (SSLSocket) certificate.clientContext().getSocketFactory()
                .createSocket("127.0.0.1", gateway.address().getPort());
        s.startHandshake();
        return new RawHttp(s);
    }

    private static String post(String target, String body, String... headers) {
        return head("POST", target, body.getBytes(StandardCharsets.UTF_8).length, headers) + body;
    }

    private static String head(String method, String target, long length, String... headers) {
        StringBuilder b = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: autodiscover.frankysweb.org\r\n"
                + "Content-Type: text/xml; charset=utf-8\r\n");
        if (length >= 0) {
            b.append("Content-Length: ").append(length).append("\r\n");
        }
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    private static AutodiscoverResponse parse(RawHttp.Response r) throws Exception {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("text/xml; charset=utf-8");
        return PoxCodec.readResponse(r.body());
    }

    private static ErrorCode errorOf(RawHttp.Response r) throws Exception {
        return parse(r).error().orElseThrow().errorCode();
    }

    @Test
    void basicPostGetsSettingsWithExprAndThePathIsCaseInsensitive() throws Exception {
        try (RawHttp http = tls()) {
            AutodiscoverResponse r = parse(http.send(post("/Autodiscover/Autodiscover.xml", BODY, "Authorization: " + BASIC)).read());
            assertThat(r.account().orElseThrow().protocol(ProtocolType.EXPR).orElseThrow().authPackage()).contains(AuthPackage.NTLM);
            // keep-alive: a second request on the same connection
            assertThat(parse(http.send(post("/autodiscover/autodiscover.xml", BODY, "Authorization: " + BASIC)).read()).isError()).isFalse();
        }
    }

    @Test
    void clientCapabilitiesReachTheService() throws Exception {
        directory.putRpcVirtualDirectory(new RpcHttpVirtualDirectory("EX1", 0, Optional.of(URI.create("https://oa.frankysweb.org/rpc")),
                Optional.empty(), 0, 0).withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NEGOTIATE)
                .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.NEGOTIATE, AuthenticationMethod.NTLM)));
        try (RawHttp http = tls()) {
            AutodiscoverResponse with = parse(http.send(post("/autodiscover/autodiscover.xml", BODY, "Authorization: " + BASIC,
                    "X-ClientCanHandle: Negotiate, ExHttpInfo")).read());
            assertThat(with.account().orElseThrow().protocol(ProtocolType.EXPR).orElseThrow().authPackage()).contains(AuthPackage.NEGOTIATE);
            AutodiscoverResponse without = parse(http.send(post("/autodiscover/autodiscover.xml", BODY, "Authorization: " + BASIC)).read());
            assertThat(without.account().orElseThrow().protocol(ProtocolType.EXPR).orElseThrow().authPackage()).contains(AuthPackage.NTLM);
        }
    }

    @Test
    void unauthenticatedPostAndGetGet401WithTheThreeSchemes() throws Exception {
        try (RawHttp http = tls()) {
            RawHttp.Response r = http.send(post("/autodiscover/autodiscover.xml", BODY)).read();
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.headers("WWW-Authenticate")).containsExactly("Negotiate", "NTLM", "Basic realm=\"autodiscover.frankysweb.org\"");
            assertThat(http.send(head("GET", "/autodiscover/autodiscover.xml", -1)).read().status()).isEqualTo(401);
            RawHttp.Response wrong = http.send(post("/autodiscover/autodiscover.xml", BODY, "Authorization: Basic "
                    + Base64.getEncoder().encodeToString("FRANKYSWEB\\franky:wrong".getBytes(StandardCharsets.UTF_8)))).read();
            assertThat(wrong.status()).isEqualTo(401);
        }
    }

    @Test
    void authenticatedGetGets200WithError600() throws Exception {
        try (RawHttp http = tls()) {
            assertThat(errorOf(http.send(head("GET", "/autodiscover/autodiscover.xml", -1, "Authorization: " + BASIC)).read()))
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
        }
    }

    @Test
    void ntlmAuthenticatesTheConnection() throws Exception {
        NtlmClient client = new NtlmClient(NtlmCredentials.parse("FRANKYSWEB\\franky", PASSWORD));
        try (RawHttp http = tls()) {
            RawHttp.Response challenge = http.send(post("/autodiscover/autodiscover.xml", BODY,
                    "Authorization: " + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, client.negotiate()))).read();
            assertThat(challenge.status()).isEqualTo(401);
            byte[] type2 = Base64.getDecoder().decode(challenge.header("WWW-Authenticate").substring(5));
            AutodiscoverResponse r = parse(http.send(post("/autodiscover/autodiscover.xml", BODY,
                    "Authorization: " + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, client.authenticate(type2)))).read());
            assertThat(r.user().orElseThrow().autoDiscoverSmtpAddress()).contains("franky@frankysweb.org");
        }
    }

    @Test
    void malformedAndHostileBodiesGet600() throws Exception {
        try (RawHttp http = tls()) {
            assertThat(errorOf(http.send(post("/autodiscover/autodiscover.xml", "<Autodiscover", "Authorization: " + BASIC)).read()))
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
            String xxe = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                    + "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\">"
                    + "<Request><EMailAddress>&x;</EMailAddress><AcceptableResponseSchema>x</AcceptableResponseSchema></Request></Autodiscover>";
            RawHttp.Response r = http.send(post("/autodiscover/autodiscover.xml", xxe, "Authorization: " + BASIC)).read();
            assertThat(errorOf(r)).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(r.bodyText()).doesNotContain("root:");
            assertThat(errorOf(http.send(post("/autodiscover/autodiscover.xml", "", "Authorization: " + BASIC)).read()))
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
            String deep = "<a>".repeat(5000);
            assertThat(errorOf(http.send(post("/autodiscover/autodiscover.xml", deep, "Authorization: " + BASIC)).read()))
                    .isEqualTo(ErrorCode.INVALID_REQUEST);
        }
    }

    @Test
    void unknownSchemaGets601OverTheWire() throws Exception {
        String body = BODY.replace("outlook/responseschema/2006a", "mobilesync/responseschema/2006");
        try (RawHttp http = tls()) {
            assertThat(errorOf(http.send(post("/autodiscover/autodiscover.xml", body, "Authorization: " + BASIC)).read()))
                    .isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
        }
    }

    @Test
    void oversizedContentLengthGets600AndTheConnectionClosesWithoutReadingTheBody() throws Exception {
        try (RawHttp http = tls()) {
            RawHttp.Response r = http.send(head("POST", "/autodiscover/autodiscover.xml", 10_000_000, "Authorization: " + BASIC)).read();
            assertThat(errorOf(r)).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(http.closedByPeer()).isTrue();
        }
    }

    @Test
    void chunkedBodyGrowingPastTheCapGets600AndClose() throws Exception {
        try (RawHttp http = tls()) {
            http.send(head("POST", "/autodiscover/autodiscover.xml", -1, "Authorization: " + BASIC, "Transfer-Encoding: chunked"));
            String chunk = "x".repeat(8192);
            RawHttp.Response r = null;
            for (int i = 0; i < 9; i++) { // 72 KiB > 64 KiB
                http.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            r = http.read();
            assertThat(errorOf(r)).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(http.closedByPeer()).isTrue();
        }
    }

    @Test
    void exactlyTheCapIsStillParsed() throws Exception {
        String padded = BODY.replace("<Request>", "<Request>" + " ".repeat(65536 - BODY.length()));
        assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(65536);
        try (RawHttp http = tls()) {
            assertThat(parse(http.send(post("/autodiscover/autodiscover.xml", padded, "Authorization: " + BASIC)).read()).isError()).isFalse();
            // one byte more: refused from the head alone (the body is never read; the connection closes)
            RawHttp.Response r = http.send(head("POST", "/autodiscover/autodiscover.xml", 65537, "Authorization: " + BASIC)).read();
            assertThat(errorOf(r)).isEqualTo(ErrorCode.INVALID_REQUEST);
            assertThat(http.closedByPeer()).isTrue();
        }
    }

    @Test
    void plainHttpIsRefusedWhenTheGatewaySpeaksTls() throws Exception {
        try (RawHttp http = new RawHttp(new Socket("127.0.0.1", gateway.address().getPort()))) {
            assertThat(http.send(post("/autodiscover/autodiscover.xml", BODY, "Authorization: " + BASIC)).read().status()).isEqualTo(403);
        }
    }
}
