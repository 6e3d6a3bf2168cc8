package dev.anywhere.server.configurator;

import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.FileStamp;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.events.Event;
import dev.anywhere.server.events.EventId;
import dev.anywhere.server.events.EventLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's configurator: each {@link #pass()} reads the directory, computes the /rpc configuration the server
 * should have, compares it with what is applied, writes the difference atomically and logs one event per changed
 * item, as Exchange's RpcHttpConfigurator servicelet does every 15 minutes.
 *
 * <p>The directory is the only source of truth: a hand edit of the applied file is reverted (and, unlike Exchange,
 * said so with event 3901), by the next pass or, with drift correction on, by {@link #correctDrift()} within a
 * second. A directory that cannot be reached changes nothing: the last good file stays in force.
 * Not thread-safe; the {@link ServiceHost} runs passes and drift checks on one thread.
 */
public final class RpcHttpConfigurator {

    private static final Logger log = LoggerFactory.getLogger(RpcHttpConfigurator.class);

    /** Exchange logs its permanent-error event periodically, not on every pass. */
    static final Duration PERMANENT_ERROR_THROTTLE = Duration.ofHours(1);

    /** What drift correction says it did: with it on, the gateway refuses a hand-edited file. */
    private static final String RESTORED = "it was not applied, and the configuration last applied from the directory is restored";

    private final SiteDirectory directory;
    private final String serverName;
    private final Path dataDir;
    private final AppliedConfigFile applied;
    private final EventLog events;
    private final Clock clock;
    private final Map<String, Instant> lastPermanentError = new HashMap<>();
    private boolean checkedOnce;
    private boolean failing;
    /** What this configurator last wrote, or found written by itself: what a hand edit is reverted to. */
    private RpcVdirConfig inForce;
    private long inForceGeneration;
    /** The stamp of the file last read and found to hold {@link #inForce}; the same stamp needs no reading. */
    private FileStamp verified;

    public RpcHttpConfigurator(SiteDirectory directory, String serverName, Path dataDir, EventLog events, Clock clock) {
        this.directory = directory;
        this.serverName = serverName;
        this.dataDir = dataDir;
        this.applied = new AppliedConfigFile(dataDir);
        this.events = events;
        this.clock = clock;
    }

    public String serverName() {
        return serverName;
    }

    public PassOutcome pass() {
        Instant now = clock.instant();
        List<Event> batch = new ArrayList<>();
        try {
            RpcVdirConfig desired = DesiredState.of(directory, serverName);
            if (failing) {
                batch.add(new Event(now, EventId.DIRECTORY_RECOVERED,
                        "The directory answers again; applying what changed while it was unreachable.", Map.of()));
                failing = false;
            }
            boolean wrote = reconcile(desired, now, batch);
            if (desired.enabled()) {
                checkLocalRoles(now, batch);
            }
            if (!checkedOnce) {
                checkedOnce = true;
                batch.add(new Event(now, EventId.SUCCESSFULLY_CHECKED,
                        "Successfully checked for updated Outlook Anywhere settings of " + serverName + " (first pass since start).",
                        Map.of("server", serverName)));
            }
            events.write(batch);
            return new PassOutcome(PassOutcome.Kind.SUCCEEDED, batch, wrote);
        } catch (DirectoryException e) {
            if (e.transientFailure()) {
                failing = true;
                Event ev = new Event(now, EventId.TRANSIENT_EXCEPTION, "The configurator could not read the directory and "
                        + "will retry in " + ServiceHost.TRANSIENT_RETRY.toSeconds() + " seconds; the last applied "
                        + "configuration stays in force. Error: " + e.getMessage(),
                        errorData(e, Map.of("retrySeconds", Long.toString(ServiceHost.TRANSIENT_RETRY.toSeconds()))));
                batch.add(ev);
                events.write(batch);
                return new PassOutcome(PassOutcome.Kind.TRANSIENT_FAILURE, batch, false);
            }
            return permanent(now, batch, e.getMessage(), errorData(e, Map.of()));
        } catch (IOException | RuntimeException e) {
            log.debug("configurator pass failed", e);
            return permanent(now, batch, failureText(e), Map.of());
        }
    }

    /**
     * A failure that is not the directory's, in words for the event log: a file the configurator could not read or write
     * names the file and what happened, never the exception's class (administrators read events, not stack traces).
     */
    static String failureText(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException f) {
            return "no such file or directory: " + f.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException f) {
            return "access denied: " + f.getFile();
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return "file system error on " + f.getFile() + (f.getReason() == null ? "" : ": " + f.getReason());
        }
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return (e instanceof IOException ? "input/output error" : "internal error") + message;
    }

    private boolean reconcile(RpcVdirConfig desired, Instant now, List<Event> batch) throws IOException {
        RpcVdirConfig current;
        boolean drifted;
        long generation;
        boolean present;
        try {
            Optional<AppliedConfigFile.Snapshot> snapshot = applied.read();
            present = snapshot.isPresent();
            if (!present && inForce != null) {
                // Deleted since this configurator wrote it; the gateway still runs what was in force.
                current = inForce;
                drifted = true;
                generation = inForceGeneration;
                batch.add(reverted(now, desired.server(), "deleted", "was deleted", "rewriting it from the directory"));
            } else {
                current = snapshot.map(AppliedConfigFile.Snapshot::config).orElse(RpcVdirConfig.disabled(desired.server()));
                drifted = present && !snapshot.get().writtenByConfigurator();
                generation = snapshot.map(AppliedConfigFile.Snapshot::generation).orElse(0L);
                if (drifted) {
                    List<String> items = ConfigDiff.changedItems(current, desired);
                    batch.add(reverted(now, desired.server(), items.isEmpty() ? "digest" : String.join(",", items),
                            "was changed by hand (" + (items.isEmpty() ? "no setting differs" : String.join(", ", items)) + ")",
                            "overwriting it from the directory"));
                }
            }
        } catch (AppliedConfigFile.InvalidConfigException e) {
            current = inForce != null ? inForce : RpcVdirConfig.disabled(desired.server());
            drifted = true;
            generation = inForce != null ? inForceGeneration : 0;
            present = true;
            batch.add(reverted(now, desired.server(), "unreadable", "could not be read (" + e.getMessage() + ")",
                    "rewriting it from the directory"));
        }
        batch.addAll(ConfigDiff.between(current, desired, now));
        if (present && !drifted && current.equals(desired)) {
            remember(current, generation);
            return false;
        }
        applied.write(desired, generation + 1, now);
        remember(desired, generation + 1);
        return true;
    }

    /**
     * Drift correction between passes, called every {@link ServiceHost#DRIFT_CHECK} while it is on: when
     * {@code rpc-vdir.json} no longer holds what the configurator last applied (edited by hand, deleted, unparseable),
     * it is rewritten with that configuration and event 3901 names what differed. The directory is not read, so this
     * works during a directory outage too, and an unchanged file costs one {@code stat}.
     *
     * @return the events written (empty when the file is as applied)
     */
    public List<Event> correctDrift() {
        Instant now = clock.instant();
        Optional<FileStamp> stamp;
        try {
            stamp = FileStamp.of(applied.path());
        } catch (IOException e) {
            log.debug("configurator: cannot stat {}: {}", applied.path(), e.getMessage());
            return List.of();
        }
        if (stamp.isPresent() && stamp.get().equals(verified)) {
            return List.of();
        }
        Event event;
        try {
            Optional<AppliedConfigFile.Snapshot> snapshot = applied.read();
            if (snapshot.isPresent() && snapshot.get().writtenByConfigurator()
                    && (inForce == null || snapshot.get().config().equals(inForce))) {
                if (inForce == null) {
                    // No pass succeeded yet (directory down at start): what the configurator wrote before is the baseline.
                    remember(snapshot.get().config(), snapshot.get().generation());
                }
                verified = stamp.orElse(null);
                return List.of();
            }
            if (inForce == null) {
                return List.of(); // nothing known to restore; the next pass writes the file from the directory
            }
            if (snapshot.isEmpty()) {
                event = reverted(now, inForce.server(), "deleted", "was deleted", RESTORED);
            } else {
                List<String> items = ConfigDiff.changedItems(snapshot.get().config(), inForce);
                event = reverted(now, inForce.server(), items.isEmpty() ? "digest" : String.join(",", items),
                        "was changed by hand (" + ConfigDiff.describeEdit(snapshot.get().config(), inForce) + ")", RESTORED);
            }
        } catch (AppliedConfigFile.InvalidConfigException | IOException e) {
            if (inForce == null) {
                return List.of();
            }
            event = reverted(now, inForce.server(), "unreadable", "could not be read (" + e.getMessage() + ")", RESTORED);
        }
        try {
            applied.write(inForce, inForceGeneration + 1, now);
        } catch (IOException e) {
            log.warn("configurator: cannot restore {} ({}); trying again at the next check", applied.path(), e.getMessage());
            return List.of();
        }
        remember(inForce, inForceGeneration + 1);
        events.write(List.of(event));
        return List.of(event);
    }

    private void remember(RpcVdirConfig config, long generation) {
        inForce = config;
        inForceGeneration = generation;
        verified = null; // the next drift check reads the file once and remembers its stamp
    }

    private Event reverted(Instant now, String server, String items, String what, String action) {
        return new Event(now, EventId.REVERTED_MANUAL_CHANGE, "The applied /rpc configuration of " + server + " " + what
                + "; " + action + ". Use 'anywhere oa set' to change Outlook Anywhere.",
                Map.of("file", applied.path().toString(), "items", items, "server", server));
    }

    private void checkLocalRoles(Instant now, List<Event> batch) {
        LocalRoles roles = LocalRoles.read(dataDir);
        if (!roles.rpcProxyInstalled() || !roles.rpcEndpointsInstalled()) {
            String missing = !roles.rpcProxyInstalled() && !roles.rpcEndpointsInstalled() ? "the gateway (RPC over HTTP proxy) and the RPC endpoints are"
                    : !roles.rpcProxyInstalled() ? "the gateway (RPC over HTTP proxy) is" : "the RPC endpoints are";
            throttled(now, batch, EventId.PROXY_NOT_INSTALLED.name(), new Event(now, EventId.PROXY_NOT_INSTALLED,
                    "Outlook Anywhere is enabled for " + serverName + " but " + missing + " not installed on this server; "
                            + "clients will fail. Start 'anywhere gateway' and 'anywhere endpoints' with this data directory, or disable Outlook Anywhere.",
                    Map.of("missing", missing, "server", serverName, "roles", !roles.rpcProxyInstalled() && !roles.rpcEndpointsInstalled()
                            ? "gateway,endpoints" : !roles.rpcProxyInstalled() ? "gateway" : "endpoints")));
        } else if (!roles.rpcProxyEnabled()) {
            throttled(now, batch, EventId.PROXY_NOT_ENABLED.name(), new Event(now, EventId.PROXY_NOT_ENABLED,
                    "Outlook Anywhere is enabled for " + serverName + " but the RPC proxy is switched off (rpcProxy.enabled "
                            + "is false in " + LocalRoles.FILE_NAME + "). Set it to true or disable Outlook Anywhere.",
                    Map.of("server", serverName)));
        }
    }

    /**
     * An event's data with the directory's failure: {@code error}, its English sentence, and the same as a key with
     * values ({@code error.key}, …) from which {@code anywhere events} says it in its reader's language.
     */
    private static Map<String, String> errorData(DirectoryException e, Map<String, String> more) {
        Map<String, String> data = new java.util.LinkedHashMap<>(more);
        data.put("error", e.getMessage());
        e.text().ifPresent(t -> data.putAll(t.data("error.")));
        return data;
    }

    private PassOutcome permanent(Instant now, List<Event> batch, String message, Map<String, String> data) {
        Map<String, String> withMessage = new java.util.LinkedHashMap<>(data);
        withMessage.putIfAbsent("error", message);
        throttled(now, batch, "permanent:" + message, new Event(now, EventId.PERMANENT_EXCEPTION,
                "The configurator pass failed and will run again at the next interval. Error: " + message, withMessage));
        events.write(batch);
        return new PassOutcome(PassOutcome.Kind.PERMANENT_FAILURE, batch, false);
    }

    private void throttled(Instant now, List<Event> batch, String key, Event event) {
        Instant last = lastPermanentError.get(key);
        if (last == null || !now.isBefore(last.plus(PERMANENT_ERROR_THROTTLE))) {
            lastPermanentError.put(key, now);
            batch.add(event);
        }
    }
}
