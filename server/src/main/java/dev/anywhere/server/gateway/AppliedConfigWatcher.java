package dev.anywhere.server.gateway;

import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.RpcVdirConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
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
 * <p>The configurator replaces the file by an atomic rename, so checking its identity and modification time every
 * 100 ms is cheap and never sees half a file. A file that cannot be read leaves the previous configuration in force:
 * the gateway must not drop to "disabled" because someone saved a typo.
 */
public final class AppliedConfigWatcher implements AutoCloseable {

    static final Duration CHECK_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(AppliedConfigWatcher.class);

    private final AppliedConfigFile file;
    private final String server;
    private final AtomicReference<RpcVdirConfig> current;
    private final AtomicLong reloads = new AtomicLong();
    private final ScheduledExecutorService executor;
    private Object lastIdentity;

    public AppliedConfigWatcher(AppliedConfigFile file, String server) {
        this.file = file;
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

    /** How many times a changed file was loaded. */
    public long reloads() {
        return reloads.get();
    }

    private void check() {
        try {
            BasicFileAttributes a = Files.readAttributes(file.path(), BasicFileAttributes.class);
            Object identity = java.util.List.of(Objects.requireNonNullElse(a.fileKey(), ""), a.lastModifiedTime(), a.size());
            if (identity.equals(lastIdentity)) {
                return;
            }
            lastIdentity = identity;
            file.read().ifPresent(snapshot -> {
                RpcVdirConfig before = current.getAndSet(snapshot.config());
                reloads.incrementAndGet();
                if (!snapshot.config().equals(before)) {
                    log.info("gateway: /rpc configuration {} (generation {}): enabled={}, authentication={}, requireSsl={}",
                            snapshot.writtenByConfigurator() ? "applied" : "applied from a hand-edited file",
                            snapshot.generation(), snapshot.config().enabled(), snapshot.config().authenticationInOrder(),
                            snapshot.config().requireSsl());
                }
            });
        } catch (NoSuchFileException e) {
            lastIdentity = null;
        } catch (IOException | RuntimeException e) {
            log.warn("gateway: keeping the previous /rpc configuration; {} cannot be read: {}", file.path(), e.getMessage());
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
