package dev.anywhere.directory.embedded;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedCompareRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedDeleteRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedExtendedRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyDNRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSASLBindResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.anywhere.directory.ldap.AdNames;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access control for the embedded server, in the spirit of AD's defaults and of the slapd {@code olcAccess} rules the
 * test harness installs:
 *
 * <ul>
 *   <li>{@code userPassword} and {@code sambaNTPassword} are returned, compared and usable in filters only for the
 *       privileged binds (the service account, Administrator, the internal seeding account);
 *   <li>{@code cn=changelog} records lose their {@code changes} / {@code deletedEntryAttrs} values (which would carry
 *       those hashes) for everyone else;
 *   <li>only privileged binds write (add, modify, delete, rename, password modify);
 *   <li>anonymous binds read the root DSE and the schema only, as in AD (where "Authenticated Users" read the rest).
 * </ul>
 *
 * The in-memory server has no ACIs, so the bind identity of each connection is tracked from bind results.
 */
final class SecretAttributeGuard extends InMemoryOperationInterceptor {

    private static final String PASSWORD_MODIFY_OID = "1.3.6.1.4.1.4203.1.11.1";
    private static final Set<String> CHANGELOG_SECRETS = Set.of("changes", "deletedentryattrs");

    private final Set<DN> privileged;
    private final DN changelog;
    private final Map<Long, DN> boundAs = new ConcurrentHashMap<>();

    SecretAttributeGuard(Set<DN> privileged) {
        this.privileged = Set.copyOf(privileged);
        try {
            this.changelog = new DN("cn=changelog");
        } catch (LDAPException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void processSimpleBindResult(InMemoryInterceptedSimpleBindResult bind) {
        if (bind.getResult().getResultCode() == ResultCode.SUCCESS && !bind.getRequest().getBindDN().isEmpty()) {
            try {
                boundAs.put(bind.getConnectionID(), new DN(bind.getRequest().getBindDN()));
                return;
            } catch (LDAPException e) {
                // fall through: treat as anonymous
            }
        }
        boundAs.remove(bind.getConnectionID());
    }

    @Override
    public void processSASLBindResult(InMemoryInterceptedSASLBindResult bind) {
        boundAs.remove(bind.getConnectionID());
    }

    @Override
    public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
        if (!boundAs.containsKey(request.getConnectionID()) && !publicBase(request.getRequest().getBaseDN())) {
            throw denied("anonymous search below the root DSE");
        }
        if (!privileged(request) && mentionsSecret(request.getRequest().getFilter())) {
            throw denied("search filter on a protected attribute");
        }
    }

    @Override
    public void processSearchEntry(InMemoryInterceptedSearchEntry result) {
        if (privileged(result.getConnectionID())) {
            return;
        }
        SearchResultEntry entry = result.getSearchEntry();
        boolean inChangelog;
        try {
            inChangelog = entry.getParsedDN().isDescendantOf(changelog, true);
        } catch (LDAPException e) {
            inChangelog = false;
        }
        Entry copy = entry.duplicate();
        boolean changed = false;
        for (com.unboundid.ldap.sdk.Attribute a : entry.getAttributes()) {
            String base = a.getBaseName().toLowerCase(Locale.ROOT);
            if (AdNames.SECRET_ATTRIBUTES.contains(base) || (inChangelog && CHANGELOG_SECRETS.contains(base))) {
                copy.removeAttribute(a.getName());
                changed = true;
            }
        }
        if (changed) {
            result.setSearchEntry(copy);
        }
    }

    @Override
    public void processCompareRequest(InMemoryInterceptedCompareRequest request) throws LDAPException {
        String attribute = request.getRequest().getAttributeName().toLowerCase(Locale.ROOT);
        if (!privileged(request) && AdNames.SECRET_ATTRIBUTES.contains(attribute.split(";")[0])) {
            throw denied("compare on a protected attribute");
        }
    }

    @Override
    public void processAddRequest(InMemoryInterceptedAddRequest request) throws LDAPException {
        requirePrivileged(request, "add");
    }

    @Override
    public void processModifyRequest(InMemoryInterceptedModifyRequest request) throws LDAPException {
        requirePrivileged(request, "modify");
    }

    @Override
    public void processDeleteRequest(InMemoryInterceptedDeleteRequest request) throws LDAPException {
        requirePrivileged(request, "delete");
    }

    @Override
    public void processModifyDNRequest(InMemoryInterceptedModifyDNRequest request) throws LDAPException {
        requirePrivileged(request, "modify DN");
    }

    @Override
    public void processExtendedRequest(InMemoryInterceptedExtendedRequest request) throws LDAPException {
        if (PASSWORD_MODIFY_OID.equals(request.getRequest().getOID())) {
            requirePrivileged(request, "password modify");
        }
    }

    private void requirePrivileged(InMemoryInterceptedRequest request, String operation) throws LDAPException {
        if (!privileged(request)) {
            throw denied(operation + " by a non-privileged bind");
        }
    }

    private boolean privileged(InMemoryInterceptedRequest request) {
        return privileged(request.getConnectionID());
    }

    private boolean privileged(long connectionId) {
        DN dn = boundAs.get(connectionId);
        return dn != null && privileged.contains(dn);
    }

    private static boolean publicBase(String base) {
        try {
            DN dn = new DN(base);
            return dn.isNullDN() || dn.equals(new DN("cn=schema")) || dn.equals(new DN("cn=subschema"));
        } catch (LDAPException e) {
            return false;
        }
    }

    private static boolean mentionsSecret(Filter filter) {
        if (filter.getAttributeName() != null
                && AdNames.SECRET_ATTRIBUTES.contains(filter.getAttributeName().toLowerCase(Locale.ROOT).split(";")[0])) {
            return true;
        }
        for (Filter component : filter.getComponents()) {
            if (mentionsSecret(component)) {
                return true;
            }
        }
        return filter.getNOTComponent() != null && mentionsSecret(filter.getNOTComponent());
    }

    private static LDAPException denied(String what) {
        return new LDAPException(ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
                what + ": insufficient access rights (expected: the service's privileged bind)");
    }
}
