package dev.anywhere.server.gateway;

import java.util.List;
import java.util.Set;

/**
 * The protocol versions and cipher suites the gateway's TLS offers, applied by {@link TlsEngine} to BoringSSL and to
 * the JDK alike. The default follows Mozilla's "intermediate" server profile without its DHE suites: TLS 1.3, and
 * TLS 1.2 with ECDHE key exchange and AEAD ciphers only, so no static-RSA key exchange (no forward secrecy) and no
 * CBC-SHA1 suites (Lucky 13 and the like).
 *
 * @param protocols JSSE names: {@code TLSv1.3}, {@code TLSv1.2} (and, if ever wanted, {@code TLSv1.1}, {@code TLSv1})
 * @param cipherSuites IANA names as the JDK spells them, TLS 1.3's and TLS 1.2's in one list, in preference order.
 *        BoringSSL has no switch for the TLS 1.3 suites: it always offers its three (the default's three)
 * @param sessionTickets whether the gateway issues session tickets (TLS 1.3 NewSessionTicket after the handshake, the
 *        TLS 1.2 ticket extension). Off by default: Samba's RPC over HTTP client (4.17) stalls when a NewSessionTicket
 *        arrives after the TLS 1.3 handshake, and Outlook's long-lived channels reconnect too rarely for resumption to
 *        matter (docs/standards.md, "TLS session tickets"; measured in docs/performance.md). TLS 1.2 session-ID
 *        resumption is unaffected.
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9325">RFC 9325</a> (BCP 195: TLS 1.2 with ECDHE and AEAD, TLS 1.3)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8446#section-4.6.1">RFC 8446 4.6.1</a> (NewSessionTicket)
 */
public record TlsPolicy(List<String> protocols, List<String> cipherSuites, boolean sessionTickets) {

    private static final Set<String> PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");

    public TlsPolicy {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        if (protocols.isEmpty()) {
            throw new dev.anywhere.rpc.input.InvalidValue("tls.no-protocols", "", "TLS protocols: none given (expected: TLSv1.3, TLSv1.2)");
        }
        for (String p : protocols) {
            if (!PROTOCOLS.contains(p)) {
                throw new dev.anywhere.rpc.input.InvalidValue("tls.protocol", p, "TLS protocol: " + p + " (expected: TLSv1.3, TLSv1.2, TLSv1.1 or TLSv1)");
            }
        }
        if (cipherSuites.isEmpty()) {
            throw new dev.anywhere.rpc.input.InvalidValue("tls.no-ciphers", "", "TLS cipher suites: none given");
        }
    }

    /** Without session tickets (the default). */
    public TlsPolicy(List<String> protocols, List<String> cipherSuites) {
        this(protocols, cipherSuites, false);
    }

    /** The same protocols and suites, with session tickets on or off. */
    public TlsPolicy withSessionTickets(boolean on) {
        return new TlsPolicy(protocols, cipherSuites, on);
    }

    /** TLS 1.3 and 1.2; ECDHE with AES-GCM or ChaCha20-Poly1305 for 1.2. */
    public static TlsPolicy intermediate() {
        return new TlsPolicy(List.of("TLSv1.3", "TLSv1.2"), List.of(
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
    }

    /** From comma-separated lists (the {@code anywhere gateway} flags); an empty text keeps the default's list. */
    public static TlsPolicy parse(String protocols, String cipherSuites) {
        TlsPolicy d = intermediate();
        return new TlsPolicy(protocols == null || protocols.isBlank() ? d.protocols() : split(protocols),
                cipherSuites == null || cipherSuites.isBlank() ? d.cipherSuites() : split(cipherSuites));
    }

    private static List<String> split(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
