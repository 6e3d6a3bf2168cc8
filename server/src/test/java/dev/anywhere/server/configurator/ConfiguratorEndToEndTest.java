package dev.anywhere.server.configurator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.embedded.DirectoryServer;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.directory.testing.SlapdServer;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration plane end to end against real LDAP servers: the embedded directory (changelog following) and
 * OpenLDAP slapd (RFC 4533 content sync). Directory writes go through a second connection, as 'anywhere oa set' does.
 */
class ConfiguratorEndToEndTest {

    private static final String PASSWORD = "E2e-Secret-1";

    @TempDir
    Path tmp;

    private static RpcHttpVirtualDirectory enable(Set<AuthenticationMethod> iis) {
        return new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 0, 0)
                .withExternalHostname("oa.frankysweb.org")
                .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM)
                .withIisAuthenticationMethods(iis);
    }

    private static LdapSettings settings(DirectoryServer server) {
        return LdapSettings.of(server.info().url(), seed().serviceBindDn(), PASSWORD, SiteSeed.FRANKYSWEB);
    }

    private static SiteSeed seed() {
        SiteSeed all = SiteSeed.frankysweb(PASSWORD);
        return new SiteSeed(all.site(), all.passwords(), false);
    }

    @Test
    void embeddedDirectoryEnableSetDriftOutageAndRestart() throws Exception {
        Path dc1 = tmp.resolve("dc1");
        Path ex1 = tmp.resolve("ex1");
        LocalRoles.register(ex1, true, true);
        DirectoryServer server = DirectoryServer.start(dc1, InetAddress.getLoopbackAddress(), 0, seed());
        int port = server.info().url().getPort();
        LdapSettings settings = settings(server);
        EventLog events = new EventLog(ex1);
        AppliedConfigFile applied = new AppliedConfigFile(ex1);
        try (LdapSiteDirectory hostSide = LdapSiteDirectory.open(settings);
                LdapSiteDirectory admin = LdapSiteDirectory.open(settings);
                ServiceHost host = new ServiceHost(hostSide, "EX1", ex1, events, Clock.systemUTC(),
                        new ServiceHost.Timing(Duration.ofMillis(300), ServiceHost.DISABLED_RECHECK))) {
            host.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> host.passes() >= 1 && applied.read().isPresent());
            assertThat(applied.read().orElseThrow().config().enabled()).isFalse();

            // enable -> file written -> events, by notification (the poll is 15 minutes away)
            admin.putRpcVirtualDirectory(enable(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM)));
            await().atMost(Duration.ofSeconds(3)).until(() -> applied.read().orElseThrow().config().enabled());
            // The pass writes the file before its event batch: wait for the batch too.
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(events.readAll()).extracting(e -> e.id().id()).contains(3037, 3902, 3025, 3006, 3036));
            assertThat(events.read(e -> e.id() == EventId.CHANGE_FOLLOWING_STARTED).get(0).data())
                    .containsEntry("mechanism", "CHANGELOG");

            // oa set -> applied without waiting for the poll
            admin.putRpcVirtualDirectory(enable(EnumSet.of(AuthenticationMethod.NTLM)).withSslOffloading(true));
            await().atMost(Duration.ofSeconds(3)).until(() -> !applied.read().orElseThrow().config().requireSsl());
            assertThat(applied.read().orElseThrow().config().authentication()).containsExactly(HttpAuthScheme.NTLM);

            // a manual edit is reverted at the next pass, with its event
            RpcVdirConfig good = applied.read().orElseThrow().config();
            applied.writeManualEdit(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), true, good.validPorts()));
            host.requestPass();
            await().atMost(Duration.ofSeconds(3)).until(() -> applied.read().orElseThrow().writtenByConfigurator());
            assertThat(applied.read().orElseThrow().config()).isEqualTo(good);
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(events.read(e -> e.id() == EventId.REVERTED_MANUAL_CHANGE)).hasSize(1));

            // directory stopped -> 2001, file intact; recovery when it returns, with nothing lost
            String before = Files.readString(applied.path());
            server.close();
            host.requestPass();
            await().atMost(Duration.ofSeconds(10)).until(() -> !events.read(e -> e.id() == EventId.TRANSIENT_EXCEPTION).isEmpty());
            // The failure also as a key with values, so anywhere events can say it in its reader's language.
            java.util.Map<String, String> failure = events.read(e -> e.id() == EventId.TRANSIENT_EXCEPTION).get(0).data();
            assertThat(failure).containsEntry("error.key", "ldap-failed").containsKey("error.code").containsKey("error.what.key");
            assertThat(dev.anywhere.directory.DirectoryText.fromData(failure, "error.")).hasValueSatisfying(
                    t -> assertThat(t.english()).isEqualTo(failure.get("error")));
            assertThat(Files.readString(applied.path())).isEqualTo(before);
            server = DirectoryServer.start(dc1, InetAddress.getLoopbackAddress(), port, seed());
            assertThat(server.info().seededNow()).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> !events.read(e -> e.id() == EventId.DIRECTORY_RECOVERED).isEmpty());
            assertThat(applied.read().orElseThrow().config()).isEqualTo(good);
            try (LdapSiteDirectory check = LdapSiteDirectory.open(settings)) {
                assertThat(check.rpcVirtualDirectory("EX1").orElseThrow().sslOffloading()).isTrue();
            }
        } finally {
            server.close();
        }
    }

    /**
     * A change committed just as the service host starts following is applied at once: the lab's scenarios enable
     * Outlook Anywhere while the site starts, and once in a few hundred starts the change landed between the first
     * pass's read and the start of following, so it waited for the 15-minute poll. Here the change is made inside
     * the call that starts following, before the feed takes its position: the window, held open.
     */
    @Test
    void aChangeMadeAsFollowingStartsIsNotLeftForThePoll() throws Exception {
        Path ex1 = tmp.resolve("ex1");
        LocalRoles.register(ex1, true, true);
        AppliedConfigFile applied = new AppliedConfigFile(ex1);
        try (DirectoryServer server = DirectoryServer.start(tmp.resolve("dc1"), InetAddress.getLoopbackAddress(), 0, seed());
                LdapSiteDirectory hostSide = LdapSiteDirectory.open(settings(server));
                LdapSiteDirectory admin = LdapSiteDirectory.open(settings(server))) {
            java.util.concurrent.atomic.AtomicBoolean changed = new java.util.concurrent.atomic.AtomicBoolean();
            SiteDirectory racing = (SiteDirectory) java.lang.reflect.Proxy.newProxyInstance(SiteDirectory.class.getClassLoader(),
                    new Class<?>[] {SiteDirectory.class}, (proxy, method, args) -> {
                        if (method.getName().equals("watch") && changed.compareAndSet(false, true)) {
                            admin.putRpcVirtualDirectory(enable(EnumSet.of(AuthenticationMethod.NTLM)));
                        }
                        try {
                            return method.invoke(hostSide, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            try (ServiceHost host = new ServiceHost(racing, "EX1", ex1, new EventLog(ex1), Clock.systemUTC(),
                    new ServiceHost.Timing(Duration.ofMillis(300), ServiceHost.DISABLED_RECHECK))) {
                host.start();
                await().atMost(Duration.ofSeconds(5)).until(() -> applied.read().map(a -> a.config().enabled()).orElse(false));
                assertThat(changed).isTrue();
                assertThat(applied.read().orElseThrow().config().authentication()).containsExactly(HttpAuthScheme.NTLM);
            }
        }
    }

    @Test
    void slapdContentSyncAppliesChangesWithoutWaitingForThePoll() throws Exception {
        SlapdServer.assumeAvailable();
        Path ex1 = tmp.resolve("ex1");
        LocalRoles.register(ex1, true, true);
        try (SlapdServer slapd = SlapdServer.start(tmp.resolve("slapd"), seed());
                LdapSiteDirectory hostSide = LdapSiteDirectory.open(slapd.serviceSettings(PASSWORD));
                LdapSiteDirectory admin = LdapSiteDirectory.open(slapd.serviceSettings(PASSWORD));
                ServiceHost host = new ServiceHost(hostSide, "EX1", ex1, new EventLog(ex1), Clock.systemUTC(), ServiceHost.Timing.EXCHANGE)) {
            AppliedConfigFile applied = new AppliedConfigFile(ex1);
            host.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> host.passes() >= 1 && applied.read().isPresent());
            admin.putRpcVirtualDirectory(enable(EnumSet.of(AuthenticationMethod.BASIC)));
            await().atMost(Duration.ofSeconds(3)).until(() -> applied.read().orElseThrow().config().enabled());
            admin.putRpcVirtualDirectory(enable(EnumSet.of(AuthenticationMethod.NTLM, AuthenticationMethod.NEGOTIATE)));
            await().atMost(Duration.ofSeconds(3)).until(() -> applied.read().orElseThrow().config().authentication()
                    .equals(Set.of(HttpAuthScheme.NTLM, HttpAuthScheme.NEGOTIATE)));
            assertThat(new EventLog(ex1).read(e -> e.id() == EventId.CHANGE_FOLLOWING_STARTED).get(0).data())
                    .containsEntry("mechanism", "CONTENT_SYNC");
            admin.removeRpcVirtualDirectory("EX1");
            await().atMost(Duration.ofSeconds(3)).until(() -> !applied.read().orElseThrow().config().enabled());
            assertThat(new EventLog(ex1).readAll()).extracting(e -> e.id().id()).contains(3001);
        }
    }
}
