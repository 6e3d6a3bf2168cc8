package dev.anywhere.analyzer.checks;

import dev.anywhere.analyzer.text.Messages;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one connection behind the public name answered, reduced to what every member of an array must answer alike:
 * the certificate, the {@code Server} header and the authentication schemes offered on /rpc/rpcproxy.dll.
 *
 * @param address the member's address when dialled directly (inside, {@code --member}); empty through the balancer
 * @param certificate the leaf certificate; empty over plain HTTP
 * @param serverHeader the {@code Server} header; empty when none was sent
 * @param schemes the schemes of the anonymous 401's WWW-Authenticate headers, in the order offered
 */
public record MemberAnswer(Optional<String> address, Optional<X509Certificate> certificate, Optional<String> serverHeader,
        List<String> schemes) {

    public MemberAnswer {
        schemes = List.copyOf(schemes);
    }

    /** SHA-256 of the certificate, the identity the comparison uses (two renewals may share subject and names). */
    public String fingerprint() {
        return certificate.map(MemberAnswer::sha256).orElse("");
    }

    /**
     * What a client's validation depends on: subject, issuer, names and whether the certificate is valid at {@code now}.
     * Members may each hold their own certificate (own key, own serial); that alone changes nothing for a client.
     */
    public String certificateIdentity(Instant now) {
        return certificate.map(c -> c.getSubjectX500Principal().getName() + "|" + c.getIssuerX500Principal().getName() + "|"
                + CertificateEvaluation.dnsNames(c).stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).sorted().toList() + "|"
                + (c.getNotAfter().toInstant().isBefore(now) ? "expired" : c.getNotBefore().toInstant().isAfter(now) ? "not-yet-valid" : "valid"))
                .orElse("");
    }

    /** Subject, serial, expiry and names: enough for an administrator to find the certificate on the member. */
    public String describeCertificate(Messages text) {
        if (certificate.isEmpty()) {
            return text.get("detail.member.no-certificate");
        }
        X509Certificate c = certificate.get();
        return text.get("detail.member.certificate", Map.of("subject", c.getSubjectX500Principal().getName(), "serial",
                c.getSerialNumber().toString(16), "notAfter", c.getNotAfter().toInstant().toString(), "names",
                String.join(", ", CertificateEvaluation.dnsNames(c)), "fingerprint", fingerprint().substring(0, 16)));
    }

    /** Whether the certificate has expired at {@code now}. */
    public boolean expired(Instant now) {
        return certificate.map(c -> c.getNotAfter().toInstant().isBefore(now)).orElse(false);
    }

    /**
     * The member as an administrator can find it: its address when known (inside), else what it presented — the
     * certificate's subject and serial and its {@code Server} header (outside, through the balancer).
     */
    public String member(Messages text) {
        String presented = text.get("detail.member.presented", Map.of("subject", certificate.map(c -> c.getSubjectX500Principal().getName())
                .orElse("-"), "serial", certificate.map(c -> c.getSerialNumber().toString(16)).orElse("-"), "server",
                serverHeader.orElse(text.get("detail.unnamed-server"))));
        return address.map(a -> a + " (" + presented + ")").orElse(presented);
    }

    /** Whether {@code scheme} is offered; NTLM also by Negotiate, which falls back to it. */
    public boolean offers(String scheme) {
        return schemes.stream().anyMatch(s -> s.equalsIgnoreCase(scheme) || scheme.equalsIgnoreCase("NTLM") && s.equalsIgnoreCase("Negotiate"));
    }

    /** The offered schemes as a sentence fragment. */
    public String describeSchemes(Messages text) {
        return schemes.isEmpty() ? text.get("detail.nothing") : String.join(", ", schemes);
    }

    private static String sha256(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            // Every JDK has SHA-256, and a certificate the handshake parsed encodes again.
            throw new IllegalStateException(e);
        }
    }
}
