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
 */
public record ServiceHostSettings(Duration pollInterval, boolean followChanges) {

    public static final String FILE_NAME = "servicehost.json";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(15);
    public static final ServiceHostSettings DEFAULTS = new ServiceHostSettings(DEFAULT_POLL_INTERVAL, true);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ServiceHostSettings {
        if (pollInterval.isNegative()) {
            throw new IllegalArgumentException("poll interval: " + pollInterval + " (expected: 0 or more)");
        }
    }

    /** Periodic work is off, as with PeriodicPollingMinutes = 0. */
    public boolean periodicWorkDisabled() {
        return pollInterval.isZero();
    }

    /** Reads the settings; a missing file means the defaults, an unreadable one is an error the caller reports. */
    public static ServiceHostSettings read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return DEFAULTS;
        }
        JsonNode n = JSON.readTree(file.toFile());
        Duration interval = n.hasNonNull("pollInterval") ? Durations.parse(n.get("pollInterval").asText()) : DEFAULT_POLL_INTERVAL;
        boolean follow = n.path("followChanges").asBoolean(true);
        return new ServiceHostSettings(interval, follow);
    }

    public void write(Path dataDir) throws IOException {
        var root = JSON.createObjectNode();
        root.put("pollInterval", Durations.format(pollInterval));
        root.put("followChanges", followChanges);
        dev.anywhere.server.config.AtomicFile.write(dataDir.resolve(FILE_NAME), JSON.writeValueAsBytes(root));
    }
}
