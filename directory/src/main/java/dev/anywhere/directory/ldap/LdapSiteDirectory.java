package dev.anywhere.directory.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import dev.anywhere.directory.ChangeMechanism;
import dev.anywhere.directory.ChangeSubscription;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.DirectoryText;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.SiteInfo;
import dev.anywhere.directory.model.AutodiscoverScp;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.directory.model.Mailbox;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import dev.anywhere.rpc.ntlm.NtHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * {@link SiteDirectory} over LDAP with Active Directory's names and DN shapes ({@link SiteLayout}), against any server
 * that carries the schema in {@code anywhere-ad.ldif}: Active Directory itself, the embedded UnboundID server or
 * OpenLDAP. Reads and writes go through a small {@link LDAPConnectionPool} bound as the service account; password
 * checks use a fresh connection bound as the user.
 *
 * <p>Beyond the interface this class can create users, set passwords and publish Autodiscover SCPs and servers, which
 * the seeding code and the lab need.
 */
public final class LdapSiteDirectory implements SiteDirectory {

    private static final int POOL_SIZE = 4;

    private final LdapSettings settings;
    private final SiteLayout layout;
    private LDAPConnectionPool pool;
    private volatile boolean closed;

    private LdapSiteDirectory(LdapSettings settings) {
        this.settings = settings;
        this.layout = new SiteLayout(settings.site());
    }

    /** Connects now; throws a transient {@link DirectoryException} when the server cannot be reached or bound. */
    public static LdapSiteDirectory connect(LdapSettings settings) {
        LdapSiteDirectory directory = new LdapSiteDirectory(settings);
        directory.pool();
        return directory;
    }

    /** Connects on first use, so a directory that is down at start-up only fails the operations that need it. */
    public static LdapSiteDirectory open(LdapSettings settings) {
        return new LdapSiteDirectory(settings);
    }

    /**
     * Plain LDAP over this directory's pool and bind, for what the model does not cover (seeding the container
     * skeleton, diagnostics).
     */
    public com.unboundid.ldap.sdk.LDAPInterface ldap() {
        return pool();
    }

    public LdapSettings settings() {
        return settings;
    }

    public SiteLayout layout() {
        return layout;
    }

    @Override
    public SiteInfo site() {
        return settings.site();
    }

    // ---- servers ----

    @Override
    public List<ExchangeServer> servers() {
        List<ExchangeServer> out = new ArrayList<>();
        for (SearchResultEntry e : search(layout.siteServersDn(), SearchScope.ONE,
                Filter.createEqualityFilter(AdNames.OBJECT_CLASS, AdNames.SERVER), SiteEntries.SERVER_ATTRIBUTES)) {
            out.add(SiteEntries.toServer(e, false));
        }
        for (SearchResultEntry e : search(layout.exchangeServersDn(), SearchScope.ONE,
                Filter.createEqualityFilter(AdNames.OBJECT_CLASS, AdNames.EXCHANGE_SERVER), SiteEntries.SERVER_ATTRIBUTES)) {
            out.add(SiteEntries.toServer(e, true));
        }
        out.sort(Comparator.comparing(ExchangeServer::name, String.CASE_INSENSITIVE_ORDER));
        return List.copyOf(out);
    }

    @Override
    public Optional<ExchangeServer> server(String name) {
        return servers().stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Creates or updates a server: a domain controller under CN=Sites, or an Exchange server with its containers. */
    public void putServer(ExchangeServer server) {
        if (server.exchange()) {
            upsert(layout.exchangeServerDn(server.name()), AdNames.EXCHANGE_SERVER, SiteEntries.serverAttributes(server));
            ensureContainer(layout.protocolsDn(server.name()));
            ensureContainer(layout.httpProtocolDn(server.name()));
            ensureContainer(layout.autodiscoverProtocolDn(server.name()));
        } else {
            upsert(layout.domainControllerDn(server.name()), AdNames.SERVER, SiteEntries.serverAttributes(server));
        }
    }

    // ---- Outlook Anywhere ----

    @Override
    public Optional<RpcHttpVirtualDirectory> rpcVirtualDirectory(String server) {
        return entry(layout.rpcVirtualDirectoryDn(server), SiteEntries.VDIR_ATTRIBUTES)
                .map(SiteEntries::toVirtualDirectory);
    }

    @Override
    public void putRpcVirtualDirectory(RpcHttpVirtualDirectory vdir) {
        String serverDn = layout.exchangeServerDn(vdir.server());
        if (entry(serverDn, AdNames.CN).isEmpty()) {
            throw LdapErrors.permanent(DirectoryText.Key.NO_SERVER_OBJECT, "server", vdir.server(), "dn", serverDn, "objectClass",
                    AdNames.EXCHANGE_SERVER);
        }
        ensureContainer(layout.protocolsDn(vdir.server()));
        ensureContainer(layout.httpProtocolDn(vdir.server()));
        upsert(layout.rpcVirtualDirectoryDn(vdir.server()), AdNames.RPC_HTTP_VIRTUAL_DIRECTORY,
                SiteEntries.virtualDirectoryAttributes(vdir));
    }

    @Override
    public void removeRpcVirtualDirectory(String server) {
        String dn = layout.rpcVirtualDirectoryDn(server);
        try {
            pool().delete(dn);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
                throw LdapErrors.wrap(e, DirectoryText.Key.DELETE, "dn", dn);
            }
        }
    }

