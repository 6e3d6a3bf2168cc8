package dev.anywhere.server.configurator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import dev.anywhere.server.testing.MemorySiteDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RpcHttpConfiguratorTest {

    @TempDir
    Path dataDir;

    private final MemorySiteDirectory directory = new MemorySiteDirectory();
    private MutableClock clock;
    private EventLog events;
    private RpcHttpConfigurator configurator;
    private AppliedConfigFile applied;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        events = new EventLog(dataDir);
        configurator = new RpcHttpConfigurator(directory, "EX1", dataDir, events, clock);
        applied = new AppliedConfigFile(dataDir);
        new LocalRoles(true, true, true).write(dataDir);
    }

    private static RpcHttpVirtualDirectory enabledNtlm() {
        return new RpcHttpVirtualDirectory("EX1", 0, Optional.empty(), Optional.empty(), 0, 0)
                .withExternalHostname("oa.frankysweb.org")
                .withExternalClientAuthenticationMethod(ClientAuthenticationMethod.NTLM)
                .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC, AuthenticationMethod.NTLM));
    }

    private static int[] ids(PassOutcome o) {
        return o.events().stream().mapToInt(e -> e.id().id()).toArray();
    }

    @Test
    void firstPassWithOutlookAnywhereOffWritesADisabledRpc() throws Exception {
        PassOutcome o = configurator.pass();
        assertThat(o.kind()).isEqualTo(PassOutcome.Kind.SUCCEEDED);
        assertThat(ids(o)).containsExactly(3037);
        assertThat(applied.read().orElseThrow().config()).isEqualTo(RpcVdirConfig.disabled("EX1"));
    }

    @Test
    void enableWritesTheConfigurationWithOneEventPerItem() throws Exception {
        configurator.pass();
        directory.putRpcVirtualDirectory(enabledNtlm());
        PassOutcome o = configurator.pass();
        assertThat(ids(o)).containsExactly(3025, 3006, 3036);
        Event auth = o.events().get(2);
        assertThat(auth.data()).containsEntry("old", "none").containsEntry("new", "NTLM, Basic");
        assertThat(o.events().get(1).data()).containsEntry("old", "").containsEntry("item", "ValidPorts_AutoConfig_Exchange");
        RpcVdirConfig c = applied.read().orElseThrow().config();
        assertThat(c.enabled()).isTrue();
        assertThat(c.requireSsl()).isTrue();
        assertThat(c.authentication()).containsExactlyInAnyOrder(HttpAuthScheme.NTLM, HttpAuthScheme.BASIC);
        assertThat(c.validPorts().permits("ex1.frankysweb.local", 6004)).isTrue();
        assertThat(events.readAll()).extracting(e -> e.id().id()).containsExactly(3037, 3025, 3006, 3036);
    }

    /** A client access array member must reach the mailbox server a client names, not only itself. */
    @Test
    void validPortsListEveryExchangeServerNotDomainControllers() throws Exception {
        directory.putServer(new dev.anywhere.directory.model.ExchangeServer("EX2", "ex2.frankysweb.local", true));
        directory.putRpcVirtualDirectory(enabledNtlm());
        configurator.pass();
        RpcVdirConfig c = applied.read().orElseThrow().config();
        assertThat(c.validPorts().toString()).isEqualTo("ex1:593;ex1:6001-6002;ex1:6004;ex1.frankysweb.local:593;"
                + "ex1.frankysweb.local:6001-6002;ex1.frankysweb.local:6004;ex2:593;ex2:6001-6002;ex2:6004;"
                + "ex2.frankysweb.local:593;ex2.frankysweb.local:6001-6002;ex2.frankysweb.local:6004;localhost:593;"
                + "localhost:6001-6002;localhost:6004");
        assertThat(c.validPorts().permits("dc1", 6004)).isFalse();
    }

    @Test
    void aPassWithoutChangesWritesNothing() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        configurator.pass();
        long generation = applied.read().orElseThrow().generation();
        PassOutcome o = configurator.pass();
        assertThat(o.events()).isEmpty();
        assertThat(o.wrote()).isFalse();
        assertThat(applied.read().orElseThrow().generation()).isEqualTo(generation);
    }

    @Test
    void sslOffloadingAndIisMethodsChangesAreLoggedWithOldAndNewValues() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        configurator.pass();
        directory.putRpcVirtualDirectory(enabledNtlm().withSslOffloading(true)
                .withIisAuthenticationMethods(EnumSet.of(AuthenticationMethod.BASIC)));
        PassOutcome o = configurator.pass();
        assertThat(ids(o)).containsExactly(3036, 3900);
        assertThat(o.events().get(0).data()).containsEntry("old", "NTLM, Basic").containsEntry("new", "Basic");
        assertThat(o.events().get(1).data()).containsEntry("old", "Ssl,Ssl128").containsEntry("new", "None");
        assertThat(applied.read().orElseThrow().config().requireSsl()).isFalse();
    }

    @Test
    void disableRemovesRpcAndValidPorts() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        configurator.pass();
        directory.removeRpcVirtualDirectory("EX1");
        PassOutcome o = configurator.pass();
        assertThat(ids(o)).containsExactly(3025, 3001);
        assertThat(o.events().get(1).data()).containsEntry("new", "");
        assertThat(applied.read().orElseThrow().config().enabled()).isFalse();
    }

    @Test
    void aHandEditIsRevertedAndSaidSo() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        configurator.pass();
        RpcVdirConfig good = applied.read().orElseThrow().config();
        applied.writeManualEdit(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), false, good.validPorts()));
        PassOutcome o = configurator.pass();
        assertThat(ids(o)).containsExactly(3901, 3036, 3900);
        assertThat(o.events().get(0).data()).containsEntry("items", "authentication,requireSsl");
        AppliedConfigFile.Snapshot s = applied.read().orElseThrow();
        assertThat(s.config()).isEqualTo(good);
        assertThat(s.writtenByConfigurator()).isTrue();
    }

    @Test
    void aCorruptFileIsRewritten() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        configurator.pass();
        java.nio.file.Files.writeString(applied.path(), "garbage");
        PassOutcome o = configurator.pass();
        assertThat(o.events().get(0).id()).isEqualTo(EventId.REVERTED_MANUAL_CHANGE);
        assertThat(o.events().get(0).message()).contains("could not be read (rpc-vdir.json: not JSON");
        assertThat(applied.read().orElseThrow().config().enabled()).isTrue();
    }

    @Test
    void driftCorrectionRestoresWhatWasAppliedWithoutTheDirectory() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        configurator.pass();
        AppliedConfigFile.Snapshot before = applied.read().orElseThrow();
        assertThat(configurator.correctDrift()).isEmpty();
        assertThat(applied.read().orElseThrow().generation()).isEqualTo(before.generation());

        directory.down(true);
        RpcVdirConfig good = before.config();
        applied.writeManualEdit(new RpcVdirConfig("EX1", true, good.authentication(), true,
                ValidPorts.parse(good.validPorts() + ";evil:3389")));
        List<Event> reverted = configurator.correctDrift();
        assertThat(reverted).extracting(e -> e.id().id()).containsExactly(3901);
        assertThat(reverted.get(0).data()).containsEntry("items", "validPorts");
        assertThat(reverted.get(0).message()).isEqualTo("The applied /rpc configuration of EX1 was changed by hand (validPorts "
                + "added evil:3389); it was not applied, and the configuration last applied from the directory is restored. "
                + "Use 'anywhere oa set' to change Outlook Anywhere.");
        AppliedConfigFile.Snapshot after = applied.read().orElseThrow();
        assertThat(after.config()).isEqualTo(good);
        assertThat(after.writtenByConfigurator()).isTrue();
        assertThat(after.generation()).isEqualTo(before.generation() + 1);
        assertThat(events.read(e -> e.id() == EventId.REVERTED_MANUAL_CHANGE)).hasSize(1);
        // The restored file is verified once, then left alone.
        assertThat(configurator.correctDrift()).isEmpty();
        assertThat(configurator.correctDrift()).isEmpty();
        assertThat(applied.read().orElseThrow().generation()).isEqualTo(after.generation());
    }

    @Test
    void aForgedDigestIsCaughtByComparingWithWhatWasApplied() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        configurator.pass();
        RpcVdirConfig good = applied.read().orElseThrow().config();
        // Someone who knows the digest is a plain SHA-256 recomputes it: the gateway would apply this file.
        applied.write(new RpcVdirConfig("EX1", true, good.authentication(), true, ValidPorts.parse("*:1-65535")), 99, clock.instant());
        assertThat(configurator.correctDrift()).extracting(e -> e.data().get("items")).containsExactly("validPorts");
        assertThat(applied.read().orElseThrow().config()).isEqualTo(good);
    }

    @Test
    void beforeAnyPassSucceededTheConfiguratorsOwnFileIsTheBaseline() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        configurator.pass();
        RpcVdirConfig good = applied.read().orElseThrow().config();
        // A restart while the directory is down: the new configurator has read nothing yet.
        directory.down(true);
        RpcHttpConfigurator restarted = new RpcHttpConfigurator(directory, "EX1", dataDir, events, clock);
        assertThat(restarted.pass().kind()).isEqualTo(PassOutcome.Kind.TRANSIENT_FAILURE);
        assertThat(restarted.correctDrift()).isEmpty();
        java.nio.file.Files.delete(applied.path());
        assertThat(restarted.correctDrift()).extracting(e -> e.data().get("items")).containsExactly("deleted");
        assertThat(applied.read().orElseThrow().config()).isEqualTo(good);
    }

    @Test
    void withoutAnythingKnownToRestoreDriftCorrectionLeavesTheFileToThePass() throws Exception {
        applied.writeManualEdit(new RpcVdirConfig("EX1", true, EnumSet.of(HttpAuthScheme.BASIC), false, ValidPorts.parse("*:1-65535")));
        assertThat(configurator.correctDrift()).isEmpty();
        assertThat(applied.read().orElseThrow().writtenByConfigurator()).isFalse();
    }

    @Test
    void aPassAfterTheFileWasDeletedSaysSo() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        configurator.pass();
        java.nio.file.Files.delete(applied.path());
        PassOutcome o = configurator.pass();
        // Compared with what is still in force at the gateway, nothing changed: only the revert is reported.
        assertThat(ids(o)).containsExactly(3901);
        assertThat(o.events().get(0).data()).containsEntry("items", "deleted");
        assertThat(applied.read().orElseThrow().config().enabled()).isTrue();
    }

    @Test
    void unreachableDirectoryKeepsTheLastGoodFileAndRecovers() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        configurator.pass();
        String before = java.nio.file.Files.readString(applied.path());
        directory.down(true);
        PassOutcome o = configurator.pass();
        assertThat(o.kind()).isEqualTo(PassOutcome.Kind.TRANSIENT_FAILURE);
        assertThat(ids(o)).containsExactly(2001);
        assertThat(o.events().get(0).message()).contains("will retry in 15 seconds").contains("connection refused");
        assertThat(java.nio.file.Files.readString(applied.path())).isEqualTo(before);
        directory.down(false);
        directory.putRpcVirtualDirectory(enabledNtlm().withSslOffloading(true));
        PassOutcome back = configurator.pass();
        assertThat(ids(back)).containsExactly(3904, 3900);
    }

    @Test
    void permanentErrorsAreThrottled() {
        directory.permanentlyBroken(true);
        assertThat(ids(configurator.pass())).containsExactly(2002);
        clock.advance(Duration.ofMinutes(15));
        PassOutcome again = configurator.pass();
        assertThat(again.kind()).isEqualTo(PassOutcome.Kind.PERMANENT_FAILURE);
        assertThat(again.events()).isEmpty();
        clock.advance(Duration.ofMinutes(46));
        assertThat(ids(configurator.pass())).containsExactly(2002);
    }

    @Test
    void aFileTheConfiguratorCannotUseIsNamedInTheEventWithoutAClassName() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        java.nio.file.Files.createDirectories(dataDir.resolve(AppliedConfigFile.FILE_NAME).resolve("in-the-way"));
        PassOutcome o = configurator.pass();
        assertThat(o.kind()).isEqualTo(PassOutcome.Kind.PERMANENT_FAILURE);
        assertThat(o.events().get(0).id().id()).isEqualTo(2002);
        assertThat(o.events().get(0).message()).doesNotContain("Exception").doesNotContain("java.");
    }

    @Test
    void failuresOutsideTheDirectoryAreSaidInWords() {
        assertThat(RpcHttpConfigurator.failureText(new java.nio.file.NoSuchFileException("/srv/ex1/rpc.json")))
                .isEqualTo("no such file or directory: /srv/ex1/rpc.json");
        assertThat(RpcHttpConfigurator.failureText(new java.nio.file.AccessDeniedException("/srv/ex1/rpc.json")))
                .isEqualTo("access denied: /srv/ex1/rpc.json");
        assertThat(RpcHttpConfigurator.failureText(new java.nio.file.FileSystemException("/srv/ex1/rpc.json", null, "Read-only file system")))
                .isEqualTo("file system error on /srv/ex1/rpc.json: Read-only file system");
        assertThat(RpcHttpConfigurator.failureText(new java.io.IOException("No space left on device")))
                .isEqualTo("input/output error: No space left on device");
        assertThat(RpcHttpConfigurator.failureText(new IllegalStateException("broken"))).isEqualTo("internal error: broken");
    }

    @Test
    void unknownServerIsAPermanentError() {
        RpcHttpConfigurator other = new RpcHttpConfigurator(directory, "EX9", dataDir, events, clock);
        PassOutcome o = other.pass();
        assertThat(o.kind()).isEqualTo(PassOutcome.Kind.PERMANENT_FAILURE);
        assertThat(o.events().get(0).message()).endsWith(
                "local server not found: EX9 (expected: a server object of that name in the directory)");
    }

    @Test
    void missingRolesAndDisabledProxyAreReported() throws Exception {
        directory.putRpcVirtualDirectory(enabledNtlm());
        new LocalRoles(true, true, false).write(dataDir);
        assertThat(ids(configurator.pass())).contains(2003);
        new LocalRoles(true, false, true).write(dataDir);
        clock.advance(Duration.ofHours(2));
        assertThat(ids(configurator.pass())).containsExactly(2008);
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
