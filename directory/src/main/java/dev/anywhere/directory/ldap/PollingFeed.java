package dev.anywhere.directory.ldap;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.DirectoryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback when the server advertises no change mechanism: re-reads every configuration object each interval
 * and fires when the content differs from the previous read, and once when a read fails (the directory is gone).
 */
final class PollingFeed extends ChangeFeed {

    private static final Logger LOG = LoggerFactory.getLogger(PollingFeed.class);

    private final String configurationDn;
    private final Supplier<LDAPConnectionPool> pool;
    private final Duration interval;
    private List<String> previous;

    PollingFeed(Runnable listener, String configurationDn, Supplier<LDAPConnectionPool> pool, Duration interval) {
        super(ChangeMechanism.POLLING, listener);
        this.configurationDn = configurationDn;
        this.pool = pool;
        this.interval = interval;
    }

    @Override
    void start() {
        executor.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            List<String> snapshot = new ArrayList<>();
            for (SearchResultEntry e : pool.get().search(configurationDn, SearchScope.SUB, "(objectClass=*)")
                    .getSearchEntries()) {
                snapshot.add(e.toLDIFString());
            }
            Collections.sort(snapshot);
            if (previous != null && !previous.equals(snapshot)) {
                fire();
            }
            previous = snapshot;
            established();
        } catch (LDAPException | DirectoryException e) {
            LOG.warn("directory poll failed; retrying in {} ms: {}", interval.toMillis(), e.toString());
            previous = null; // whatever comes back next is the new baseline
            lost();
        }
    }
}
