package dev.anywhere.server.testing;

import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.ChangeSubscription;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.SiteInfo;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.directory.model.Mailbox;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A site directory held in memory, for unit tests of logic above the directory (the configurator's diff and
 * scheduling). It can be taken "down" to simulate an unreachable DC. End-to-end tests use the real embedded
 * directory and slapd instead.
 */
public final class MemorySiteDirectory implements SiteDirectory {

    private final Map<String, ExchangeServer> servers = new ConcurrentHashMap<>();
    private final Map<String, RpcHttpVirtualDirectory> vdirs = new ConcurrentHashMap<>();
    private final Map<String, OutlookProvider> providers = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean down;
    private volatile boolean permanentlyBroken;

    public MemorySiteDirectory() {
        servers.put("ex1", new ExchangeServer("EX1", "ex1.frankysweb.local", true));
        servers.put("dc1", new ExchangeServer("DC1", "dc1.frankysweb.local", false));
        for (String p : List.of("EXCH", "EXPR", "WEB")) {
            providers.put(p, OutlookProvider.defaults(p));
        }
    }

    /** Adds or replaces a server object (another mailbox server of an array). */
    public void putServer(ExchangeServer server) {
        servers.put(server.name().toLowerCase(java.util.Locale.ROOT), server);
        changed();
    }

    public void down(boolean down) {
        this.down = down;
    }

    public void permanentlyBroken(boolean broken) {
        this.permanentlyBroken = broken;
    }

    private void check() {
        if (down) {
            throw new DirectoryException("ldap://127.0.100.250:389: connection refused", true, null);
        }
        if (permanentlyBroken) {
            throw new DirectoryException("insufficient access rights reading CN=EX1", false, null);
        }
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    @Override
    public SiteInfo site() {
        return new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization", "frankysweb.org");
    }

    @Override
    public List<ExchangeServer> servers() {
        check();
        return List.copyOf(servers.values());
    }

    @Override
    public Optional<ExchangeServer> server(String name) {
        check();
        return Optional.ofNullable(servers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public Optional<RpcHttpVirtualDirectory> rpcVirtualDirectory(String server) {
        check();
        return Optional.ofNullable(vdirs.get(server.toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public void putRpcVirtualDirectory(RpcHttpVirtualDirectory vdir) {
        check();
        vdirs.put(vdir.server().toLowerCase(java.util.Locale.ROOT), vdir);
        changed();
    }

    @Override
    public void removeRpcVirtualDirectory(String server) {
        check();
        vdirs.remove(server.toLowerCase(java.util.Locale.ROOT));
        changed();
    }

    @Override
    public Optional<OutlookProvider> provider(String name) {
        check();
        return Optional.ofNullable(providers.get(name));
    }

    @Override
    public void putProvider(OutlookProvider provider) {
        check();
        providers.put(provider.name(), provider);
        changed();
    }

    @Override
    public Optional<Mailbox> mailboxBySmtpAddress(String address) {
        return Optional.empty();
    }

    @Override
    public Optional<Mailbox> mailboxByLegacyDn(String legacyDn) {
        return Optional.empty();
    }

    @Override
    public Optional<Mailbox> mailboxByLogonName(String logonName) {
        return Optional.empty();
    }

    @Override
    public boolean verifyPassword(Mailbox mailbox, String password) {
        return false;
    }

    @Override
    public Optional<byte[]> ntHash(Mailbox mailbox) {
        return Optional.empty();
    }

    @Override
    public ChangeSubscription watch(Runnable listener) {
        listeners.add(listener);
        return new ChangeSubscription() {
            @Override
            public ChangeMechanism mechanism() {
                return ChangeMechanism.PERSISTENT_SEARCH;
            }

            @Override
            public void close() {
                listeners.remove(listener);
            }
        };
    }

    @Override
    public void close() {
    }
}
