package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.SiteInfo;
import dev.anywhere.rpc.rpch.RtsPduKind;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.gateway.BackendResolver;
import dev.anywhere.server.gateway.Gateway;
import dev.anywhere.server.gateway.ListenerLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RPC_IN_DATA and RPC_OUT_DATA live as long as their channel: once their heads are in, the listener's request-header
 * and keep-alive timeouts must not cut them, however long they sit idle (the proxy's own rules govern them).
 */
class ChannelsOutliveListenerTimeoutsTest {


    @TempDir
    Path dataDir;

    @Test
    void anIdleVirtualConnectionOutlivesSeveralHeaderAndKeepAliveTimeouts() throws Exception {
        Duration shortLimit = Duration.ofMillis(300);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (ScriptedRpchServer backend = new ScriptedRpchServer()) {
            new AppliedConfigFile(dataDir).write(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), false,
                    ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(backend.port()))), 1, Instant.now());
            try (Gateway gateway = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0),
                    Optional.empty(), RpcProxyTest.CREDENTIALS, "oa.frankysweb.org",
                    Gateway.ntlmIdentity("EX1", new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org")))
                    .withBackendResolver(BackendResolver.system().withOverride(InetAddress.getLoopbackAddress(), "ex1").withoutSystemDns())
                    .withListenerLimits(ListenerLimits.defaults().withRequestHeaderTimeout(shortLimit).withKeepAliveTimeout(shortLimit)),
                    metrics);
                    RpchTestClient c = new RpchTestClient(gateway.address().getPort())) {
                c.connect("ex1:" + backend.port(), 262144);
                assertThat(RtsPduKind.CONN_A3.matches(c.readRts())).isTrue();
                assertThat(RtsPduKind.CONN_C2.matches(c.readRts())).isTrue();

                Thread.sleep(shortLimit.toMillis() * 4);

                c.sendIn(ScriptedRpchServer.rpcPdu(0, 100, 7));
                String event;
                do {
                    event = backend.events.poll(5, TimeUnit.SECONDS);
                } while (event != null && !event.startsWith("IN rpc"));
                assertThat(event).isEqualTo("IN rpc 100");
                // The proxy may ping the idle OUT channel (RTS, PTYPE 20) before the response arrives.
                byte[] pdu;
                do {
                    pdu = c.readPdu();
                } while (pdu[2] == 20);
                assertThat(pdu[2]).isEqualTo((byte) 2);
                assertThat(metrics.get("anywhere.gateway.connections.timeouts").counters())
                        .allSatisfy(counter -> assertThat(counter.count()).isZero());
            }
        }
    }
}
