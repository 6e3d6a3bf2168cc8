package dev.anywhere.server.rfr;

import dev.anywhere.directory.model.ExchangeServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's servers by short name, in memory: RFR answers from here on the event loop and never waits for the
 * directory. {@link #refreshing} re-reads the directory's server objects on a thread of its own; a failed read keeps
 * the last good list.
 */
public final class ServerNames implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerNames.class);

    private volatile Map<String, String> fqdnByName;
    private final ScheduledThreadPoolExecutor timer;

    private ServerNames(List<ExchangeServer> servers, ScheduledThreadPoolExecutor timer) {
        this.fqdnByName = index(servers);
        this.timer = timer;
    }

    /** A fixed list (tests, a site without a directory). */
    public static ServerNames of(List<ExchangeServer> servers) {
        return new ServerNames(servers, null);
    }

    /**
     * Reads {@code source} now (the caller is not an event loop: start-up) and again every {@code every}, off any
     * event loop. If the first read fails the list starts empty and fills on a later refresh.
     */
    public static ServerNames refreshing(Supplier<List<ExchangeServer>> source, Duration every) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "rfr-server-names");
            t.setDaemon(true);
            return t;
        });
        ServerNames names = new ServerNames(List.of(), timer);
        names.refresh(source);
        long millis = every.toMillis();
        timer.scheduleWithFixedDelay(() -> names.refresh(source), millis, millis, TimeUnit.MILLISECONDS);
        return names;
    }

    private void refresh(Supplier<List<ExchangeServer>> source) {
        try {
            fqdnByName = index(source.get());
        } catch (RuntimeException e) {
            log.warn("rfr: cannot read the servers from the directory (keeping {} known): {}", fqdnByName.size(),
                    e.getMessage());
        }
    }

    private static Map<String, String> index(List<ExchangeServer> servers) {
        Map<String, String> m = new HashMap<>();
        for (ExchangeServer s : servers) {
            if (s.exchange()) {
                m.put(s.name().toLowerCase(Locale.ROOT), s.fqdn());
            }
        }
        return Map.copyOf(m);
    }

    /** The FQDN of the Exchange server {@code shortName} (any case). */
    public Optional<String> fqdn(String shortName) {
        return Optional.ofNullable(fqdnByName.get(shortName.toLowerCase(Locale.ROOT)));
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
