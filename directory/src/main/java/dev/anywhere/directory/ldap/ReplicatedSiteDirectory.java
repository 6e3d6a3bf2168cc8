package dev.anywhere.directory.ldap;

import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.ChangeSubscription;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.ReplicaSwitch;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.SiteInfo;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.directory.model.Mailbox;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's directory through an ordered list of replicas of one multi-provider directory, nearest first. Every
 * operation goes to the replica in use; when it fails transiently (unreachable, timeout: each bounded by the replica's
 * {@link LdapSettings#timeout()}), the others are tried in list order and the first that answers becomes the one in
 * use. A nearer replica is taken back once it answers and has caught up: its change marker ({@code contextCSN} per
 * provider, {@link LdapSiteDirectory#changeMarks()}) is at least the one of the replica in use, so that a client never
 * reads a configuration older than the one it already applied. Checked every {@code probeInterval} on a thread of its
 * own, never on the caller's.
 *
 * <p>Change following ({@link #watch}) runs on the replica in use and is restarted on the new one at each switch,
 * followed by one notification, so that the caller reads the new replica at once.
 */
public final class ReplicatedSiteDirectory implements SiteDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedSiteDirectory.class);

    /** How often a nearer replica is looked at while a farther one is in use. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(1);

    private final List<LdapSiteDirectory> replicas;
    private final ScheduledExecutorService worker;
    private final List<Consumer<ReplicaSwitch>> switchListeners = new CopyOnWriteArrayList<>();
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private volatile int current;

    private ReplicatedSiteDirectory(List<LdapSiteDirectory> replicas, Duration probeInterval) {
        this.replicas = List.copyOf(replicas);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "directory-replicas");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(this::probeNearer, probeInterval.toMillis(), probeInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Over these replicas, nearest first; they are opened lazily and closed with this directory. */
    public static ReplicatedSiteDirectory of(List<LdapSiteDirectory> replicas, Duration probeInterval) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("replicas: none (expected: at least one directory URL)");
        }
        Set<java.net.URI> seen = new java.util.HashSet<>();
        for (LdapSiteDirectory r : replicas) {
            if (!seen.add(r.settings().url())) {
                throw new IllegalArgumentException("replicas: " + r.settings().url() + " given twice (expected: each once)");
            }
        }
        return new ReplicatedSiteDirectory(replicas, probeInterval);
    }

    /** The replica in use. */
    public LdapSiteDirectory current() {
        return replicas.get(current);
    }

    public List<LdapSiteDirectory> replicas() {
        return replicas;
    }

    @Override
    public void onReplicaSwitch(Consumer<ReplicaSwitch> listener) {
        switchListeners.add(listener);
    }

    @Override
    public SiteInfo site() {
        return replicas.get(0).site();
    }

    @Override
    public List<ExchangeServer> servers() {
        return read(LdapSiteDirectory::servers);
    }

    @Override
    public Optional<ExchangeServer> server(String name) {
        return read(d -> d.server(name));
    }

    @Override
    public Optional<RpcHttpVirtualDirectory> rpcVirtualDirectory(String server) {
        return read(d -> d.rpcVirtualDirectory(server));
    }

    @Override
    public void putRpcVirtualDirectory(RpcHttpVirtualDirectory vdir) {
        write(d -> d.putRpcVirtualDirectory(vdir));
    }

    @Override
    public void removeRpcVirtualDirectory(String server) {
        write(d -> d.removeRpcVirtualDirectory(server));
    }

    @Override
    public Optional<OutlookProvider> provider(String name) {
        return read(d -> d.provider(name));
    }

    @Override
    public void putProvider(OutlookProvider provider) {
        write(d -> d.putProvider(provider));
    }

    @Override
    public Optional<Mailbox> mailboxBySmtpAddress(String address) {
        return read(d -> d.mailboxBySmtpAddress(address));
    }

    @Override
    public Optional<Mailbox> mailboxByLegacyDn(String legacyDn) {
        return read(d -> d.mailboxByLegacyDn(legacyDn));
    }

    @Override
    public Optional<Mailbox> mailboxByLogonName(String logonName) {
        return read(d -> d.mailboxByLogonName(logonName));
    }

    @Override
    public boolean verifyPassword(Mailbox mailbox, String password) {
        return read(d -> d.verifyPassword(mailbox, password));
    }

    @Override
    public Optional<byte[]> ntHash(Mailbox mailbox) {
        return read(d -> d.ntHash(mailbox));
    }

    /** Follows changes on the replica in use, and on the new one after each switch. */
    @Override
    public ChangeSubscription watch(Runnable listener) {
        Follower follower = new Follower(listener);
        follower.subscription = read(d -> d.watch(listener));
        followers.add(follower);
        return follower;
    }

    @Override
    public void close() {
        worker.shutdownNow();
        followers.forEach(Follower::close);
        replicas.forEach(LdapSiteDirectory::close);
    }

    /** A write on the replica in use, with failover as {@link #read}. */
    private void write(Consumer<LdapSiteDirectory> op) {
        read(d -> {
            op.accept(d);
            return null;
        });
    }

    /**
     * Runs {@code op} on the replica in use and, while it fails transiently, on the others in list order; the first
     * that answers becomes the one in use. A failure retrying cannot fix is thrown at once; when every replica failed
     * transiently, the failure of the one in use.
     */
    private <T> T read(Function<LdapSiteDirectory, T> op) {
        int start = current;
        DirectoryException first = null;
        for (int attempt = 0; attempt < replicas.size(); attempt++) {
            // the one in use first, then every other in list order
            int i = attempt == 0 ? start : attempt <= start ? attempt - 1 : attempt;
            try {
                T result = op.apply(replicas.get(i));
                if (first != null) {
                    switchTo(start, i, first.getMessage());
                }
                return result;
            } catch (DirectoryException e) {
                if (!e.transientFailure()) {
                    throw e;
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }

    /** Takes back the nearest replica that answers and has caught up with the one in use. */
    private void probeNearer() {
        int from = current;
        if (from == 0) {
            return;
        }
        try {
            Map<String, String> inUse = replicas.get(from).changeMarks();
            for (int i = 0; i < from; i++) {
                try {
                    if (covers(replicas.get(i).changeMarks(), inUse)) {
                        switchTo(from, i, "answers again and has caught up");
                        return;
                    }
                } catch (DirectoryException e) {
                    LOG.debug("directory: {} still unusable ({})", replicas.get(i).settings().url(), e.getMessage());
                }
            }
        } catch (DirectoryException e) {
            // the replica in use is gone too: the next operation moves on
            LOG.debug("directory: change marker of {} unreadable ({})", replicas.get(from).settings().url(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("directory: replica check failed ({})", e.getMessage());
        }
    }

    /**
     * Whether a replica with change marker {@code candidate} holds everything one with {@code inUse} holds: for each
     * provider the one in use has seen, the candidate has seen that provider's change or a later one (CSNs start with
     * a UTC timestamp and order as strings). Nothing to compare (no contextCSN) counts as caught up.
     */
    static boolean covers(Map<String, String> candidate, Map<String, String> inUse) {
        for (Map.Entry<String, String> e : inUse.entrySet()) {
            String seen = candidate.get(e.getKey());
            if (seen == null || seen.compareTo(e.getValue()) < 0) {
                return false;
            }
        }
        return true;
    }

    private synchronized void switchTo(int from, int to, String reason) {
        if (current != from) {
            return; // another thread moved already
        }
        current = to;
        ReplicaSwitch change = new ReplicaSwitch(replicas.get(from).settings().url(), replicas.get(to).settings().url(),
                to == 0, reason);
        LOG.info("directory: now using {} instead of {} ({})", change.to(), change.from(), reason);
        // restart change following on the new replica off the caller's thread: watch() waits for the feed
        for (Follower f : followers) {
            worker.execute(() -> f.moveTo(replicas.get(to)));
        }
        for (Consumer<ReplicaSwitch> l : switchListeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("directory: replica switch listener failed ({})", e.getMessage());
            }
        }
    }

    /** One caller's change following; its feed moves with the replica in use. */
    private final class Follower implements ChangeSubscription {

        private final Runnable listener;
        private volatile ChangeSubscription subscription;
        private volatile boolean closed;

        Follower(Runnable listener) {
            this.listener = listener;
        }

        void moveTo(LdapSiteDirectory replica) {
            if (closed || replicas.get(current) != replica) {
                return;
            }
            ChangeSubscription old = subscription;
            if (old != null) {
                old.close();
            }
            try {
                subscription = replica.watch(listener);
            } catch (DirectoryException e) {
                subscription = null;
                LOG.warn("directory: cannot follow changes on {} ({})", replica.settings().url(), e.getMessage());
            }
            listener.run(); // the caller reads the new replica now, not at its next poll
        }

        @Override
        public ChangeMechanism mechanism() {
            ChangeSubscription s = subscription;
            return s == null ? ChangeMechanism.POLLING : s.mechanism();
        }

        @Override
        public void close() {
            closed = true;
            followers.remove(this);
            ChangeSubscription s = subscription;
            if (s != null) {
                s.close();
            }
        }
    }
}
