package dev.anywhere.directory.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.DirectoryText;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a {@code cn=changelog} (draft-good-ldap-changelog) by change number: every interval it reads the root DSE's
 * {@code lastChangeNumber}, fetches the new change records and fires when one targets the configuration naming
 * context. A failed poll fires once (the directory is gone: the listener should find out) and is retried on the next
 * tick; the first successful poll after a failure, or a change number that went backwards (server restarted), fires
 * once because changes may have been missed.
 *
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-good-ldap-changelog-04">draft-good-ldap-changelog-04</a>
 */
final class ChangelogFeed extends ChangeFeed {

    private static final Logger LOG = LoggerFactory.getLogger(ChangelogFeed.class);

    private final DN configurationDn;
    private final Supplier<LDAPConnectionPool> pool;
    private final Duration interval;
    private long last = -1;
    private boolean failed;

    ChangelogFeed(Runnable listener, String configurationDn, Supplier<LDAPConnectionPool> pool, Duration interval) {
        super(ChangeMechanism.CHANGELOG, listener);
        try {
            this.configurationDn = new DN(configurationDn);
        } catch (LDAPException e) {
            throw LdapErrors.wrap(e, DirectoryText.Key.DN, "dn", configurationDn);
        }
        this.pool = pool;
        this.interval = interval;
    }

    @Override
    void start() {
        executor.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        if (closed) {
            return;
        }
        try {
            LDAPConnectionPool p = pool.get();
            Entry root = p.getEntry("", "lastChangeNumber", "changelog");
            long now = root == null || root.getAttributeValue("lastChangeNumber") == null
                    ? 0 : Long.parseLong(root.getAttributeValue("lastChangeNumber"));
            boolean relevant = false;
            if (last < 0) {
                last = now;
            } else if (now < last) {
                relevant = true; // change numbers restarted: the server was restarted
            } else if (now > last) {
                String base = root.getAttributeValue("changelog") == null ? "cn=changelog" : root.getAttributeValue("changelog");
                Filter filter = Filter.createANDFilter(
                        Filter.createGreaterOrEqualFilter("changeNumber", Long.toString(last + 1)),
                        Filter.createLessOrEqualFilter("changeNumber", Long.toString(now)));
                for (SearchResultEntry change : p.search(base, SearchScope.ONE, filter, "targetDN").getSearchEntries()) {
                    String target = change.getAttributeValue("targetDN");
                    if (target == null || new DN(target).isDescendantOf(configurationDn, true)) {
                        relevant = true;
                    }
                }
            }
            last = now;
            established();
            if (failed) {
                failed = false;
                relevant = true;
            }
            if (relevant) {
                fire();
            }
        } catch (LDAPException | DirectoryException | NumberFormatException e) {
            if (!failed) {
                LOG.warn("directory changelog poll failed; retrying every {} ms: {}", interval.toMillis(), e.toString());
            }
            failed = true;
            lost();
        }
    }
}
