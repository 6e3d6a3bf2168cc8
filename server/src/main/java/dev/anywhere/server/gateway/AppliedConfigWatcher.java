package dev.anywhere.server.gateway;

import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.FileStamp;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.configurator.ServiceHostSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
 * <p>The configurator replaces the file by an atomic rename, so comparing its {@link FileStamp} every 100 ms is cheap
 * and never sees half a file. All reading happens on this class's own thread; request handling on the event loops
 * only reads {@link #current()}. A file that cannot be read leaves the previous configuration in force: the gateway
 * must not drop to "disabled" because someone saved a typo.
 *
 * <p>While drift correction is on ({@code servicehost.json}, the default) only a file the configurator wrote (its
 * digest matches) is applied: a hand edit, a ValidPorts entry added by hand included, is refused and the last
 * configuration the configurator wrote stays in force until the service host restores the file, within about a
 * second. With drift correction off a hand edit is applied, as IIS applies manual changes.
 */
public final class AppliedConfigWatcher implements AutoCloseable {

    static final Duration CHECK_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(AppliedConfigWatcher.class);

    private final AppliedConfigFile file;
    private final Path dataDir;
    private final Path settingsFile;
    private final String server;
    private final AtomicReference<RpcVdirConfig> current;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final ScheduledExecutorService executor;
    /** Both files' stamps as last looked at; a change of either is read again. */
    private List<Optional<FileStamp>> lastStamps;
    /** The last configuration the configurator wrote: what stays in force while a hand edit is refused. */
    private RpcVdirConfig lastWritten;

    public AppliedConfigWatcher(AppliedConfigFile file, String server) {
        this.file = file;
        this.dataDir = file.path().toAbsolutePath().getParent();
        this.settingsFile = dataDir.resolve(ServiceHostSettings.FILE_NAME);
        this.server = server;
        this.current = new AtomicReference<>(RpcVdirConfig.disabled(server));
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-config");
            t.setDaemon(true);
            return t;
        });
        check();
        executor.scheduleWithFixedDelay(this::check, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
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
    }

    String server() {
        return server;
    }
}
