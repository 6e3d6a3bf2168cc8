package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.SiteInfo;
import dev.anywhere.directory.model.Mailbox;
import dev.anywhere.server.autodiscover.AutodiscoverSettings;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.testing.RawHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Autodiscover answer reads the directory off the event loop: while the directory hangs, that one request waits
 * for the deadline and gets 503, and requests on other connections (sharing the only event loop) are answered at once.
 */
class AutodiscoverAnswerOffLoopTest {

    private static final SiteInfo SITE = new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org");
    private static final Mailbox FRANKY = new Mailbox("franky", "franky@frankysweb.local", "Franky", "franky@frankysweb.org",
            List.of("SMTP:franky@frankysweb.org"), "/o=First Organization/cn=Recipients/cn=franky", "EX1", true, false,
            Optional.empty());

    /** Netty's default worker count: two per core. */
    private static final int EVENT_LOOPS = 2 * Runtime.getRuntime().availableProcessors();

    @TempDir
    Path dataDir;

    private volatile CountDownLatch gate = new CountDownLatch(0);
    private Gateway gateway;

    /** Answers franky's logon; every call waits while the gate is closed, as a hung LDAP server would. */
    private SiteDirectory directory() {
        return (SiteDirectory) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SiteDirectory.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("site") && !method.getName().equals("close")) {
                        gate.await(30, TimeUnit.SECONDS);
                        if (down && !method.getName().equals("mailboxByLogonName") && !method.getName().equals("verifyPassword")) {
                            throw new dev.anywhere.directory.DirectoryException("connect error(91)", true, null);
                        }
                    }
                    return switch (method.getName()) {
                        case "site" -> SITE;
                        case "mailboxByLogonName" -> Optional.of(FRANKY);
                        case "verifyPassword" -> "Secret-1".equals(args[1]);
                        case "servers" -> List.of();
                        case "close" -> null;
                        default -> Optional.empty();
                    };
                });
    }

    /** The directory fails every call with a transient error while {@link #down} is set. */
    private volatile boolean down;

    @AfterEach
    void stop() {
        gate.countDown();
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aHungDirectoryDelaysOnlyTheAnswerThatNeedsIt() throws Exception {
        new AppliedConfigFile(dataDir).write(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), false,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001))), 1, Instant.now());
        gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                new DirectoryCredentials(directory()), "oa.frankysweb.org", Gateway.ntlmIdentity("EX1", SITE))
                .withLogonSettings(LogonSettings.defaults().withDeadline(Duration.ofMillis(3000))), new SimpleMeterRegistry());
        String basic = "Authorization: Basic " + Base64.getEncoder().encodeToString("FRANKYSWEB\\franky:Secret-1".getBytes(StandardCharsets.UTF_8));
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/"
                + "autodiscover/outlook/requestschema/2006\"><Request><EMailAddress>franky@frankysweb.org</EMailAddress>"
                + "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
                + "</AcceptableResponseSchema></Request></Autodiscover>";
        String post = "POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: autodiscover.frankysweb.org\r\nContent-Type: text/xml\r\n"
                + "Content-Length: " + body.length() + "\r\n" + basic + "\r\n\r\n" + body;
        String echo = "RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: oa.frankysweb.org\r\nContent-Length: 0\r\n" + basic + "\r\n\r\n";
        try (RawHttp first = connect()) {
            assertThat(first.send(post).read().status()).isEqualTo(200); // the logon is cached from here on
        }
        gate = new CountDownLatch(1);
        try (RawHttp waiting = connect()) {
            // Another address: the same request again would come from the gateway's answer cache.
            waiting.send(post.replace("franky@frankysweb.org", "frankz@frankysweb.org"));
            // Connections take the event loops in turn: the one a whole round later shares the waiting one's loop.
            List<RawHttp> round = new java.util.ArrayList<>();
            for (int i = 1; i < EVENT_LOOPS; i++) {
                round.add(connect());
            }
            RawHttp other = connect();
            long start = System.nanoTime();
            RawHttp.Response served = other.send(echo).read();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(served.status()).isEqualTo(200);
            // Far below the deadline: the echo did not queue behind the hung answer on the event loop.
            assertThat(millis).isLessThan(2000);
            RawHttp.Response r = waiting.read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("5");
            assertThat(r.bodyText()).isEqualTo("the directory did not answer in time; try again shortly\r\n");
            other.close();
            for (RawHttp c : round) {
                c.close();
            }
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> !gateway.health().up());
    }

    @Test
    void aDirectoryFailureIsNotServedFromTheAnswerCache() throws Exception {
        new AppliedConfigFile(dataDir).write(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), false,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001))), 1, Instant.now());
        Files.writeString(dataDir.resolve(AutodiscoverSettings.FILE), "cacheSeconds = 60\n");
        gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                new DirectoryCredentials(directory()), "oa.frankysweb.org", Gateway.ntlmIdentity("EX1", SITE)), new SimpleMeterRegistry());
        String basic = "Authorization: Basic " + Base64.getEncoder().encodeToString("FRANKYSWEB\\franky:Secret-1".getBytes(StandardCharsets.UTF_8));
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/"
                + "autodiscover/outlook/requestschema/2006\"><Request><EMailAddress>franky@frankysweb.org</EMailAddress>"
                + "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
                + "</AcceptableResponseSchema></Request></Autodiscover>";
        String post = "POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: autodiscover.frankysweb.org\r\nContent-Type: text/xml\r\n"
                + "Content-Length: " + body.length() + "\r\n" + basic + "\r\n\r\n" + body;
        down = true;
        try (RawHttp http = connect()) {
            assertThat(http.send(post).read().bodyText()).contains("<ErrorCode>603</ErrorCode>");
            down = false;
            // The same request again: answered from the directory, which is back, not from the cache.
            assertThat(http.send(post).read().bodyText()).doesNotContain("<ErrorCode>603</ErrorCode>");
        }
    }

    private RawHttp connect() throws Exception {
        return new RawHttp(new Socket("127.0.0.1", gateway.address().getPort()));
    }
}
