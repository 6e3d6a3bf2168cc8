package dev.anywhere.server.configurator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.ChangeSubscription;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.server.config.FileStamp;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service host: runs the {@link RpcHttpConfigurator} once at start, then every poll interval, after 15 s when a
 * pass failed transiently, and, unlike Exchange, about 100 ms after the directory reports a change. Between passes,
 * drift correction reverts a hand edit of {@code rpc-vdir.json} within a second ({@link RpcHttpConfigurator#correctDrift()}).
 *
 * <p>All passes and drift checks run on one thread, so they never overlap. The poll interval is re-read from
 * {@code servicehost.json} before every pass; 0 turns the work off (Exchange's PeriodicPollingMinutes = 0) and the
 * host only looks again every 15 minutes whether that is still so. Each pass records its outcome and the time of the
 * next pass in {@code servicehost-status.json}, which the analyzer reads to say when a pending change will apply.
 */
public final class ServiceHost implements AutoCloseable {

    /** Exchange retries a transient failure after 15 seconds. */
    public static final Duration TRANSIENT_RETRY = Duration.ofSeconds(15);
    /** With periodic work off, Exchange's loop still wakes every 15 minutes to re-read the setting. */
    public static final Duration DISABLED_RECHECK = Duration.ofMinutes(15);
    /** Notifications often come in bursts (one per attribute); one pass answers them all. */
    static final Duration DEBOUNCE = Duration.ofMillis(100);
    /**
     * How often drift correction looks at {@code rpc-vdir.json} (and {@code servicehost.json} for the switch): a
     * {@code stat} each, so a hand edit is reverted well within a second.
     */
    public static final Duration DRIFT_CHECK = Duration.ofMillis(200);

    public static final String STATUS_FILE = "servicehost-status.json";

    private static final Logger log = LoggerFactory.getLogger(ServiceHost.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Timing knobs, shortened by tests. */
    public record Timing(Duration transientRetry, Duration disabledRecheck) {
        public static final Timing EXCHANGE = new Timing(TRANSIENT_RETRY, DISABLED_RECHECK);
    }

    private final SiteDirectory directory;
    private final RpcHttpConfigurator configurator;
    private final Path dataDir;
    private final EventLog events;
    private final Clock clock;
    private final Timing timing;
    private final ScheduledExecutorService executor;
    private final AtomicLong passes = new AtomicLong();

    private ScheduledFuture<?> next;
    private Instant nextAt;
    private ChangeSubscription subscription;
    private Boolean lastDisabled;
    private boolean lastCorrecting = true;
    /** The settings as last read, and the stamp of the file they were read from. */
    private ServiceHostSettings lastSettings;
    private Optional<FileStamp> settingsStamp;
    private Instant lastPassAt;
    private volatile PassOutcome lastOutcome;

    public ServiceHost(SiteDirectory directory, String serverName, Path dataDir, EventLog events, Clock clock, Timing timing) {
        this.directory = directory;
        this.dataDir = dataDir;
        this.events = events;
        this.clock = clock;
        this.timing = timing;
        this.configurator = new RpcHttpConfigurator(directory, serverName, dataDir, events, clock);
        directory.onReplicaSwitch(change -> events.write(Event.replicaSwitched(clock.instant(), change)));
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "servicehost-" + serverName);
            t.setDaemon(true);
            return t;
        });
        // Closing must not wait for a pass that is 15 minutes away.
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    /** Runs the first pass now and keeps going until closed. */
    public void start() {
        executor.execute(this::runPass);
        executor.scheduleWithFixedDelay(this::checkDrift, DRIFT_CHECK.toMillis(), DRIFT_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many passes ran (work done, not skipped because periodic work is off). */
    public long passes() {
        return passes.get();
    }

    public PassOutcome lastOutcome() {
        return lastOutcome;
    }

    /** Asks for a pass as soon as possible, as a change notification does. */
    public void requestPass() {
        executor.execute(() -> schedule(DEBOUNCE, "change notification"));
    }

    private void runPass() {
        // At most one pass is pending at a time, and it is this one.
        next = null;
        nextAt = null;
        ServiceHostSettings settings = readSettings();
        if (settings.periodicWorkDisabled()) {
            if (!Boolean.TRUE.equals(lastDisabled)) {
                events.write(new Event(clock.instant(), EventId.PERIODIC_WORK_DISABLED,
                        "The poll interval is 0: the configurator does no work, so directory changes are not applied and hand "
                                + "edits of rpc-vdir.json are not reverted (the gateway applies them). "
                                + "Set pollInterval in " + ServiceHostSettings.FILE_NAME + " to turn it back on.",
                        Map.of("pollInterval", "0")));
            }
            lastDisabled = true;
            unsubscribe();
            schedule(timing.disabledRecheck(), "recheck of the poll interval");
            writeStatus(settings, null);
            return;
        }
        lastDisabled = false;
        // Follow before reading: a change committed while this pass reads is then announced and applied by the next
        // pass. Subscribing after the pass lost such a change until the poll interval (15 minutes by default).
        if (settings.followChanges()) {
            subscribe();
        } else {
            unsubscribe();
        }
        PassOutcome outcome = configurator.pass();
        passes.incrementAndGet();
        lastOutcome = outcome;
        noteDriftCorrection(settings);
        Duration delay = outcome.kind() == PassOutcome.Kind.TRANSIENT_FAILURE ? timing.transientRetry() : settings.pollInterval();
        schedule(delay, outcome.kind() == PassOutcome.Kind.TRANSIENT_FAILURE ? "retry" : "poll");
        writeStatus(settings, outcome);
    }

    private ServiceHostSettings readSettings() {
        ServiceHostSettings read;
        try {
            settingsStamp = FileStamp.of(dataDir.resolve(ServiceHostSettings.FILE_NAME));
            read = ServiceHostSettings.read(dataDir);
        } catch (IOException | RuntimeException e) {
            log.warn("servicehost: cannot read {} ({}); using the defaults", ServiceHostSettings.FILE_NAME, e.getMessage());
            read = ServiceHostSettings.DEFAULTS;
        }
        lastSettings = read;
        return read;
    }

    /**
     * Every {@link #DRIFT_CHECK}: re-reads the settings when {@code servicehost.json} changed (so switching drift
     * correction on reverts a standing hand edit at once), then lets the configurator restore a drifted file.
     */
    private void checkDrift() {
        try {
            if (lastSettings == null || !FileStamp.of(dataDir.resolve(ServiceHostSettings.FILE_NAME)).equals(settingsStamp)) {
                ServiceHostSettings read = readSettings();
                noteDriftCorrection(read);
                writeStatus(read, null);
            }
            if (lastSettings.correctsDrift()) {
                configurator.correctDrift();
            }
        } catch (IOException | RuntimeException e) {
            // A failing check must not end the schedule: the next one runs in DRIFT_CHECK.
            log.warn("servicehost: drift check failed: {}", e.getMessage());
        }
    }

    /** Event 3910 once when the administrator switches drift correction off: hand edits then take effect. */
    private void noteDriftCorrection(ServiceHostSettings s) {
        boolean off = !s.driftCorrection() && !s.periodicWorkDisabled();
        if (off && lastCorrecting) {
            events.write(new Event(clock.instant(), EventId.DRIFT_CORRECTION_DISABLED,
                    "Drift correction is off (driftCorrection false in " + ServiceHostSettings.FILE_NAME + "): the gateway "
                            + "applies hand edits of rpc-vdir.json, and they stay until the next pass overwrites them.",
                    Map.of("driftCorrection", "false")));
        }
        lastCorrecting = !off;
    }

    private void schedule(Duration delay, String why) {
        Instant at = clock.instant().plus(delay);
        if (next != null && !next.isDone()) {
            if (nextAt != null && !nextAt.isAfter(at)) {
                return; // an earlier pass is already due
            }
            next.cancel(false);
        }
        nextAt = at;
        next = executor.schedule(this::runPass, delay.toMillis(), TimeUnit.MILLISECONDS);
        log.debug("servicehost: next pass in {} ({})", delay, why);
    }

    private void subscribe() {
        if (subscription != null) {
            return;
        }
        try {
            subscription = directory.watch(this::requestPass);
            ChangeMechanism m = subscription.mechanism();
            events.write(new Event(clock.instant(), EventId.CHANGE_FOLLOWING_STARTED,
                    "Following directory changes by " + describe(m) + "; a change is applied within about a second.",
                    Map.of("mechanism", m.name())));
        } catch (RuntimeException e) {
            log.warn("servicehost: cannot follow directory changes ({}); relying on the poll interval", e.getMessage());
        }
    }

    private void unsubscribe() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    private static String describe(ChangeMechanism m) {
        return switch (m) {
            case CONTENT_SYNC -> "RFC 4533 content synchronisation";
            case PERSISTENT_SEARCH -> "persistent search";
            case AD_CHANGE_NOTIFICATION -> "Active Directory change notification";
            case CHANGELOG -> "reading cn=changelog";
            case POLLING -> "polling the configuration objects";
        };
    }

    private void writeStatus(ServiceHostSettings settings, PassOutcome outcome) {
        if (outcome != null) {
            lastPassAt = clock.instant();
        }
        try {
            ObjectNode root = JSON.createObjectNode();
            root.put("server", configurator.serverName());
            root.put("updated", clock.instant().toString());
            root.put("pollInterval", Durations.format(settings.pollInterval()));
            root.put("followChanges", settings.followChanges());
            root.put("driftCorrection", settings.correctsDrift());
            root.put("changeMechanism", subscription == null ? "none" : subscription.mechanism().name());
            if (lastPassAt != null && lastOutcome != null) {
                root.put("lastPass", lastPassAt.toString());
                root.put("lastOutcome", lastOutcome.kind().name());
            }
            if (nextAt != null) {
                root.put("nextPass", nextAt.toString());
            }
            dev.anywhere.server.config.AtomicFile.write(dataDir.resolve(STATUS_FILE), JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            log.warn("servicehost: cannot write {}: {}", STATUS_FILE, e.getMessage());
        }
    }

    @Override
    public void close() {
        executor.execute(this::unsubscribe);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
