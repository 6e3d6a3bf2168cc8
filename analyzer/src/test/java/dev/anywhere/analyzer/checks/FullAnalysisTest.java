package dev.anywhere.analyzer.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.Analyzer;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.check.CheckStatus;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.analyzer.report.Vantage;
import dev.anywhere.analyzer.testing.ScriptedHttpsServer;
import dev.anywhere.analyzer.testing.TestPki;
import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.rpc.ntlm.NtlmHttpHeader;
import dev.anywhere.rpc.ntlm.NtlmServer;
import dev.anywhere.rpc.ntlm.ServerIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Autodiscover then the RPC proxy, both played by a scripted HTTPS server, as an external client sees them. */
class FullAnalysisTest {

    @TempDir
    static Path tmp;
    static TestPki pki;
    static Path root;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki();
        root = pki.writeRoot(tmp);
    }

    static String pox(String expr) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006\">"
                + "<Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a\">"
                + "<User><DisplayName>Franky Weber</DisplayName><LegacyDN>/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky</LegacyDN>"
                + "<AutoDiscoverSMTPAddress>franky@frankysweb.org</AutoDiscoverSMTPAddress></User>"
                + "<Account><AccountType>email</AccountType><Action>settings</Action>"
                + "<Protocol><Type>EXCH</Type><Server>ex1.frankysweb.local</Server><ServerExclusiveConnect>off</ServerExclusiveConnect></Protocol>"
                + expr + "</Account></Response></Autodiscover>";
    }

    static final String EXPR = "<Protocol><Type>EXPR</Type><Server>oa.frankysweb.org</Server><SSL>On</SSL><AuthPackage>Ntlm</AuthPackage>"
            + "<ServerExclusiveConnect>on</ServerExclusiveConnect><CertPrincipalName>msstd:oa.frankysweb.org</CertPrincipalName></Protocol>";

    /** Autodiscover for POSTs, the proxy (connection-bound NTLM, real verification) for RPC_IN_DATA. */
    static Function<ScriptedHttpsServer.Request, String> site(String expr, boolean closeAfterChallenge) {
        java.util.Map<Integer, NtlmServer> handshakes = new java.util.concurrent.ConcurrentHashMap<>();
        ServerIdentity id = new ServerIdentity("EX1", "FRANKYSWEB", "ex1.frankysweb.local", "frankysweb.local", "frankysweb.local");
        return r -> {
            String auth = r.header("Authorization");
            if (r.method().equals("POST")) {
                if (auth == null) {
                    return ScriptedHttpsServer.response("HTTP/1.1 401 Unauthorized", "", "WWW-Authenticate: Basic realm=\"ad\"");
                }
                return ScriptedHttpsServer.response("HTTP/1.1 200 OK", pox(expr), "Content-Type: text/xml; charset=utf-8");
            }
            if (RpcProxyPhaseTest.channel(r)) {
                return "HTTP/1.0 503 RPC Error: 6ba\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            }
            if (r.method().equals("RPC_IN_DATA") || r.method().equals("RPC_OUT_DATA")) {
                try {
                    if (auth != null && auth.startsWith("NTLM ")) {
                        NtlmHttpHeader.Token t = NtlmHttpHeader.parse(auth);
                        if (t.type() == dev.anywhere.rpc.ntlm.MessageType.NEGOTIATE_MESSAGE) {
                            NtlmServer s = new NtlmServer(id, (d, u) -> Optional.of(NtHash.of("Secret-1")));
                            handshakes.put(r.connection(), s);
                            return ScriptedHttpsServer.response("HTTP/1.1 401 Unauthorized", "", "WWW-Authenticate: "
                                    + NtlmHttpHeader.format(NtlmHttpHeader.Scheme.NTLM, s.challenge(t.message().toByteArray())),
                                    closeAfterChallenge ? "Connection: close" : "Connection: keep-alive");
                        }
                        NtlmServer s = handshakes.remove(r.connection());
                        if (s != null) {
                            s.authenticate(t.message().toByteArray());
                            return "HTTP/1.1 200 Success\r\nContent-Type: application/rpc\r\nContent-Length: 20\r\n\r\n" + RpcProxyPhaseTest.ECHO;
                        }
                    }
                } catch (Exception e) {
                    // Falls through to the 401.
                }
                if (auth != null && auth.equals(RpcProxyPhaseTest.BASIC_OK)) {
                    return "HTTP/1.1 200 Success\r\nContent-Type: application/rpc\r\nContent-Length: 20\r\n\r\n" + RpcProxyPhaseTest.ECHO;
                }
                return ScriptedHttpsServer.response("HTTP/1.1 401 Unauthorized", "", "WWW-Authenticate: Negotiate", "WWW-Authenticate: NTLM",
                        "WWW-Authenticate: Basic realm=\"oa\"");
            }
            return ScriptedHttpsServer.response("HTTP/1.1 404 Not Found", "");
        };
    }

    static Report analyze(ScriptedHttpsServer s, Optional<String> password) throws Exception {
        return analyze(s, password, "en");
    }

    static Report analyze(ScriptedHttpsServer s, Optional<String> password, String language) throws Exception {
        int port = s.port();
        AnalyzeOptions o = new AnalyzeOptions("franky@frankysweb.org", password.map(p -> "FRANKYSWEB\\franky"), password,
                List.of("frankysweb.org:" + port + ":127.0.0.1", "autodiscover.frankysweb.org:" + port + ":127.0.0.1",
                        "oa.frankysweb.org:" + port + ":127.0.0.1"),
                Optional.empty(), List.of(root), Vantage.OUTSIDE, Duration.ofSeconds(3), language, Optional.empty(), port, 1, List.of(), false);
        return new Analyzer(o).run(CheckListener.NONE);
    }

    @Test
    void autodiscoverLeadsToAHealthyProxyWithNtlm() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue("oa.frankysweb.org", "oa.frankysweb.org",
                "autodiscover.frankysweb.org", "frankysweb.org"), site(EXPR, false))) {
            Report r = analyze(s, Optional.of("Secret-1"));
            // Up to the echo all passes; this scripted proxy refuses every tunnel (the lab's test runs a real one).
            assertThat(r.root().allFindings()).extracting(Finding::id).containsOnly("rpc.port-not-allowed");
            assertThat(RpcProxyPhaseTest.step(r.root(), "autodiscover").status()).isEqualTo(CheckStatus.PASSED);
            assertThat(RpcProxyPhaseTest.step(r.root(), "autodiscover.settings").summary())
                    .isEqualTo("EXCH ex1.frankysweb.local, EXPR oa.frankysweb.org SSL On AuthPackage Ntlm CertPrincipalName msstd:oa.frankysweb.org");
            assertThat(RpcProxyPhaseTest.step(r.root(), "rpc-proxy.echo").summary()).startsWith("HTTP/1.1 200 Success, 20-byte echo PDU (NTLM)");
            assertThat(RpcProxyPhaseTest.step(r.root(), "autodiscover.https-root-domain")).isNotNull();
            assertThat(dev.anywhere.analyzer.text.TextAudit.audit(r.root(), "en")).isEmpty();
        }
    }

    @Test
    void missingExprIsTheFinding() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue("oa.frankysweb.org", "oa.frankysweb.org",
                "autodiscover.frankysweb.org", "frankysweb.org"), site("", false))) {
            Report r = analyze(s, Optional.of("Secret-1"));
            assertThat(r.root().allFindings()).extracting(Finding::id).containsExactly("autodiscover.missing-expr");
            assertThat(RpcProxyPhaseTest.step(r.root(), "rpc-proxy").summary()).isEqualTo("skipped: Autodiscover gave no EXPR settings");
            assertThat(dev.anywhere.analyzer.text.TextAudit.audit(r.root(), "en")).isEmpty();
        }
    }

    /** A German report says why the tunnel broke in German, the RPC client's detail line included (it was left out). */
    @Test
    void aRefusedTunnelIsExplainedInGermanWithTheClientsDetail() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue("oa.frankysweb.org", "oa.frankysweb.org",
                "autodiscover.frankysweb.org", "frankysweb.org"), site(EXPR, false))) {
            Report r = analyze(s, Optional.of("Secret-1"), "de");
            String summary = RpcProxyPhaseTest.step(r.root(), "rpc-proxy.ping-6001").summary();
            assertThat(summary).isEqualTo("RPC-Proxy zum RPC-Server: der Proxy lehnt das Ziel ab (RPC Error); IN-Kanal-Anfrage: "
                    + "„503 RPC Error: 6ba RPC_S_SERVER_UNAVAILABLE(0x6ba)“, der Proxy lehnt ex1.frankysweb.local:6001 ab (nicht in "
                    + "ValidPorts) oder erreicht es nicht als ncacn_http-Dienst");
            assertThat(dev.anywhere.analyzer.text.TextAudit.audit(r.root(), "de")).isEmpty();
        }
    }

    @Test
    void ntlmSplitAcrossConnectionsIsRecognised() throws Exception {
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue("oa.frankysweb.org", "oa.frankysweb.org",
                "autodiscover.frankysweb.org", "frankysweb.org"), site(EXPR, true))) {
            Report r = analyze(s, Optional.of("Secret-1"));
            assertThat(r.root().allFindings()).extracting(Finding::id).containsExactly("proxy.ntlm-pooling");
        }
    }

    /** Inside, with a directory: the service connection point is the first method and wins. */
    @Test
    void aServiceConnectionPointIsFoundFirstFromInside() throws Exception {
        String nc = "CN=Configuration,DC=frankysweb,DC=local";
        com.unboundid.ldap.listener.InMemoryDirectoryServerConfig cfg = new com.unboundid.ldap.listener.InMemoryDirectoryServerConfig(nc);
        cfg.setSchema(null); // serviceConnectionPoint is AD schema
        cfg.setListenerConfigs(com.unboundid.ldap.listener.InMemoryListenerConfig.createLDAPConfig("ldap",
                java.net.InetAddress.getLoopbackAddress(), 0, null));
        cfg.setCustomRootDSEAttributes(List.of(new com.unboundid.ldap.sdk.Attribute("configurationNamingContext", nc)));
        com.unboundid.ldap.listener.InMemoryDirectoryServer ldap = new com.unboundid.ldap.listener.InMemoryDirectoryServer(cfg);
        ldap.add(new com.unboundid.ldap.sdk.Entry(nc, new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "container")));
        try (ScriptedHttpsServer s = new ScriptedHttpsServer(pki.issue("oa.frankysweb.org", "oa.frankysweb.org",
                "autodiscover.frankysweb.org", "frankysweb.org"), site(EXPR, false))) {
            ldap.add(new com.unboundid.ldap.sdk.Entry("CN=EX1," + nc,
                    new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "serviceConnectionPoint"),
                    new com.unboundid.ldap.sdk.Attribute("keywords", "77378F46-2C66-4aa9-A6A6-3E7A48B19596", "Site=Default-First-Site-Name"),
                    new com.unboundid.ldap.sdk.Attribute("serviceBindingInformation",
                            "https://autodiscover.frankysweb.org:" + s.port() + "/autodiscover/autodiscover.xml")));
            ldap.startListening();
            int port = s.port();
            AnalyzeOptions o = new AnalyzeOptions("franky@frankysweb.org", Optional.of("FRANKYSWEB\\franky"), Optional.of("Secret-1"),
                    List.of("autodiscover.frankysweb.org:" + port + ":127.0.0.1", "oa.frankysweb.org:" + port + ":127.0.0.1"),
                    Optional.empty(), List.of(root), Vantage.INSIDE, Duration.ofSeconds(3), "en", Optional.empty(), port, 1, List.of(), false)
                    .withScp(Optional.of(dev.anywhere.autodiscover.discovery.ScpSettings.anonymous("127.0.0.1", ldap.getListenPort(),
                            "Default-First-Site-Name")));
            Report r = new Analyzer(o).run(CheckListener.NONE);
            assertThat(RpcProxyPhaseTest.step(r.root(), "autodiscover.scp").status()).isEqualTo(CheckStatus.PASSED);
            assertThat(RpcProxyPhaseTest.step(r.root(), "autodiscover").summary())
                    .isEqualTo("answer from https://autodiscover.frankysweb.org:" + port + "/autodiscover/autodiscover.xml");
        } finally {
            ldap.shutDown(true);
        }
    }
}
