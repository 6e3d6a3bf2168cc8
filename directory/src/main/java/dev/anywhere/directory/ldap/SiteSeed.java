package dev.anywhere.directory.ldap;

import dev.anywhere.directory.SiteInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a fresh directory is seeded with: the default site of docs/architecture.md §1 (frankysweb.local, organisation First
 * Organization, SMTP domain frankysweb.org, servers DC1 and EX1, providers EXCH/EXPR/WEB, users) and the passwords the
 * caller chose. Users without a password in {@link #passwords()} get none and cannot bind.
 *
 * @param site the site's identity
 * @param passwords sAMAccountName (case-insensitive) to password; {@code svc-anywhere} is the service bind
 * @param outlookAnywhere whether EX1 starts with its {@code Rpc (Default Web Site)} object (Outlook Anywhere enabled)
 */
public record SiteSeed(SiteInfo site, Map<String, String> passwords, boolean outlookAnywhere) {

    /** The default site's identity. */
    public static final SiteInfo FRANKYSWEB = new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization",
            "frankysweb.org");
    /** sAMAccountName of the service account whose DN is the privileged bind. */
    public static final String SERVICE_ACCOUNT = "svc-anywhere";
    /** The seeded users, by sAMAccountName. */
    public static final List<String> USERS = List.of(SERVICE_ACCOUNT, "Administrator", "franky", "hanna", "max");

    public SiteSeed {
        Objects.requireNonNull(site, "site");
        Map<String, String> copy = new HashMap<>();
        passwords.forEach((k, v) -> copy.put(k.toLowerCase(java.util.Locale.ROOT), Objects.requireNonNull(v, k)));
        passwords = Map.copyOf(copy);
    }

    /** The default site with one password for every seeded user (lab and tests). */
    public static SiteSeed frankysweb(String password) {
        Map<String, String> all = new HashMap<>();
        USERS.forEach(u -> all.put(u, password));
        return new SiteSeed(FRANKYSWEB, all, true);
    }

    /** The default site with per-user passwords. */
    public static SiteSeed frankysweb(Map<String, String> passwords) {
        return new SiteSeed(FRANKYSWEB, passwords, true);
    }

    public Optional<String> password(String samAccountName) {
        return Optional.ofNullable(passwords.get(samAccountName.toLowerCase(java.util.Locale.ROOT)));
    }

    /** {@code CN=svc-anywhere,CN=Users,DC=frankysweb,DC=local}: the service's privileged bind. */
    public String serviceBindDn() {
        return new SiteLayout(site).userDn(SERVICE_ACCOUNT);
    }

    /** {@code CN=Administrator,CN=Users,...}: also privileged, as a domain admin is. */
    public String administratorDn() {
        return new SiteLayout(site).userDn("Administrator");
    }

    /** Never prints passwords. */
    @Override
    public String toString() {
        return "SiteSeed[site=" + site.dnsDomain() + ", users with passwords=" + passwords.keySet() + ", outlookAnywhere="
                + outlookAnywhere + "]";
    }
}
