package dev.anywhere.server.gateway;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.FileStamp;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.configurator.ServiceHostSettings;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code rpc-vdir.json} and hands the gateway the configuration in force, without a restart.
 *
 * <p>The data directory is watched for file-system events (inotify on Linux): a file created, modified or renamed
 * onto {@code rpc-vdir.json} or {@code servicehost.json} makes the watcher compare both files' {@link FileStamp}s
 * and, when they changed, read the file again. The configurator replaces the file by an atomic rename (an
 * {@code ENTRY_CREATE} for its name), so the watcher never sees half a file. A slow safety check covers what events
 * miss; where the directory cannot be watched at all, the files are compared every 100 ms as before. All reading
 * happens on this class's own thread; request handling on the event loops only reads {@link #current()}. A file that
 * cannot be read leaves the previous configuration in force: the gateway must not drop to "disabled" because someone
 * saved a typo.
 *
 * <p>While drift correction is on ({@code servicehost.json}, the default) only a file the configurator wrote (its
 * digest matches) is applied: a hand edit, a ValidPorts entry added by hand included, is refused and the last
 * configuration the configurator wrote stays in force until the service host restores the file, within about a
 * second. With drift correction off a hand edit is applied, as IIS applies manual changes.
 */
public final class AppliedConfigWatcher implements AutoCloseable {

    /**
     * With events, the check nothing else triggers. Events can be lost where watching is not reliable: a network file
     * system reports only its own host's changes, the JDK's watch service falls back to polling (every 10 s) where the
     * platform has no native one, a replaced data directory leaves the watch on the old one (an overflowing event
     * queue is reported, and checked at once). With 2 s such a change still takes effect within 2 s, 1 s on average
     * (the configuration plane's goal for its median), for a twentieth of the wake-ups of the 100 ms poll it replaces
     * (two stat calls each).
     */
    static final Duration SAFETY_CHECK_INTERVAL = Duration.ofSeconds(2);
    /** Without events (no watch service, or the directory cannot be registered): the poll of before issue 19. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    /** Opens the watch service for the data directory; tests inject one that fails. */
    @FunctionalInterface
    interface WatchServices {
        WatchService open(Path dir) throws IOException;
    }

    static final WatchServices NATIVE = dir -> dir.getFileSystem().newWatchService();

    private static final Logger log = LoggerFactory.getLogger(AppliedConfigWatcher.class);

    private final AppliedConfigFile file;
    private final Path dataDir;
    private final Path settingsFile;
    private final String server;
    private final AtomicReference<RpcVdirConfig> current;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final ExecutorService executor;
    /** Null when following by the 100 ms poll. */
    private final WatchService watch;
    /** Both files' stamps as last looked at; a change of either is read again. */
    private List<Optional<FileStamp>> lastStamps;
    /** The last configuration the configurator wrote: what stays in force while a hand edit is refused. */
    private RpcVdirConfig lastWritten;
    /** The directory as registered: a different identity at the same path means it was replaced. */
    private WatchKey key;
    private Object watchedDir;

    public AppliedConfigWatcher(AppliedConfigFile file, String server) {
        this(file, server, SAFETY_CHECK_INTERVAL, NATIVE);
    }

