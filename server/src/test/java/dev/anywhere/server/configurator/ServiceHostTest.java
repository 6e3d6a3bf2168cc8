package dev.anywhere.server.configurator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import dev.anywhere.server.testing.MemorySiteDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceHostTest {

    @TempDir
    Path dataDir;

    private final MemorySiteDirectory directory = new MemorySiteDirectory();

    private ServiceHost host(ServiceHostSettings settings, ServiceHost.Timing timing) throws Exception {
        settings.write(dataDir);
        new LocalRoles(true, true, true).write(dataDir);
        return new ServiceHost(directory, "EX1", dataDir, new EventLog(dataDir), Clock.systemUTC(), timing);
    }

    private static RpcHttpVirtualDirectory vdir(AuthenticationMethod... iis) {
        return new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 0, 0)
                .withExternalHostname("oa.frankysweb.org")
                .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM)
                .withIisAuthenticationMethods(EnumSet.of(iis[0], iis));
    }

    @Test
    void aDirectoryChangeIsAppliedWithoutWaitingForThePoll() throws Exception {
        try (ServiceHost host = host(new ServiceHostSettings(Duration.ofMinutes(15), true), ServiceHost.Timing.EXCHANGE)) {
            host.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> host.passes() == 1);
            directory.putRpcVirtualDirectory(vdir(AuthenticationMethod.NTLM));
            await().atMost(Duration.ofSeconds(2)).until(() -> host.passes() == 2);
            assertThat(new AppliedConfigFile(dataDir).read().orElseThrow().config().authentication())
                    .containsExactly(HttpAuthScheme.NTLM);
            assertThat(Files.readString(dataDir.resolve(ServiceHost.STATUS_FILE)))
                    .contains("\"changeMechanism\" : \"PERSISTENT_SEARCH\"").contains("\"pollInterval\" : \"15m\"");
        }
    }

    @Test
    void withNotificationsOffOnlyThePollApplies() throws Exception {
        try (ServiceHost host = host(new ServiceHostSettings(Duration.ofMillis(700), false), ServiceHost.Timing.EXCHANGE)) {
            host.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> host.passes() == 1);
            long before = host.passes();
            directory.putRpcVirtualDirectory(vdir(AuthenticationMethod.BASIC));
            Thread.sleep(300);
            assertThat(new AppliedConfigFile(dataDir).read().orElseThrow().config().enabled()).isFalse();
            await().atMost(Duration.ofSeconds(5)).until(() -> host.passes() > before);
            assertThat(new AppliedConfigFile(dataDir).read().orElseThrow().config().enabled()).isTrue();
        }
    }

    @Test
    void pollIntervalZeroDoesNoWorkAtAll() throws Exception {
        EventLog log = new EventLog(dataDir);
        try (ServiceHost host = host(new ServiceHostSettings(Duration.ZERO, true),
                new ServiceHost.Timing(Duration.ofMillis(50), Duration.ofMillis(100)))) {
            host.start();
            directory.putRpcVirtualDirectory(vdir(AuthenticationMethod.NTLM));
            Thread.sleep(600);
            assertThat(host.passes()).isZero();
            assertThat(new AppliedConfigFile(dataDir).read()).isEmpty();
            // The single warning is not repeated on every recheck.
            assertThat(log.readAll()).extracting(e -> e.id()).containsExactly(EventId.PERIODIC_WORK_DISABLED);
            // Turning it back on takes effect at the next recheck, without a restart.
            new ServiceHostSettings(Duration.ofMinutes(15), true).write(dataDir);
            await().atMost(Duration.ofSeconds(5)).until(() -> host.passes() == 1);
            assertThat(new AppliedConfigFile(dataDir).read().orElseThrow().config().enabled()).isTrue();
        }
    }

    @Test
    void aTransientFailureIsRetriedSoonAndRecovers() throws Exception {
        directory.down(true);
        try (ServiceHost host = host(new ServiceHostSettings(Duration.ofMinutes(15), true),
                new ServiceHost.Timing(Duration.ofMillis(200), ServiceHost.DISABLED_RECHECK))) {
            host.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> host.passes() >= 2);
            assertThat(host.lastOutcome().kind()).isEqualTo(PassOutcome.Kind.TRANSIENT_FAILURE);
            directory.down(false);
            await().atMost(Duration.ofSeconds(5)).until(() -> host.lastOutcome().kind() == PassOutcome.Kind.SUCCEEDED);
            assertThat(new EventLog(dataDir).readAll()).extracting(e -> e.id().id()).contains(2001, 3904, 3037);
        }
    }
}
