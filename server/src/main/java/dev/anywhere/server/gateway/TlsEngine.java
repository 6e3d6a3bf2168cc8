package dev.anywhere.server.gateway;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * The TLS implementation behind the gateway's SslHandler: BoringSSL (netty-tcnative) where it loads, the JDK's
 * SSLEngine otherwise. Measured on the 2-core VM (docs/performance.md): a full TLS 1.3 RSA-2048 handshake costs the
 * gateway about 0.67 ms of CPU with BoringSSL against 2–3 ms with the JDK (nginx: 0.42 ms), and bulk records about
 * 0.13 against 0.34 CPU s per GiB. {@code -Danywhere.tls.provider=jdk} forces the JDK's.
 */
public final class TlsEngine {

    /** System property: {@code openssl} (the default where available) or {@code jdk}. */
    public static final String PROPERTY = "anywhere.tls.provider";

    private TlsEngine() {
    }

    /** The provider the gateway's server contexts use. */
    public static SslProvider serverProvider() {
        String wanted = System.getProperty(PROPERTY, "openssl").trim().toLowerCase(Locale.ROOT);
        return wanted.equals("jdk") || !OpenSsl.isAvailable() ? SslProvider.JDK : SslProvider.OPENSSL;
    }

    /** A server context from PEM files (certificate chain, PKCS#8 key). */
    public static SslContext server(File certificateChain, File privateKey) throws SSLException {
        return SslContextBuilder.forServer(certificateChain, privateKey).sslProvider(serverProvider()).build();
    }

    /** A server context from a key and its chain (leaf first). */
    public static SslContext server(PrivateKey key, X509Certificate... chain) throws SSLException {
        return SslContextBuilder.forServer(key, chain).sslProvider(serverProvider()).build();
    }

    /** For logs and reports, e.g. "OpenSSL (BoringSSL)" or "JDK (tcnative unavailable: ...)". */
    public static String describe() {
        if (serverProvider() == SslProvider.OPENSSL) {
            return "OpenSSL (" + OpenSsl.versionString() + ")";
        }
        return OpenSsl.isAvailable() ? "JDK (" + PROPERTY + "=jdk)" : "JDK (tcnative unavailable: " + OpenSsl.unavailabilityCause() + ")";
    }
}
