package dev.anywhere.server.autodiscover;

import dev.anywhere.autodiscover.pox.Account;
import dev.anywhere.autodiscover.pox.AuthMethod;
import dev.anywhere.autodiscover.pox.AuthPackage;
import dev.anywhere.autodiscover.pox.AuthPackageRule;
import dev.anywhere.autodiscover.pox.AutodiscoverError;
import dev.anywhere.autodiscover.pox.AutodiscoverRequest;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.ClientCapabilities;
import dev.anywhere.autodiscover.pox.ErrorCode;
import dev.anywhere.autodiscover.pox.Protocol;
import dev.anywhere.autodiscover.pox.ProtocolType;
import dev.anywhere.autodiscover.pox.User;
import dev.anywhere.directory.DirectoryException;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.directory.ldap.SiteLayout;
import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.directory.model.Mailbox;
import dev.anywhere.directory.model.OutlookProvider;
import dev.anywhere.directory.model.RpcHttpVirtualDirectory;
import java.time.Clock;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Outlook provider of Autodiscover: turns one parsed POX request of an authenticated caller into the response
 * model, reading the directory as Exchange reads Active Directory. Pure apart from the directory reads: no sockets, no
 * XML (the gateway's route parses and writes with {@code PoxCodec}).
 *
 * <p>Behaviour (Exchange 2010 SP3 as the model, with 2013's {@code ServerExclusiveConnect}):
 * <ol>
 *   <li>{@code AcceptableResponseSchema} other than the Outlook 2006a schema: 601.
 *   <li>Recipient: the caller's own {@code LegacyDN}/SMTP addresses first, then a directory search by
 *       {@code LegacyDN} (which wins), falling back to {@code EMailAddress}; nothing found: 500. With
 *       {@link AutodiscoverSettings.LookupScope#CALLER} other people's addresses also get 500.
 *   <li>Mail user ({@code targetAddress}): {@code redirectAddr} to it; a target that is one of its own addresses: 602.
 *       No mailbox (no home server): 501. Home server with a configured redirect URL: {@code redirectUrl}. Home server
 *       unknown to the directory: 505 ("mailbox server not found").
 *   <li>Settings: {@code User} (DisplayName, LegacyDN, AutoDiscoverSMTPAddress), {@code Account} (email, settings),
 *       then EXCH, EXPR (only when the home server has its {@code Rpc (Default Web Site)} object and the mailbox is not
 *       blocked from RPC over HTTP), WEB. {@code MAPIEnabled=false}: WEB only, as Exchange writes no Outlook
 *       protocols for a mailbox without client access.
 *   <li>Any directory failure: 603.
 * </ol>
 *
 * @see [MS-OXDSCLI] 3.2.5 Message Processing Events and Sequencing Rules
 * @see "docs/autodiscover.md"
 */
public final class AutodiscoverService {

    private static final Logger log = LoggerFactory.getLogger(AutodiscoverService.class);

    /**
     * {@code ServerVersion} of EXCH: Exchange 2010 SP3 (14.3.123) in Exchange's packing — 4 bits {@code 0111}, 6 bits
     * major, 6 bits minor, 1 bit set, 15 bits build.
     */
    public static final String SERVER_VERSION = serverVersion(14, 3, 123);

    /**
     * What Exchange's {@code InternalClientAuthenticationMethod} defaults to; used for EXPR when only the internal host
     * name is set (the model keeps no internal client method).
     */
    static final AuthMethod INTERNAL_CLIENT_AUTH_DEFAULT = AuthMethod.NTLM;

    /**
     * The request headers the Outlook provider looks at.
     *
     * @param xClientCanHandle {@code X-ClientCanHandle} (Negotiate, ExHttpInfo …)
     * @param userAgent {@code User-Agent} (Windows and Outlook versions gate Negotiate)
     * @param xMapiHttpCapability {@code X-MapiHttpCapability}; recorded but unused: no MAPI over HTTP is served, as
     *        with Exchange 2010
     */
    public record Headers(Optional<String> xClientCanHandle, Optional<String> userAgent,
            Optional<String> xMapiHttpCapability) {

        public static final Headers NONE = new Headers(Optional.empty(), Optional.empty(), Optional.empty());

        public Headers {
            Objects.requireNonNull(xClientCanHandle, "xClientCanHandle");
            Objects.requireNonNull(userAgent, "userAgent");
            Objects.requireNonNull(xMapiHttpCapability, "xMapiHttpCapability");
        }

        public ClientCapabilities capabilities() {
            return ClientCapabilities.fromHeaders(xClientCanHandle.orElse(null), userAgent.orElse(null));
        }
    }

    private final DirectoryReadCache directory;
    private final AutodiscoverSettings settings;
    private final Clock clock;

    /**
     * @param directory where recipients and configuration are read; null answers every request with 603
     * @param settings this service's settings (redirect URLs, lookup scope, read cache TTL)
     * @param clock stamps {@code Error/@Time}
     */
    public AutodiscoverService(SiteDirectory directory, AutodiscoverSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.directory = directory == null ? null : new DirectoryReadCache(directory, settings.cacheTtl());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The answer to a request of {@code account} (as the HTTP authentication names it, {@code FRANKYSWEB\\franky}).
     * Never throws: every failure is an Autodiscover error.
     */
    public AutodiscoverResponse respond(AutodiscoverRequest request, String account, Headers headers) {
        if (!request.acceptsOutlookSchema()) {
            return error(ErrorCode.PROVIDER_UNAVAILABLE);
        }
        if (directory == null) {
            return error(ErrorCode.INTERNAL_SERVER_ERROR);
        }
        try {
            Optional<Mailbox> caller = directory.mailboxByLogonName(account);
            Optional<Mailbox> own = caller.filter(c -> owns(c, request));
            Optional<Mailbox> found = own.isPresent() || settings.scope() == AutodiscoverSettings.LookupScope.CALLER
                    ? own : lookup(request);
            if (found.isEmpty()) {
                return error(ErrorCode.ADDRESS_NOT_FOUND);
            }
            return forRecipient(found.get(), headers.capabilities());
        } catch (DirectoryException | IllegalArgumentException e) {
            log.warn("autodiscover: directory failure answering {} for {}: {}", request.lookupAddress(), account, e.getMessage());
            return error(ErrorCode.INTERNAL_SERVER_ERROR);
        }
    }

    /** ErrorCode 600: what a GET, a malformed or an oversized body gets. */
    public AutodiscoverResponse invalidRequest() {
        return error(ErrorCode.INVALID_REQUEST);
    }

    /** An error stamped as Exchange stamps it (time of day, hash of the server name). */
    public AutodiscoverResponse error(ErrorCode code) {
        return AutodiscoverResponse.error(AutodiscoverError.stamped(code, LocalTime.now(clock), settings.serverName()));
    }

    /**
     * Whether the request names the caller's own mailbox. Per spec a present LegacyDN decides alone (Exchange would
     * also accept the caller's SMTP address beside someone else's LegacyDN; we do not).
     */
    private static boolean owns(Mailbox m, AutodiscoverRequest r) {
        if (r.legacyDn().isPresent()) {
            return r.legacyDn().get().equalsIgnoreCase(m.legacyExchangeDn());
        }
        return r.emailAddress().isPresent() && m.proxyAddresses().stream().anyMatch(r.emailAddress().get()::equalsIgnoreCase);
    }

    /** Per spec the LegacyDN wins; as in Exchange, an unknown LegacyDN falls back to the EMailAddress. */
    private Optional<Mailbox> lookup(AutodiscoverRequest r) {
        Optional<Mailbox> m = r.legacyDn().flatMap(dn -> directory.mailboxByLegacyDn(dn));
        if (m.isEmpty() && r.emailAddress().isPresent() && r.emailAddress().get().indexOf('@') > 0) {
            m = directory.mailboxBySmtpAddress(r.emailAddress().get());
        }
        return m;
    }

    private AutodiscoverResponse forRecipient(Mailbox m, ClientCapabilities caps) {
        if (m.targetAddress().isPresent()) {
            String target = m.targetAddress().get();
            boolean smtp = target.indexOf('@') > 0 && target.indexOf('@') < target.length() - 1;
            if (!smtp || m.proxyAddresses().stream().anyMatch(target::equalsIgnoreCase)) {
                return error(ErrorCode.CONFIGURATION_ERROR);
            }
            return AutodiscoverResponse.redirect(Account.redirectAddr(target));
        }
        if (m.homeServer().isEmpty()) {
            return error(ErrorCode.BAD_ADDRESS);
        }
        Optional<java.net.URI> redirect = settings.redirectUrl(m.homeServer());
        if (redirect.isPresent()) {
            return AutodiscoverResponse.redirect(Account.redirectUrl(redirect.get().toString()));
        }
        Optional<ExchangeServer> server = directory.server(m.homeServer()).map(this::clientAccess);
        if (server.isEmpty()) {
            return error(ErrorCode.MAILBOX_SERVER_NOT_FOUND);
        }
        List<Protocol> protocols = new ArrayList<>(3);
        if (m.mapiEnabled()) {
            protocols.add(exch(server.get()));
            if (!m.blockRpcHttp()) {
                expr(server.get(), caps).ifPresent(protocols::add);
            }
        }
        protocols.add(Protocol.builder(ProtocolType.WEB).build());
        User user = User.of(m.displayName(), m.legacyExchangeDn(), m.primarySmtpAddress());
        return AutodiscoverResponse.settings(user, Account.settings(protocols));
    }

    /**
     * The server clients connect to for a mailbox on {@code home}: {@code home} itself when it has the Client Access
     * role (an RPC virtual directory), else the first Exchange server of the site that has one, as Exchange 2010 sets a
     * database's RpcClientAccessServer to a Client Access server of its site; {@code home} when none has.
     */
    private ExchangeServer clientAccess(ExchangeServer home) {
        if (directory.rpcVirtualDirectory(home.name()).isPresent()) {
            return home;
        }
        return directory.servers().stream().filter(ExchangeServer::exchange)
                .filter(s -> directory.rpcVirtualDirectory(s.name()).isPresent()).findFirst().orElse(home);
    }

    /** EXCH: the RPC client access server of the mailbox, as Exchange 2010 writes it without a CAS array. */
    private Protocol exch(ExchangeServer server) {
        Protocol.Builder b = Protocol.builder(ProtocolType.EXCH)
                .server(server.fqdn())
                .serverDn(new SiteLayout(directory.site()).legacyServerDn(server.name()))
                .serverVersion(SERVER_VERSION);
        directory.servers().stream().filter(s -> !s.exchange()).findFirst().ifPresent(dc -> b.ad(dc.fqdn()));
        OutlookProvider p = directory.provider("EXCH").orElse(OutlookProvider.defaults("EXCH"));
        ttl(b, p);
        b.serverExclusiveConnect(false);
        p.certPrincipalName().filter(s -> !s.isEmpty()).ifPresent(b::certPrincipalName);
        return b.build();
    }

    /**
     * EXPR, when Outlook Anywhere is enabled for the server: Server is ExternalHostname (else InternalHostname, as
     * Exchange falls back), SSL the URL's scheme, AuthPackage per {@link AuthPackageRule} for this caller.
     */
    private Optional<Protocol> expr(ExchangeServer server, ClientCapabilities caps) {
        Optional<RpcHttpVirtualDirectory> found = directory.rpcVirtualDirectory(server.name());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RpcHttpVirtualDirectory v = found.get();
        Optional<String> host = v.externalHostname();
        boolean ssl = v.externalClientsRequireSsl();
        Optional<AuthMethod> configured = v.externalClientAuthenticationMethod().method().map(AUTH_METHODS::get);
        if (host.isEmpty()) {
            host = v.internalHostname();
            ssl = v.internalClientsRequireSsl();
            configured = Optional.of(INTERNAL_CLIENT_AUTH_DEFAULT);
        }
        if (host.isEmpty()) {
            return Optional.empty();
        }
        Optional<AuthPackage> auth = AuthPackageRule.choose(configured, iisMethods(v), ssl, caps);
        Protocol.Builder b = Protocol.builder(ProtocolType.EXPR).server(host.get()).ssl(ssl).authPackage(auth);
        OutlookProvider p = directory.provider("EXPR").orElse(OutlookProvider.defaults("EXPR"));
        ttl(b, p);
        b.serverExclusiveConnect(true);
        if (!ssl) {
            b.certPrincipalName("None"); // Exchange forces None when SSL is Off
        } else {
            p.certPrincipalName().filter(s -> !s.isEmpty()).ifPresent(b::certPrincipalName);
        }
        return Optional.of(b.build());
    }

    private static void ttl(Protocol.Builder b, OutlookProvider p) {
        if (p.ttlHours() != OutlookProvider.DEFAULT_TTL_HOURS) {
            b.ttl(p.ttlHours());
        }
    }

    /** The directory's flag names mapped once to the rule's names (same cmdlet spellings). */
    private static final Map<AuthenticationMethod, AuthMethod> AUTH_METHODS = authMethods();

    private static Map<AuthenticationMethod, AuthMethod> authMethods() {
        Map<AuthenticationMethod, AuthMethod> m = new EnumMap<>(AuthenticationMethod.class);
        for (AuthenticationMethod a : AuthenticationMethod.values()) {
            AuthMethod.parse(a.cmdletName()).ifPresent(x -> m.put(a, x));
        }
        return m;
    }

    private static Set<AuthMethod> iisMethods(RpcHttpVirtualDirectory v) {
        Set<AuthMethod> out = EnumSet.noneOf(AuthMethod.class);
        for (AuthenticationMethod m : v.iisAuthenticationMethods()) {
            AuthMethod x = AUTH_METHODS.get(m);
            if (x != null) {
                out.add(x);
            }
        }
        return out;
    }

    static String serverVersion(int major, int minor, int build) {
        int v = 0x70000000 | (major & 0x3f) << 22 | (minor & 0x3f) << 16 | 0x8000 | (build & 0x7fff);
        return String.format(Locale.ROOT, "%08X", v);
    }
}
