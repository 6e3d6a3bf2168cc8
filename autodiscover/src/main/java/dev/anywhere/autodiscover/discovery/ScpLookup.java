package dev.anywhere.autodiscover.discovery;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds Autodiscover URLs in service connection points: reads {@code configurationNamingContext} from the root DSE,
 * searches it for {@code serviceConnectionPoint} objects whose {@code keywords} carry the Autodiscover GUIDs, and
 * orders URL SCPs in-site first, then unscoped, then other sites.
 *
 * <p>Pointer SCPs: one with {@code Domain=<user's domain>} restarts the search in the directory its
 * {@code serviceBindingInformation} names; one without any {@code Domain=} is followed only when no URL SCP was found;
 * at most {@value #MAX_POINTER_HOPS} hops.
 *
 * @see [MS-OXDISCO] 3.1.5 Message Processing Events and Sequencing Rules (SCP lookup)
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/exchange-web-services/how-to-find-autodiscover-endpoints-by-using-scp-lookup-in-exchange">Find Autodiscover endpoints by using SCP lookup</a>
 */
final class ScpLookup {

    /** {@code keywords} value of an SCP whose {@code serviceBindingInformation} is an Autodiscover URL. */
    static final String URL_SCP_GUID = "77378F46-2C66-4aa9-A6A6-3E7A48B19596";
    /** {@code keywords} value of an SCP that points to another directory. */
    static final String POINTER_SCP_GUID = "67661d7F-8FC4-4fa7-BFAC-E1D7794C1F68";

    static final int MAX_POINTER_HOPS = 3;

    private static final Pattern LDAP_URL = Pattern.compile("(?i)ldaps?://([^/:]+)(?::(\\d+))?(?:/.*)?");

    /** The URLs found, in the order to try them, and a one-line summary for the attempt. */
    record Found(List<String> urls, AttemptReason summary) {
    }

    private ScpLookup() {
    }

    /** Host-name resolution for directory servers, so {@code --resolve} and the chosen DNS server apply. */
    @FunctionalInterface
    interface Resolver {
        NameResolver.Resolved resolve(String host, int port) throws StepFailure;
    }

    static Found lookup(ScpSettings scp, String userDomain, Resolver resolver, long timeoutMillis)
            throws StepFailure {
        return search(scp, scp.host(), scp.port(), userDomain.toLowerCase(Locale.ROOT), resolver, timeoutMillis, 0);
    }

    private static Found search(ScpSettings scp, String host, int port, String userDomain, Resolver resolver,
            long timeoutMillis, int hop) throws StepFailure {
        LDAPConnectionOptions opts = new LDAPConnectionOptions();
        opts.setConnectTimeoutMillis((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
        opts.setResponseTimeoutMillis(timeoutMillis);
        String where = "ldap://" + host + ":" + port;
        List<String> inSite = new ArrayList<>();
        List<String> unscoped = new ArrayList<>();
        List<String> otherSite = new ArrayList<>();
        List<String> domainPointers = new ArrayList<>();
        List<String> unscopedPointers = new ArrayList<>();
        int otherPointers = 0;
        String configNc;
        NameResolver.Resolved address = resolver.resolve(host, port);
        try (LDAPConnection c = new LDAPConnection(opts, address.address().getAddress().getHostAddress(), port)) {
            if (scp.bindDn().isPresent()) {
                c.bind(scp.bindDn().get(), scp.bindPassword().orElse(""));
            }
            RootDSE root = c.getRootDSE();
            configNc = root == null ? null : root.getAttributeValue("configurationNamingContext");
            if (configNc == null) {
                throw new StepFailure(AttemptReason.of(AttemptReason.Key.SCP_NO_CONFIG, "where", where));
            }
            SearchRequest req = new SearchRequest(configNc, SearchScope.SUB,
                    Filter.createEqualityFilter("objectClass", "serviceConnectionPoint"), "keywords",
                    "serviceBindingInformation");
            req.setTimeLimitSeconds((int) Math.max(1, timeoutMillis / 1000));
            SearchResult result = c.search(req);
            String site = scp.clientSite().map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
            for (SearchResultEntry e : result.getSearchEntries()) {
                String[] kw = e.getAttributeValues("keywords");
                String binding = e.getAttributeValue("serviceBindingInformation");
                if (kw == null || binding == null || binding.isBlank()) {
                    continue;
                }
                boolean url = false;
                boolean pointer = false;
                List<String> sites = new ArrayList<>();
                List<String> domains = new ArrayList<>();
                for (String k : kw) {
                    // AD compares keywords case-insensitively; the GUIDs themselves are published in mixed case.
                    if (k.equalsIgnoreCase(URL_SCP_GUID)) {
                        url = true;
                    } else if (k.equalsIgnoreCase(POINTER_SCP_GUID)) {
                        pointer = true;
                    } else if (k.regionMatches(true, 0, "Site=", 0, 5)) {
                        sites.add(k.substring(5).toLowerCase(Locale.ROOT));
                    } else if (k.regionMatches(true, 0, "Domain=", 0, 7)) {
                        domains.add(k.substring(7).toLowerCase(Locale.ROOT));
                    }
                }
                if (url) {
                    if (sites.isEmpty()) {
                        unscoped.add(binding.trim());
                    } else if (site != null && sites.contains(site)) {
                        inSite.add(binding.trim());
                    } else {
                        otherSite.add(binding.trim());
                    }
                } else if (pointer) {
                    if (domains.contains(userDomain)) {
                        domainPointers.add(binding.trim());
                    } else if (domains.isEmpty()) {
                        unscopedPointers.add(binding.trim());
                    } else {
                        otherPointers++;
                    }
                }
            }
        } catch (LDAPException e) {
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.SCP_LDAP, "where", where, "code", e.getResultCode(), "detail",
                    AttemptReason.cause(e)), e);
        }
        // A pointer for the user's domain wins over local URL SCPs: the mailbox lives in that other forest.
        if (!domainPointers.isEmpty()) {
            Optional<Found> via = follow(scp, domainPointers.get(0), userDomain, resolver, timeoutMillis, hop,
                    AttemptReason.of(AttemptReason.Key.SCP_POINTER_FOR, "domain", userDomain));
            if (via.isPresent()) {
                return via.get();
            }
        }
        List<String> ordered = new ArrayList<>(inSite);
        ordered.addAll(unscoped);
        ordered.addAll(otherSite);
        if (ordered.isEmpty() && !unscopedPointers.isEmpty()) {
            Optional<Found> via = follow(scp, unscopedPointers.get(0), userDomain, resolver, timeoutMillis, hop,
                    AttemptReason.of(AttemptReason.Key.SCP_UNSCOPED_POINTER));
            if (via.isPresent()) {
                return via.get();
            }
        }
        int ignored = otherPointers + Math.max(0, domainPointers.size() - 1)
                + (ordered.isEmpty() ? Math.max(0, unscopedPointers.size() - 1) : unscopedPointers.size());
        AttemptReason summary = AttemptReason.of(AttemptReason.Key.SCP_FOUND, "count", ordered.size(), "configNc", configNc, "where", where, "inSite",
                inSite.size(), "site", scp.clientSite().orElse(null), "unscoped", unscoped.size(), "otherSites", otherSite.size(),
                "ignored", ignored > 0 ? AttemptReason.of(AttemptReason.Key.SCP_IGNORED, "count", ignored) : "");
        return new Found(ordered, summary);
    }

    /** Restarts the search in the directory a pointer names; empty when the hop budget is spent. */
    private static Optional<Found> follow(ScpSettings scp, String binding, String userDomain, Resolver resolver,
            long timeoutMillis, int hop, AttemptReason what) throws StepFailure {
        if (hop >= MAX_POINTER_HOPS) {
            return Optional.empty();
        }
        Matcher m = LDAP_URL.matcher(binding);
        if (!m.matches()) {
            throw new StepFailure(AttemptReason.of(AttemptReason.Key.SCP_BAD_BINDING, "what", what, "binding", binding));
        }
        int port = m.group(2) == null ? 389 : Integer.parseInt(m.group(2));
        Found inner = search(scp, m.group(1), port, userDomain, resolver, timeoutMillis, hop + 1);
        return Optional.of(new Found(inner.urls(), AttemptReason.of(AttemptReason.Key.SCP_VIA, "what", what, "inner", inner.summary())));
    }
}
