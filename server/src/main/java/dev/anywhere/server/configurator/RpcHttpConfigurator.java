package dev.anywhere.server.configurator;

import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.server.config.AppliedConfigFile;
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
 * said so with event 3901). A directory that cannot be reached changes nothing: the last good file stays in force.
 * Not thread-safe; the {@link ServiceHost} runs passes on one thread.
 */
public final class RpcHttpConfigurator {

    private static final Logger log = LoggerFactory.getLogger(RpcHttpConfigurator.class);

    /** Exchange logs its permanent-error event periodically, not on every pass. */
    static final Duration PERMANENT_ERROR_THROTTLE = Duration.ofHours(1);

    private final SiteDirectory directory;
    private final String serverName;
    private final Path dataDir;
    private final AppliedConfigFile applied;
    private final EventLog events;
    private final Clock clock;
    private final Map<String, Instant> lastPermanentError = new HashMap<>();
    private boolean checkedOnce;
    private boolean failing;

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
                        Map.of("retrySeconds", Long.toString(ServiceHost.TRANSIENT_RETRY.toSeconds()), "error", e.getMessage()));
                batch.add(ev);
                events.write(batch);
                return new PassOutcome(PassOutcome.Kind.TRANSIENT_FAILURE, batch, false);
            }
            return permanent(now, batch, e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.debug("configurator pass failed", e);
            return permanent(now, batch, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private boolean reconcile(RpcVdirConfig desired, Instant now, List<Event> batch) throws IOException {
        RpcVdirConfig current;
        boolean drifted;
        long generation;
        boolean present;
        try {
            Optional<AppliedConfigFile.Snapshot> snapshot = applied.read();
            current = snapshot.map(AppliedConfigFile.Snapshot::config).orElse(RpcVdirConfig.disabled(desired.server()));
            drifted = snapshot.isPresent() && !snapshot.get().writtenByConfigurator();
            generation = snapshot.map(AppliedConfigFile.Snapshot::generation).orElse(0L);
            present = snapshot.isPresent();
            if (drifted) {
                List<String> items = ConfigDiff.changedItems(current, desired);
                batch.add(new Event(now, EventId.REVERTED_MANUAL_CHANGE, "The applied /rpc configuration of "
                        + desired.server() + " was changed by hand (" + (items.isEmpty() ? "no setting differs" : String.join(", ", items))
                        + "); overwriting it from the directory. Use 'anywhere oa set' to change Outlook Anywhere.",
                        Map.of("file", applied.path().toString(), "items", String.join(",", items))));
            }
        } catch (AppliedConfigFile.InvalidConfigException e) {
            current = RpcVdirConfig.disabled(desired.server());
            drifted = true;
            generation = 0;
            present = true;
            batch.add(new Event(now, EventId.REVERTED_MANUAL_CHANGE, "The applied /rpc configuration of " + desired.server()
                    + " could not be read (" + e.getMessage() + "); rewriting it from the directory.",
                    Map.of("file", applied.path().toString(), "items", "unreadable")));
        }
        batch.addAll(ConfigDiff.between(current, desired, now));
        if (present && !drifted && current.equals(desired)) {
            return false;
        }
        applied.write(desired, generation + 1, now);
        return true;
    }

    private void checkLocalRoles(Instant now, List<Event> batch) {
        LocalRoles roles = LocalRoles.read(dataDir);
        if (!roles.rpcProxyInstalled() || !roles.rpcEndpointsInstalled()) {
            String missing = !roles.rpcProxyInstalled() && !roles.rpcEndpointsInstalled() ? "the gateway (RPC over HTTP proxy) and the RPC endpoints are"
                    : !roles.rpcProxyInstalled() ? "the gateway (RPC over HTTP proxy) is" : "the RPC endpoints are";
            throttled(now, batch, EventId.PROXY_NOT_INSTALLED.name(), new Event(now, EventId.PROXY_NOT_INSTALLED,
                    "Outlook Anywhere is enabled for " + serverName + " but " + missing + " not installed on this server; "
                            + "clients will fail. Start 'anywhere gateway' and 'anywhere endpoints' with this data directory, or disable Outlook Anywhere.",
                    Map.of("missing", missing)));
        } else if (!roles.rpcProxyEnabled()) {
            throttled(now, batch, EventId.PROXY_NOT_ENABLED.name(), new Event(now, EventId.PROXY_NOT_ENABLED,
                    "Outlook Anywhere is enabled for " + serverName + " but the RPC proxy is switched off (rpcProxy.enabled "
                            + "is false in " + LocalRoles.FILE_NAME + "). Set it to true or disable Outlook Anywhere.",
                    Map.of()));
        }
    }

    private PassOutcome permanent(Instant now, List<Event> batch, String message) {
        throttled(now, batch, "permanent:" + message, new Event(now, EventId.PERMANENT_EXCEPTION,
                "The configurator pass failed and will run again at the next interval. Error: " + message,
                Map.of("error", message)));
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
