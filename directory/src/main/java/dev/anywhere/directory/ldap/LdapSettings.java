package dev.anywhere.directory.ldap;

import dev.anywhere.directory.SiteInfo;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * How to reach the site's directory: {@code ldap://host:port} or {@code ldaps://host:port}, the service's bind DN and
 * password (from a file or an environment variable; never logged, and {@link #toString()} redacts it), and timing.
 *
 * @param url {@code ldap://} or {@code ldaps://} with host and optional port (389 / 636)
 * @param bindDn the service's privileged bind, e.g. {@code CN=svc-anywhere,CN=Users,DC=frankysweb,DC=local}
 * @param password the bind password
 * @param site the site whose objects live there
 * @param timeout connect and response timeout
 * @param sslSocketFactory for ldaps; empty means the JVM's default trust
 * @param changelogInterval how often a {@code cn=changelog} is polled when that is the best change mechanism
 * @param pollingInterval how often the configuration is re-read when the server offers no change mechanism
 */
public record LdapSettings(URI url, String bindDn, String password, SiteInfo site, Duration timeout,
        Optional<SSLSocketFactory> sslSocketFactory, Duration changelogInterval, Duration pollingInterval) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CHANGELOG_INTERVAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(5);

    public LdapSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(bindDn, "bindDn");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(sslSocketFactory, "sslSocketFactory");
        Objects.requireNonNull(changelogInterval, "changelogInterval");
        Objects.requireNonNull(pollingInterval, "pollingInterval");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ldap") && !scheme.equals("ldaps")) {
            throw new IllegalArgumentException("directory url scheme: " + url.getScheme() + " (expected: ldap or ldaps)");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("directory url host: none in " + url + " (expected: ldap://host:port)");
        }
    }

    /** Settings with default timing and the JVM's trust for ldaps. */
    public static LdapSettings of(URI url, String bindDn, String password, SiteInfo site) {
        return new LdapSettings(url, bindDn, password, site, DEFAULT_TIMEOUT, Optional.empty(),
                DEFAULT_CHANGELOG_INTERVAL, DEFAULT_POLLING_INTERVAL);
    }

    public boolean ldaps() {
        return url.getScheme().equalsIgnoreCase("ldaps");
    }

    public String host() {
        String host = url.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    public int port() {
        return url.getPort() > 0 ? url.getPort() : ldaps() ? 636 : 389;
    }

    public LdapSettings withTimeout(Duration value) {
        return new LdapSettings(url, bindDn, password, site, value, sslSocketFactory, changelogInterval, pollingInterval);
    }

    public LdapSettings withSslSocketFactory(SSLSocketFactory value) {
        return new LdapSettings(url, bindDn, password, site, timeout, Optional.of(value), changelogInterval, pollingInterval);
    }

    public LdapSettings withPollingInterval(Duration value) {
        return new LdapSettings(url, bindDn, password, site, timeout, sslSocketFactory, changelogInterval, value);
    }

    public LdapSettings withChangelogInterval(Duration value) {
        return new LdapSettings(url, bindDn, password, site, timeout, sslSocketFactory, value, pollingInterval);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "LdapSettings[url=" + url + ", bindDn=" + bindDn + ", password=<redacted>, site=" + site.dnsDomain()
                + ", timeout=" + timeout + "]";
    }
}
