package dev.anywhere.autodiscover.discovery;

/**
 * How a candidate URL was found, in Outlook's order. Each method except {@link #REDIRECT} can be excluded like
 * Outlook's {@code HKCU\Software\Policies\Microsoft\Office\<ver>\Outlook\AutoDiscover\Exclude*} values.
 *
 * @see [MS-OXDISCO] 3.1.5 Message Processing Events and Sequencing Rules
 */
public enum DiscoveryMethod {
    /** Service connection point in the directory ({@code ExcludeScpLookup}). */
    SCP,
    /** {@code https://<domain>/autodiscover/autodiscover.xml} ({@code ExcludeHttpsRootDomain}). */
    HTTPS_ROOT_DOMAIN,
    /** {@code https://autodiscover.<domain>/autodiscover/autodiscover.xml} ({@code ExcludeHttpsAutoDiscoverDomain}). */
    HTTPS_AUTODISCOVER_DOMAIN,
    /** Unauthenticated GET to {@code http://autodiscover.<domain>/…} answered by 302 ({@code ExcludeHttpRedirect}). */
    HTTP_REDIRECT,
    /** DNS SRV {@code _autodiscover._tcp.<domain>} ({@code ExcludeSrvRecord}). */
    SRV_RECORD,
    /** A redirection named by a server: HTTP 302 on POST, {@code RedirectUrl} or {@code RedirectAddr}. */
    REDIRECT
}
