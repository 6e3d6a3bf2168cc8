package dev.anywhere.autodiscover.discovery;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the TLS handshake showed.
 *
 * @param protocol negotiated protocol (e.g. {@code TLSv1.3}); empty if the handshake failed
 * @param cipherSuite negotiated cipher suite; empty if the handshake failed
 * @param peerCertificates the chain the server presented, leaf first (recorded even when validation failed)
 * @param handshakeMillis time from TCP connected to handshake done or failed
 * @param failure why the handshake failed, if it did
 */
public record TlsInfo(Optional<String> protocol, Optional<String> cipherSuite, List<X509Certificate> peerCertificates,
        long handshakeMillis, Optional<String> failure) {

    public TlsInfo {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        peerCertificates = List.copyOf(peerCertificates);
        Objects.requireNonNull(failure, "failure");
    }
}
