package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.server.configurator.ServiceHostSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * How the gateway follows {@code rpc-vdir.json}: by file-system events, with a safety check so slow (60 s here) that
 * only an event can explain a change taking effect within the test's wait, or by the 100 ms poll where the directory
 * cannot be watched.
 */
class AppliedConfigWatcherTest {

    /** Far longer than any wait below: a change seen in time was seen through its event. */
    private static final Duration NO_SAFETY_CHECK = Duration.ofSeconds(60);
    /** Generous for a loaded build machine; the event itself arrives within milliseconds. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    private AppliedConfigWatcher watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private static RpcVdirConfig config(HttpAuthScheme... schemes) {
        return new RpcVdirConfig("EX1", true, EnumSet.of(schemes[0], schemes), true,
                ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001, 6002, 6004)));
    }

    private AppliedConfigWatcher following(AppliedConfigFile file) {
        watcher = new AppliedConfigWatcher(file, "EX1", NO_SAFETY_CHECK, AppliedConfigWatcher.NATIVE);
        assertThat(watcher.followsEvents()).isTrue();
        return watcher;
    }

    @Test
    void aFileReplacedByAnAtomicRenameIsAppliedThroughItsEvent() throws Exception {
        AppliedConfigFile file = new AppliedConfigFile(dataDir);
        following(file);
        assertThat(watcher.current().enabled()).isFalse();

        file.write(config(HttpAuthScheme.NTLM), 1, Instant.now());
        await().atMost(WAIT).until(() -> watcher.current().equals(config(HttpAuthScheme.NTLM)));
        // The key is reset after each batch of events: the next replacement is seen too.
        file.write(config(HttpAuthScheme.BASIC, HttpAuthScheme.NTLM), 2, Instant.now());
        await().atMost(WAIT).until(() -> watcher.current().equals(config(HttpAuthScheme.BASIC, HttpAuthScheme.NTLM)));
        assertThat(watcher.reloads()).isEqualTo(2);
    }

    @Test
    void anEditInPlaceIsAppliedThroughItsEvent() throws Exception {
        AppliedConfigFile file = new AppliedConfigFile(dataDir);
        file.write(config(HttpAuthScheme.NTLM), 1, Instant.now());
        new ServiceHostSettings(ServiceHostSettings.DEFAULT_POLL_INTERVAL, true, false).write(dataDir);
        following(file);
        assertThat(watcher.current()).isEqualTo(config(HttpAuthScheme.NTLM));

        Files.writeString(file.path(), Files.readString(file.path()).replace("\"requireSsl\" : true", "\"requireSsl\" : false"));
        await().atMost(WAIT).until(() -> !watcher.current().requireSsl());
    }

    @Test
    void switchingDriftCorrectionInServicehostJsonIsFollowedThroughItsEvent() throws Exception {
        AppliedConfigFile file = new AppliedConfigFile(dataDir);
        file.write(config(HttpAuthScheme.NTLM), 1, Instant.now());
        following(file);
        assertThat(watcher.current()).isEqualTo(config(HttpAuthScheme.NTLM));

        file.writeManualEdit(config(HttpAuthScheme.BASIC));
        await().atMost(WAIT).until(() -> watcher.refusals() == 1);
        assertThat(watcher.current()).isEqualTo(config(HttpAuthScheme.NTLM));

        new ServiceHostSettings(ServiceHostSettings.DEFAULT_POLL_INTERVAL, true, false).write(dataDir);
        await().atMost(WAIT).until(() -> watcher.current().equals(config(HttpAuthScheme.BASIC)));

        new ServiceHostSettings(ServiceHostSettings.DEFAULT_POLL_INTERVAL, true, true).write(dataDir);
        await().atMost(WAIT).until(() -> watcher.current().equals(config(HttpAuthScheme.NTLM)));
        assertThat(watcher.refusals()).isEqualTo(2);
    }

    /**
     * A data directory replaced under the watcher sends no events for the new one, while the old one, still watched,
     * keeps sending them for other files: only the safety check can find the new file, and those events must not
     * keep postponing it.
     */
    @Test
    void theSafetyCheckFindsAChangeInAReplacedDirectoryWhileTheOldOneKeepsSendingEvents() throws Exception {
        Path site = Files.createDirectory(dataDir.resolve("ex1"));
        AppliedConfigFile file = new AppliedConfigFile(site);
        file.write(config(HttpAuthScheme.NTLM), 1, Instant.now());
        watcher = new AppliedConfigWatcher(file, "EX1", Duration.ofMillis(300), AppliedConfigWatcher.NATIVE);
        Path old = Files.move(site, dataDir.resolve("ex1-old"));
        Files.createDirectory(site);
        file.write(config(HttpAuthScheme.BASIC), 2, Instant.now());

        Thread noise = new Thread(() -> {
            long end = System.nanoTime() + WAIT.toNanos();
            try {
                while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                    Files.writeString(old.resolve("events.jsonl"), "{}\n", StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                    Thread.sleep(10);
                }
            } catch (IOException | InterruptedException e) {
                // The test is over.
            }
        });
        noise.start();
        try {
            await().atMost(WAIT).until(() -> watcher.current().equals(config(HttpAuthScheme.BASIC)));
        } finally {
            noise.interrupt();
            noise.join();
        }
    }

