/**
 * The discovering client of [MS-OXDISCO] as Outlook runs it: SCP lookup in the directory, the two HTTPS candidates,
 * the unauthenticated HTTP GET redirect (302 only, with consent), DNS SRV, and POX redirects (at most 10), each step
 * switchable off like Outlook's {@code Exclude*} policy values.
 *
 * <p>{@link dev.anywhere.autodiscover.discovery.AutodiscoverClient#discover(DiscoveryOptions)} returns a
 * {@link dev.anywhere.autodiscover.discovery.DiscoveryResult}: the accepted response, or the failure, plus every
 * {@link dev.anywhere.autodiscover.discovery.Attempt} with its DNS answer, TCP and TLS facts, HTTP transcript (secrets
 * redacted), elapsed time and why it was accepted or skipped — data the analyzer renders.
 *
 * <p>Stability: public API of the autodiscover module.
 *
 * @see <a href="https://learn.microsoft.com/en-us/openspecs/exchange_server_protocols/ms-oxdisco/">[MS-OXDISCO]</a>
 */
package dev.anywhere.autodiscover.discovery;
