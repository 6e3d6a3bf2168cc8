/**
 * The lab's authoritative DNS server: the provider's public zone ({@code frankysweb.org}) and DC1's internal zone
 * ({@code frankysweb.local}), served over UDP and TCP on loopback.
 *
 * <p>The wire format is dnsjava's ({@link org.xbill.DNS.Message}); the sockets are Netty's. {@link
 * dev.anywhere.lab.dns.DnsResponder} turns query bytes into response bytes without any I/O and holds all protocol
 * decisions; {@link dev.anywhere.lab.dns.DnsServer} only binds the channels. Zones are declared as {@link
 * dev.anywhere.lab.dns.ZoneModel}s (or read from RFC 1035 master files) and grouped in an immutable {@link
 * dev.anywhere.lab.dns.ZoneSet} that a running server swaps atomically, which is how fault scenarios such as
 * {@code dns-missing-oa} take effect.
 *
 * <p>Supported: A, AAAA, CNAME (chased inside the zone), SRV, SOA, NS, TXT and any other type a master file
 * declares; NXDOMAIN and NODATA with the SOA in the authority section (RFC 2308); REFUSED outside the served zones;
 * referrals below zone cuts; EDNS(0) payload size (RFC 6891); truncation over UDP (RFC 1035 4.2.1, RFC 2181 9).
 * Not supported: zone transfers (AXFR/IXFR are REFUSED), DNSSEC, dynamic update (NOTIMP), recursion.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1035">RFC 1035 Domain names - implementation and specification</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2181">RFC 2181 Clarifications to the DNS Specification</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc2782">RFC 2782 A DNS RR for specifying the location of services</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6891">RFC 6891 Extension Mechanisms for DNS (EDNS(0))</a>
 */
package dev.anywhere.lab.dns;