    AppliedConfigWatcher(AppliedConfigFile file, String server, Duration safetyCheck, WatchServices watches) {
        this.file = file;
        this.dataDir = file.path().toAbsolutePath().getParent();
        this.settingsFile = dataDir.resolve(ServiceHostSettings.FILE_NAME);
        this.server = server;
        this.current = new AtomicReference<>(RpcVdirConfig.disabled(server));
        // Registered before the first check, so a change between the two is not missed.
        this.watch = openWatch(watches);
        if (watch == null) {
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(AppliedConfigWatcher::thread);
            check();
            poller.scheduleWithFixedDelay(this::check, POLL_INTERVAL.toMillis(), POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            this.executor = poller;
        } else {
            this.executor = Executors.newSingleThreadExecutor(AppliedConfigWatcher::thread);
            check();
            executor.execute(() -> follow(safetyCheck));
        }
    }

    private static Thread thread(Runnable r) {
        Thread t = new Thread(r, "gateway-config");
        t.setDaemon(true);
        return t;
    }

    private WatchService openWatch(WatchServices watches) {
        WatchService opened = null;
        try {
            opened = watches.open(dataDir);
            register(opened);
            return opened;
        } catch (IOException | RuntimeException e) {
            String why = e instanceof NoSuchFileException ? dataDir + " does not exist"
                    : Objects.requireNonNullElse(e.getMessage(), "no reason given");
            log.warn("gateway: cannot follow {} by file-system events ({}); checking it every {} ms instead", file.path(),
                    why, POLL_INTERVAL.toMillis());
            if (opened != null) {
                try {
                    opened.close();
                } catch (IOException ignored) {
                    // Nothing was registered on it that could leak.
                }
            }
            return null;
        }
    }

    /** Watches the data directory as it is now; a key for an earlier directory at the same path is dropped. */
    private void register(WatchService service) throws IOException {
        Object identity = FileStamp.of(dataDir).map(FileStamp::key).orElse(null);
        WatchKey registered = dataDir.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
        if (key != null && key != registered) {
            key.cancel();
        }
        key = registered;
        watchedDir = identity;
    }

    /** The watcher's thread while following events: waits at most until the next safety check, so close() is prompt. */
    private void follow(Duration safetyCheck) {
        long nextSafetyCheck = System.nanoTime() + safetyCheck.toNanos();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey k = watch.poll(Math.max(0, nextSafetyCheck - System.nanoTime()), TimeUnit.NANOSECONDS);
                boolean ours = k != null && concernsUs(k);
                // Due even while other files' events keep arriving (events.jsonl, the service host's status file).
                boolean due = System.nanoTime() - nextSafetyCheck >= 0;
                if (due) {
                    nextSafetyCheck = System.nanoTime() + safetyCheck.toNanos();
                    rewatchIfReplaced();
                }
                if (ours || due) {
                    check();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // close()
        }
    }

    /** Whether the events name one of the two files, or some were lost (overflow); resets the key for more. */
    private boolean concernsUs(WatchKey k) {
        boolean ours = false;
        for (WatchEvent<?> event : k.pollEvents()) {
            Object name = event.context();
            ours |= event.kind() == OVERFLOW || file.path().getFileName().equals(name) || settingsFile.getFileName().equals(name);
        }
        k.reset();
        return ours;
    }

    /** A deleted or replaced data directory no longer reports events: watch whatever is at the path now. */
    private void rewatchIfReplaced() {
        try {
            Object identity = FileStamp.of(dataDir).map(FileStamp::key).orElse(null);
            if (!key.isValid() || !Objects.equals(identity, watchedDir)) {
                register(watch);
            }
        } catch (IOException | RuntimeException e) {
            // Not there (yet): the safety check goes on and tries again next time.
        }
    }

    /** The configuration in force. */
    public RpcVdirConfig current() {
        return current.get();
    }

    /** How many times a changed file was loaded (refused hand edits not counted). */
    public long reloads() {
        return reloads.get();
    }

    /** How many hand-edited files were refused because drift correction is on. */
    public long refusals() {
        return refusals.get();
    }

    /** Whether changes are followed by file-system events (false: the 100 ms poll). */
    boolean followsEvents() {
        return watch != null;
    }

    private void check() {
        try {
            List<Optional<FileStamp>> stamps = List.of(FileStamp.of(file.path()), FileStamp.of(settingsFile));
            if (stamps.equals(lastStamps)) {
                return;
            }
            lastStamps = stamps;
            Optional<AppliedConfigFile.Snapshot> read = file.read();
            if (read.isEmpty()) {
                return;
            }
            AppliedConfigFile.Snapshot snapshot = read.get();
            if (snapshot.writtenByConfigurator()) {
                lastWritten = snapshot.config();
                apply(snapshot.config(), "applied (generation " + snapshot.generation() + ")");
            } else if (driftCorrection()) {
                refusals.incrementAndGet();
                log.warn("gateway: not applying {}: it was edited by hand and drift correction is on; the configuration "
                        + "the configurator wrote last stays in force until the service host restores the file", file.path());
                // Only differs when drift correction was just switched back on over a hand edit in force.
                RpcVdirConfig keep = lastWritten != null ? lastWritten : RpcVdirConfig.disabled(server);
                if (!keep.equals(current.getAndSet(keep))) {
                    log.info("gateway: /rpc configuration back to the configurator's last file: enabled={}, authentication={}, "
                            + "requireSsl={}", keep.enabled(), keep.authenticationInOrder(), keep.requireSsl());
                }
            } else {
                apply(snapshot.config(), "applied from a hand-edited file (drift correction is off)");
            }
        } catch (IOException | RuntimeException e) {
            log.warn("gateway: keeping the previous /rpc configuration; {} cannot be read: {}", file.path(), e.getMessage());
        }
    }

    private void apply(RpcVdirConfig config, String how) {
        RpcVdirConfig before = current.getAndSet(config);
        reloads.incrementAndGet();
        if (!config.equals(before)) {
            log.info("gateway: /rpc configuration {}: enabled={}, authentication={}, requireSsl={}", how,
                    config.enabled(), config.authenticationInOrder(), config.requireSsl());
        }
    }

    /** As the service host sees it; a settings file that cannot be read means the default, on. */
    private boolean driftCorrection() {
        try {
            return ServiceHostSettings.read(dataDir).correctsDrift();
        } catch (IOException | RuntimeException e) {
            log.warn("gateway: cannot read {} ({}); drift correction stays on", settingsFile, e.getMessage());
            return true;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                log.debug("gateway: closing the watch on {}: {}", dataDir, e.getMessage());
            }
        }
    }

    /** Waits until the watcher's thread has ended after {@link #close()}. */
    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    String server() {
        return server;
    }
}