    @Test
    void withoutAWatchServiceChangesAreFollowedByPollingAndTheLogSaysSoOnce() throws Exception {
        AppliedConfigFile file = new AppliedConfigFile(dataDir);
        List<String> logged = logged(() -> watcher = new AppliedConfigWatcher(file, "EX1", NO_SAFETY_CHECK, dir -> {
            throw new IOException("User limit of inotify instances reached or too many open files");
        }));
        assertThat(watcher.followsEvents()).isFalse();
        assertThat(logged).containsExactly("gateway: cannot follow " + file.path() + " by file-system events (User limit "
                + "of inotify instances reached or too many open files); checking it every 100 ms instead");

        file.write(config(HttpAuthScheme.NTLM), 1, Instant.now());
        await().atMost(WAIT).until(() -> watcher.current().equals(config(HttpAuthScheme.NTLM)));
        file.write(config(HttpAuthScheme.BASIC), 2, Instant.now());
        await().atMost(WAIT).until(() -> watcher.current().equals(config(HttpAuthScheme.BASIC)));
    }

    @Test
    void aDataDirectoryThatCannotBeRegisteredIsPolledUntilItExists() throws Exception {
        Path later = dataDir.resolve("not-yet");
        AppliedConfigFile file = new AppliedConfigFile(later);
        List<String> logged = logged(() -> watcher = new AppliedConfigWatcher(file, "EX1", NO_SAFETY_CHECK,
                AppliedConfigWatcher.NATIVE));
        assertThat(watcher.followsEvents()).isFalse();
        assertThat(logged).containsExactly("gateway: cannot follow " + file.path().toAbsolutePath() + " by file-system "
                + "events (" + later.toAbsolutePath() + " does not exist); checking it every 100 ms instead");

        Files.createDirectory(later);
        file.write(config(HttpAuthScheme.NTLM), 1, Instant.now());
        await().atMost(WAIT).until(() -> watcher.current().equals(config(HttpAuthScheme.NTLM)));
    }

    @Test
    void closeEndsTheWatchersThreadInBothModes() throws Exception {
        AppliedConfigWatcher events = new AppliedConfigWatcher(new AppliedConfigFile(dataDir), "EX1", NO_SAFETY_CHECK,
                AppliedConfigWatcher.NATIVE);
        AppliedConfigWatcher polling = new AppliedConfigWatcher(new AppliedConfigFile(dataDir), "EX1", NO_SAFETY_CHECK,
                dir -> {
                    throw new IOException("no watch service");
                });
        events.close();
        polling.close();
        // Waiting for the next safety check (60 s) would fail this: close() interrupts the wait.
        assertThat(events.awaitClosed(WAIT)).isTrue();
        assertThat(polling.awaitClosed(WAIT)).isTrue();
    }

    private static List<String> logged(Runnable action) {
        Logger logger = (Logger) LoggerFactory.getLogger(AppliedConfigWatcher.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
