package dev.anywhere.directory.ldap;

import com.unboundid.ldap.sdk.AsyncRequestID;
import com.unboundid.ldap.sdk.AsyncSearchResultListener;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.IntermediateResponse;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchResultReference;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestControl;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestMode;
import com.unboundid.ldap.sdk.controls.PersistentSearchChangeType;
import com.unboundid.ldap.sdk.controls.PersistentSearchRequestControl;
import dev.anywhere.directory.ChangeMechanism;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows changes with one long-running search over the configuration naming context, on a dedicated connection:
 *
 * <ul>
 *   <li>{@link ChangeMechanism#CONTENT_SYNC}: RFC 4533 refreshAndPersist. The refresh phase (the current content)
 *       is ignored; the Sync Info message that ends it switches to the persist phase, where every entry is a change.
 *   <li>{@link ChangeMechanism#PERSISTENT_SEARCH}: draft-ietf-ldapext-psearch, changesOnly.
 *   <li>{@link ChangeMechanism#AD_CHANGE_NOTIFICATION}: LDAP_SERVER_NOTIFICATION_OID; every entry is a change.
 * </ul>
 *
 * The feed is established once the search is live (for content sync: when the refresh stage ends). When the search
 * ends (server down, connection lost, error) or cannot start, the feed fires once (the directory is gone: the
 * listener should find out), reconnects after 1 s, doubling to 30 s, and fires once more when it is established
 * again, because changes may have been missed meanwhile.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4533">RFC 4533</a>
 */
final class SearchStreamFeed extends ChangeFeed {

    private static final Logger LOG = LoggerFactory.getLogger(SearchStreamFeed.class);
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 30_000;

    /** Opens a connection bound as the service. */
    interface Connector {
        LDAPConnection connect() throws LDAPException;
    }

    private final String configurationDn;
    private final Connector connector;
    private volatile LDAPConnection connection;
    private long retryMillis = FIRST_RETRY_MILLIS;
    /** Set after a failure: the next establishment fires once. */
    private final java.util.concurrent.atomic.AtomicBoolean catchUp = new java.util.concurrent.atomic.AtomicBoolean();

    SearchStreamFeed(ChangeMechanism mechanism, Runnable listener, String configurationDn, Connector connector) {
        super(mechanism, listener);
        this.configurationDn = configurationDn;
        this.connector = connector;
    }

    @Override
    void start() {
        executor.execute(this::open);
    }

    /** Runs on the feed thread. */
    private void open() {
        if (closed) {
            return;
        }
        try {
            LDAPConnection c = connector.connect();
            Stream stream = new Stream();
            SearchRequest request = new SearchRequest(stream, configurationDn, SearchScope.SUB, "(objectClass=*)", "1.1");
            request.addControl(control());
            request.setIntermediateResponseListener(stream);
            request.setResponseTimeoutMillis(0); // a persistent search never completes
            connection = c;
            c.asyncSearch(request);
            retryMillis = FIRST_RETRY_MILLIS;
            if (mechanism() != ChangeMechanism.CONTENT_SYNC) {
                live();
            }
        } catch (LDAPException e) {
            catchUp.set(true);
            LOG.warn("directory change stream ({}) not available, retrying in {} ms: {}", mechanism(), retryMillis,
                    e.getResultCode());
            closeConnection();
            lost();
            reconnectLater();
        }
    }

    /** The stream delivers changes from now on. */
    private void live() {
        established();
        if (catchUp.getAndSet(false)) {
            fire(); // changes may have happened while we were away
        }
    }

    private Control control() {
        return switch (mechanism()) {
            case CONTENT_SYNC -> new ContentSyncRequestControl(true, ContentSyncRequestMode.REFRESH_AND_PERSIST, null, false);
            case PERSISTENT_SEARCH -> new PersistentSearchRequestControl(PersistentSearchChangeType.allChangeTypes(), true, false);
            case AD_CHANGE_NOTIFICATION -> new Control(ChangeMechanism.AD_CHANGE_NOTIFICATION.controlOid(), true);
            default -> throw new IllegalStateException("mechanism: " + mechanism() + " (expected: a search-based one)");
        };
    }

    private void reconnectLater() {
        long delay = retryMillis;
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        schedule(this::open, delay);
    }

    private void closeConnection() {
        LDAPConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
    }

    @Override
    protected void stop() {
        closeConnection();
    }

    /** One search's callbacks, on the SDK's reader thread. */
    private final class Stream implements AsyncSearchResultListener, com.unboundid.ldap.sdk.IntermediateResponseListener {

        private static final long serialVersionUID = 1L;
        private volatile boolean persisting = mechanism() != ChangeMechanism.CONTENT_SYNC;

        @Override
        public void searchEntryReturned(SearchResultEntry entry) {
            if (persisting) {
                fire();
            }
        }

        @Override
        public void searchReferenceReturned(SearchResultReference reference) {
            // referrals are not followed
        }

        @Override
        public void intermediateResponseReturned(IntermediateResponse response) {
            // Per RFC 4533 3.4, the Sync Info message ending refreshAndPersist's refresh stage starts persisting.
            if (!persisting) {
                persisting = true;
                live();
            }
        }

        @Override
        public void searchResultReceived(AsyncRequestID requestID, SearchResult result) {
            if (closed) {
                return;
            }
            LOG.warn("directory change stream ({}) ended: {}; reconnecting", mechanism(), result.getResultCode());
            catchUp.set(true);
            executor.execute(() -> {
                closeConnection();
                lost();
                reconnectLater();
            });
        }
    }
}
