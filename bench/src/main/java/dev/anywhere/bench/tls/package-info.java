/**
 * The benchmark's TLS pieces: the same TLS 1.3 suite (TLS_AES_128_GCM_SHA256), group (X25519) and certificate (RSA
 * 2048 for oa.bench.local and autodiscover.bench.local, signed by a bench CA) for nginx and for the gateway.
 *
 * <ul>
 *   <li>{@link dev.anywhere.bench.tls.TlsMaterial}: creates or loads the CA and certificate (PEM files for nginx),
 *       builds the server and client {@code SslContext}s for either provider (JDK, or OPENSSL = netty-tcnative
 *       BoringSSL);</li>
 *   <li>{@link dev.anywhere.bench.tls.HandshakeRate}: full handshakes per second (no resumption) with C connections,
 *       HdrHistogram of connect+handshake time;</li>
 *   <li>{@link dev.anywhere.bench.tls.TlsGateway}: endpoints + a TLS gateway, in this JVM or as a (pinned) child JVM;</li>
 *   <li>{@link dev.anywhere.bench.tls.TlsRecordThroughput}: the SslHandler's per-byte record cost and per-handshake
 *       CPU per provider, socket-free;</li>
 *   <li>{@link dev.anywhere.bench.tls.TlsBench}: the comparison nginx vs gateway-JDK vs gateway-OpenSSL.</li>
 * </ul>
 *
 * nginx's TLS listener is {@link dev.anywhere.bench.load.NginxRelay.Tls}. netty-tcnative is an optional dependency of
 * the bench module: modules that want the OPENSSL provider declare it themselves (it changes Netty's default provider
 * for every SslContextBuilder without an explicit one).
 */
package dev.anywhere.bench.tls;