    // ---- Outlook providers ----

    @Override
    public Optional<OutlookProvider> provider(String name) {
        return entry(layout.providerDn(name), SiteEntries.PROVIDER_ATTRIBUTES).map(SiteEntries::toProvider);
    }

    @Override
    public void putProvider(OutlookProvider provider) {
        ensureContainer(layout.clientAccessDn());
        ensureContainer(layout.autodiscoverDn());
        ensureContainer(layout.outlookProvidersDn());
        upsert(layout.providerDn(provider.name()), AdNames.AUTODISCOVER_CONFIG, SiteEntries.providerAttributes(provider));
    }

    // ---- Autodiscover SCPs ----

    /** Every Autodiscover SCP (URL or pointer) in the configuration naming context, as clients search for them. */
    public List<AutodiscoverScp> autodiscoverScps() {
        Filter filter = Filter.createANDFilter(
                Filter.createEqualityFilter(AdNames.OBJECT_CLASS, AdNames.SERVICE_CONNECTION_POINT),
                Filter.createORFilter(Filter.createEqualityFilter(AdNames.KEYWORDS, AutodiscoverScp.URL_GUID),
                        Filter.createEqualityFilter(AdNames.KEYWORDS, AutodiscoverScp.POINTER_GUID)));
        List<AutodiscoverScp> out = new ArrayList<>();
        for (SearchResultEntry e : search(layout.configurationDn(), SearchScope.SUB, filter, SiteEntries.SCP_ATTRIBUTES)) {
            out.add(SiteEntries.toScp(e));
        }
        return List.copyOf(out);
    }

    /** Publishes the server's SCP at {@code CN=EX1,CN=Autodiscover,CN=Protocols,CN=EX1,...}. */
    public void putAutodiscoverScp(AutodiscoverScp scp) {
        ensureContainer(layout.protocolsDn(scp.server()));
        ensureContainer(layout.autodiscoverProtocolDn(scp.server()));
        upsert(layout.autodiscoverScpDn(scp.server()), AdNames.SERVICE_CONNECTION_POINT, SiteEntries.scpAttributes(scp));
    }

    // ---- mailboxes ----

    @Override
    public Optional<Mailbox> mailboxBySmtpAddress(String address) {
        return user(Filter.createORFilter(Filter.createEqualityFilter(AdNames.PROXY_ADDRESSES, "smtp:" + address),
                Filter.createEqualityFilter(AdNames.MAIL, address)), "smtp address " + address)
                .flatMap(SiteEntries::toMailbox);
    }

    @Override
    public Optional<Mailbox> mailboxByLegacyDn(String legacyDn) {
        return user(Filter.createEqualityFilter(AdNames.LEGACY_EXCHANGE_DN, legacyDn), "legacyExchangeDN " + legacyDn)
                .flatMap(SiteEntries::toMailbox);
    }

    @Override
    public Optional<Mailbox> mailboxByLogonName(String logonName) {
        return userByLogonName(logonName).flatMap(SiteEntries::toMailbox);
    }

