package dev.anywhere.server.configurator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code servicehost.json}: the service host's own settings, re-read before every pass as Exchange re-reads
 * {@code RpcHttpConfigurator\PeriodicPollingMinutes} from the registry, so an administrator can change them
 * without a restart.
 *
 * @param pollInterval time between periodic passes; {@link Duration#ZERO} turns the configurator's work off
 * @param followChanges whether directory change notifications trigger a pass (Anywhere's addition; Exchange only polls)
 * @param driftCorrection whether a hand edit of {@code rpc-vdir.json} is refused by the gateway and reverted within
 *     about a second (Anywhere's addition, default on); off, a hand edit is applied and stays until the next pass
 *     overwrites it, as Exchange's configurator treats manual IIS changes
 */
public record ServiceHostSettings(Duration pollInterval, boolean followChanges, boolean driftCorrection) {

    public static final String FILE_NAME = "servicehost.json";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(15);
    public static final ServiceHostSettings DEFAULTS = new ServiceHostSettings(DEFAULT_POLL_INTERVAL, true, true);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ServiceHostSettings {
        if (pollInterval.isNegative()) {
            throw new IllegalArgumentException("poll interval: " + pollInterval + " (expected: 0 or more)");
        }
    }

    /** The settings with drift correction on. */
    public ServiceHostSettings(Duration pollInterval, boolean followChanges) {
        this(pollInterval, followChanges, true);
    }

    /** Periodic work is off, as with PeriodicPollingMinutes = 0. */
    public boolean periodicWorkDisabled() {
        return pollInterval.isZero();
    }

    /**
     * Whether hand edits are refused and reverted at once. A poll interval of 0 switches the configurator off
     * entirely, drift correction included: the administrator then owns {@code rpc-vdir.json}, as an Exchange
     * administrator owns IIS with PeriodicPollingMinutes = 0.
     */
    public boolean correctsDrift() {
        return driftCorrection && !periodicWorkDisabled();
    }

    /** Reads the settings; a missing file means the defaults, an unreadable one is an error the caller reports. */
    public static ServiceHostSettings read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return DEFAULTS;
        }
        JsonNode n = JSON.readTree(file.toFile());
        Duration interval = n.hasNonNull("pollInterval") ? Durations.parse(n.get("pollInterval").asText()) : DEFAULT_POLL_INTERVAL;
        return new ServiceHostSettings(interval, n.path("followChanges").asBoolean(true),
                flag(n, "driftCorrection"));
    }

    /** A switch that is on unless it says false; anything but true or false is refused rather than guessed (it guards the gateway). */
    private static boolean flag(JsonNode n, String name) {
        JsonNode v = n.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return true;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(FILE_NAME + ": " + name + ": " + v + " (expected: true or false)");
        }
        return v.asBoolean();
    }

    public void write(Path dataDir) throws IOException {
        var root = JSON.createObjectNode();
        root.put("pollInterval", Durations.format(pollInterval));
        root.put("followChanges", followChanges);
        root.put("driftCorrection", driftCorrection);
        dev.anywhere.server.config.AtomicFile.write(dataDir.resolve(FILE_NAME), JSON.writeValueAsBytes(root));
    }
}
