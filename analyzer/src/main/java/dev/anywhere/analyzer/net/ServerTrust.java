package dev.anywhere.analyzer.net;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * How a client connection judges the server's certificate before it sends anything, and whether credentials may go
 * out on it: only to a verified server, or to any server when the user chose {@code --insecure}.
 */
public sealed interface ServerTrust {

    /** The trust manager for the handshake. */
    X509TrustManager trustManager();

    /** Whether the handshake also checks the certificate against the host name the client dialled. */
    boolean checksHostName();

    /** Whether an {@code Authorization} header may be sent on a connection with this trust. */
    boolean allowsCredentials();

    /** Chain to the anchors, dates and host name, as Outlook's TLS stack checks them: credentials may follow. */
    static ServerTrust verified(TrustAnchors anchors) {
        return new Verified(anchors.trustManager());
    }

    /** Any certificate, because the user said {@code --insecure}: credentials go out anyway, and the report says so. */
    static ServerTrust insecure() {
        return Insecure.INSTANCE;
    }

    /** Any certificate, to see what answers (the certificate is judged separately); nothing secret may be sent. */
    static ServerTrust inspectOnly() {
        return InspectOnly.INSTANCE;
    }

    /** @see #verified */
    record Verified(X509TrustManager trustManager) implements ServerTrust {
        @Override
        public boolean checksHostName() {
            return true;
        }

        @Override
        public boolean allowsCredentials() {
            return true;
        }
    }

    /** @see #insecure */
    enum Insecure implements ServerTrust {
        INSTANCE;

        @Override
        public X509TrustManager trustManager() {
            return AcceptAny.INSTANCE;
        }

        @Override
        public boolean checksHostName() {
            return false;
        }

        @Override
        public boolean allowsCredentials() {
            return true;
        }
    }

    /** @see #inspectOnly */
    enum InspectOnly implements ServerTrust {
        INSTANCE;

        @Override
        public X509TrustManager trustManager() {
            return AcceptAny.INSTANCE;
        }

        @Override
        public boolean checksHostName() {
            return false;
        }

        @Override
        public boolean allowsCredentials() {
            return false;
        }
    }

    /** Accepts every chain; used only where the chain is judged afterwards or the user waived the check. */
    enum AcceptAny implements X509TrustManager {
        INSTANCE;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