    /**
     * Creates or updates a user with these mailbox attributes; a new user is named {@code CN=<displayName>} under
     * {@code CN=Users}. Other protocols' {@code protocolSettings} values are kept.
     */
    public void putMailbox(Mailbox mailbox) {
        Optional<SearchResultEntry> existing = userBySam(mailbox.samAccountName());
        List<String> protocolSettings = existing
                .map(e -> List.of(SiteEntries.values(e, AdNames.PROTOCOL_SETTINGS))).orElse(List.of());
        List<Attribute> attributes = new ArrayList<>(SiteEntries.mailboxAttributes(mailbox, layout, protocolSettings));
        if (existing.isPresent()) {
            modifyReplace(existing.get().getDN(), attributes);
        } else {
            attributes.add(new Attribute(AdNames.SN, surname(mailbox.displayName())));
            add(layout.userDn(mailbox.displayName()), AdNames.USER, attributes, "top", "person", "organizationalPerson");
        }
    }

    /** Creates a user that is not mail-enabled (e.g. the service account); does nothing when it exists. */
    public void putAccount(String commonName, String samAccountName, String userPrincipalName) {
        if (userBySam(samAccountName).isPresent()) {
            return;
        }
        add(layout.userDn(commonName), AdNames.USER, List.of(new Attribute(AdNames.SAM_ACCOUNT_NAME, samAccountName),
                new Attribute(AdNames.USER_PRINCIPAL_NAME, userPrincipalName),
                new Attribute(AdNames.DISPLAY_NAME, commonName), new Attribute(AdNames.SN, surname(commonName))),
                "top", "person", "organizationalPerson");
    }

    /**
     * Sets a user's password: {@code userPassword} as {@code {SSHA}} (what simple bind checks) and
     * {@code sambaNTPassword} (what NTLM needs). Needs the privileged bind.
     */
    public void setPassword(String samAccountName, String password) {
        SearchResultEntry user = userBySam(samAccountName).orElseThrow(() -> LdapErrors.permanent(
                DirectoryText.Key.USER_NOT_FOUND, "user", samAccountName, "dn", layout.domainDn()));
        modifyReplace(user.getDN(), List.of(new Attribute(AdNames.USER_PASSWORD, SshaPassword.encode(password)),
                new Attribute(AdNames.NT_PASSWORD, NtHash.hexOf(password))));
    }

    /** The DN of the user with this sAMAccountName. */
    public Optional<String> userDn(String samAccountName) {
        return userBySam(samAccountName).map(Entry::getDN);
    }

