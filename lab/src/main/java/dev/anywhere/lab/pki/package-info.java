/**
 * The lab's certificate authority: a root (optionally an intermediate) that issues EX1's TLS server certificate,
 * healthy or with one of the faults Outlook Anywhere administrators meet in the field ({@link
 * dev.anywhere.lab.pki.CertificateFault}), and {@link dev.anywhere.lab.pki.CertificateInfo}, the description of a
 * certificate chain that {@code anywhere cert show FILE|HOST:PORT} prints.
 *
 * <p>Certificates are built with Bouncy Castle's bcpkix and signed through the JDK's providers; files are PEM
 * (certificate chain, PKCS#8 private key, trust bundle) and PKCS#12, the forms Netty's {@code SslContextBuilder},
 * OpenSSL and the JDK {@link java.security.KeyStore} read.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5280">RFC 5280 Internet X.509 PKI Certificate and CRL Profile</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7468">RFC 7468 Textual Encodings of PKIX Structures (PEM)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6125">RFC 6125 Server identity in TLS (host name checks)</a>
 */
package dev.anywhere.lab.pki;