    @Override
    public boolean verifyPassword(Mailbox mailbox, String password) {
        if (password == null || password.isEmpty()) {
            return false; // an empty simple bind is an anonymous bind (RFC 4513 5.1.2), never a proof
        }
        Optional<String> dn = userDn(mailbox.samAccountName());
        if (dn.isEmpty()) {
            return false;
        }
        try (LDAPConnection connection = newConnection()) {
            connection.bind(dn.get(), password);
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS || !LdapErrors.isTransient(e.getResultCode())) {
                return false;
            }
            throw LdapErrors.wrap(e, DirectoryText.Key.BIND, "user", mailbox.samAccountName());
        }
    }

    @Override
    public Optional<byte[]> ntHash(Mailbox mailbox) {
        return userBySam(mailbox.samAccountName(), AdNames.NT_PASSWORD)
                .flatMap(e -> SiteEntries.stringValue(e, AdNames.NT_PASSWORD))
                .map(hex -> {
                    try {
                        byte[] hash = HexFormat.of().parseHex(hex.trim());
                        if (hash.length == 16) {
                            return hash;
                        }
                    } catch (IllegalArgumentException ignored) {
                        // reported below without echoing the value
                    }
                    throw LdapErrors.permanent(DirectoryText.Key.NT_PASSWORD, "attribute", AdNames.NT_PASSWORD, "user", mailbox.samAccountName());
                });
    }

    // ---- change following ----

    /**
     * The directory's change marker: the {@code contextCSN} values of the domain's naming context (OpenLDAP keeps one
     * per provider's server ID, {@code 20261206154500.123456Z#000000#001#000000}), as the newest CSN per server ID.
     * Empty when the server keeps none (the embedded directory, Active Directory), so nothing can be compared.
     * @see <a href="https://www.rfc-editor.org/rfc/rfc4533">RFC 4533</a> (the sync cookie carries the same CSNs)
     */
    public java.util.Map<String, String> changeMarks() {
        java.util.Map<String, String> newest = new java.util.TreeMap<>();
        entry(layout.domainDn(), "contextCSN").ifPresent(e -> {
            for (String csn : SiteEntries.values(e, "contextCSN")) {
                String[] parts = csn.split("#");
                String sid = parts.length == 4 ? parts[2] : "";
                newest.merge(sid, csn, (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        });
        return java.util.Map.copyOf(newest);
    }

    /** The mechanism {@link #watch} picks, from the root DSE's {@code supportedControl} and changelog attributes. */
    public ChangeMechanism changeMechanism() {
        RootDSE root;
        try {
            root = pool().getRootDSE();
        } catch (LDAPException e) {
            throw LdapErrors.wrap(e, DirectoryText.Key.READ_ROOT_DSE);
        }
        if (root == null) {
            return ChangeMechanism.POLLING;
        }
        for (ChangeMechanism m : List.of(ChangeMechanism.CONTENT_SYNC, ChangeMechanism.PERSISTENT_SEARCH,
                ChangeMechanism.AD_CHANGE_NOTIFICATION)) {
            if (root.supportsControl(m.controlOid())) {
                return m;
            }
        }
        if (root.hasAttribute("changelog") || root.hasAttribute("lastChangeNumber")) {
            return ChangeMechanism.CHANGELOG;
        }
        return ChangeMechanism.POLLING;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns once the feed is live (first changelog poll done, content sync past its refresh stage), waiting at
     * most the settings' timeout, so that every change made after this returns fires. When the server cannot be
     * reached the feed keeps retrying and fires once when it gets through.
     */
    @Override
    public ChangeSubscription watch(Runnable listener) {
        return watch(listener, changeMechanism());
    }

    /** Follows changes with a given mechanism (tests, or to force polling). */
    public ChangeSubscription watch(Runnable listener, ChangeMechanism mechanism) {
        ChangeFeed feed = switch (mechanism) {
            case CONTENT_SYNC, PERSISTENT_SEARCH, AD_CHANGE_NOTIFICATION ->
                    new SearchStreamFeed(mechanism, listener, layout.configurationDn(), this::newBoundConnection);
            case CHANGELOG -> new ChangelogFeed(listener, layout.configurationDn(), this::pool, settings.changelogInterval());
            case POLLING -> new PollingFeed(listener, layout.configurationDn(), this::pool, settings.pollingInterval());
        };
        feed.start();
        feed.awaitEstablished(settings.timeout());
        return feed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    // ---- LDAP plumbing ----

    synchronized LDAPConnectionPool pool() {
        if (closed) {
            throw LdapErrors.permanent(DirectoryText.Key.CLOSED);
        }
        if (pool == null) {
            try {
                LDAPConnection first = newBoundConnection();
                pool = new LDAPConnectionPool(first, 1, POOL_SIZE);
                pool.setRetryFailedOperationsDueToInvalidConnections(true);
                pool.setConnectionPoolName("anywhere-directory");
            } catch (LDAPException e) {
                throw LdapErrors.wrap(e, DirectoryText.Key.CONNECT, "url", settings.url(), "dn", settings.bindDn());
            }
        }
        return pool;
    }

    LDAPConnection newBoundConnection() throws LDAPException {
        LDAPConnection connection = newConnection();
        try {
            connection.bind(settings.bindDn(), settings.password());
            return connection;
        } catch (LDAPException e) {
            connection.close();
            throw e;
        }
    }

    private LDAPConnection newConnection() throws LDAPException {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) settings.timeout().toMillis());
        options.setResponseTimeoutMillis(settings.timeout().toMillis());
        if (settings.ldaps()) {
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true)); // the certificate must name the host
        }
        SocketFactory factory = settings.ldaps()
                ? settings.sslSocketFactory().orElseGet(() -> (SSLSocketFactory) SSLSocketFactory.getDefault())
                : SocketFactory.getDefault();
        return new LDAPConnection(factory, options, settings.host(), settings.port());
    }

    private Optional<SearchResultEntry> entry(String dn, String... attributes) {
        try {
            return Optional.ofNullable(pool().getEntry(dn, attributes));
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return Optional.empty();
            }
            throw LdapErrors.wrap(e, DirectoryText.Key.READ, "dn", dn);
        }
    }

    private List<SearchResultEntry> search(String base, SearchScope scope, Filter filter, String... attributes) {
        try {
            SearchResult result = pool().search(base, scope, filter, attributes);
            return result.getSearchEntries();
        } catch (LDAPException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return List.of();
            }
            throw LdapErrors.wrap(e, DirectoryText.Key.SEARCH, "base", base, "filter", filter);
        }
    }

    private Optional<SearchResultEntry> user(Filter filter, String what, String... attributes) {
        Filter userFilter = Filter.createANDFilter(Filter.createEqualityFilter(AdNames.OBJECT_CLASS, AdNames.USER), filter);
        String[] wanted = attributes.length == 0 ? SiteEntries.USER_ATTRIBUTES : attributes;
        List<SearchResultEntry> found = search(layout.domainDn(), SearchScope.SUB, userFilter, wanted);
        if (found.size() > 1) {
            throw LdapErrors.permanent(DirectoryText.Key.USER_AMBIGUOUS, "what", what, "count", found.size());
        }
        return found.stream().findFirst();
    }

    private Optional<SearchResultEntry> userBySam(String sam, String... attributes) {
        return user(Filter.createEqualityFilter(AdNames.SAM_ACCOUNT_NAME, sam), "sAMAccountName " + sam, attributes);
    }

    private Optional<SearchResultEntry> userByLogonName(String logonName) {
        String name = logonName.trim();
        int backslash = name.indexOf('\\');
        if (backslash >= 0) {
            String domain = name.substring(0, backslash);
            if (!domain.equalsIgnoreCase(site().netbiosDomain()) && !domain.equalsIgnoreCase(site().dnsDomain())) {
                return Optional.empty();
            }
            return userBySam(name.substring(backslash + 1));
        }
        int at = name.lastIndexOf('@');
        if (at >= 0) {
            Optional<SearchResultEntry> byUpn = user(Filter.createEqualityFilter(AdNames.USER_PRINCIPAL_NAME, name),
                    "userPrincipalName " + name);
            if (byUpn.isPresent() || !name.substring(at + 1).equalsIgnoreCase(site().dnsDomain())) {
                return byUpn;
            }
            return userBySam(name.substring(0, at)); // implicit UPN: sAMAccountName@dnsDomain
        }
        return userBySam(name);
    }

    /** Adds the entry, or replaces exactly these attributes when it exists. */
    private void upsert(String dn, String objectClass, List<Attribute> attributes) {
        try {
            Entry entry = new Entry(dn);
            entry.addAttribute(AdNames.OBJECT_CLASS, "top", objectClass);
            entry.addAttribute(AdNames.CN, rdn(dn));
            attributes.stream().filter(Attribute::hasValue).forEach(entry::addAttribute);
            pool().add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                throw LdapErrors.wrap(e, DirectoryText.Key.ADD, "dn", dn);
            }
            modifyReplace(dn, attributes);
        }
    }

    private void add(String dn, String objectClass, List<Attribute> attributes, String... superClasses) {
        Entry entry = new Entry(dn);
        List<String> classes = new ArrayList<>(List.of(superClasses));
        classes.add(objectClass);
        entry.addAttribute(AdNames.OBJECT_CLASS, classes);
        entry.addAttribute(AdNames.CN, rdn(dn));
        attributes.stream().filter(Attribute::hasValue).forEach(entry::addAttribute);
        try {
            pool().add(entry);
        } catch (LDAPException e) {
            throw LdapErrors.wrap(e, DirectoryText.Key.ADD, "dn", dn);
        }
    }

    private void modifyReplace(String dn, List<Attribute> attributes) {
        List<Modification> mods = new ArrayList<>();
        for (Attribute a : attributes) {
            mods.add(new Modification(ModificationType.REPLACE, a.getName(), a.getValues()));
        }
        try {
            pool().modify(dn, mods);
        } catch (LDAPException e) {
            throw LdapErrors.wrap(e, DirectoryText.Key.MODIFY, "dn", dn);
        }
    }

    /** Adds a {@code container} unless it exists. */
    void ensureContainer(String dn) {
        try {
            Entry entry = new Entry(dn);
            entry.addAttribute(AdNames.OBJECT_CLASS, "top", AdNames.CONTAINER);
            entry.addAttribute(AdNames.CN, rdn(dn));
            pool().add(entry);
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                throw LdapErrors.wrap(e, DirectoryText.Key.ADD_CONTAINER, "dn", dn);
            }
        }
    }

    private static String rdn(String dn) {
        try {
            return new com.unboundid.ldap.sdk.DN(dn).getRDN().getAttributeValues()[0];
        } catch (LDAPException e) {
            throw LdapErrors.wrap(e, DirectoryText.Key.DN, "dn", dn);
        }
    }

    private static String surname(String displayName) {
        String trimmed = displayName.trim();
        int space = trimmed.lastIndexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(space + 1);
    }
}
