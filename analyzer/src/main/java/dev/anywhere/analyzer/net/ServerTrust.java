package dev.anywhere.analyzer.net;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * How a client connection judges the server's certificate before it sends anything, and whether credentials may go
 * out on it: only to a verified server, or to any server when the user chose {@code --insecure}.
 */
public final class ServerTrust {

    private static final ServerTrust INSECURE = new ServerTrust(AcceptAny.INSTANCE, false, true);
    private static final ServerTrust INSPECT_ONLY = new ServerTrust(AcceptAny.INSTANCE, false, false);

    private final X509TrustManager trustManager;
    private final boolean checksHostName;
    private final boolean allowsCredentials;

    private ServerTrust(X509TrustManager trustManager, boolean checksHostName, boolean allowsCredentials) {
        this.trustManager = trustManager;
        this.checksHostName = checksHostName;
        this.allowsCredentials = allowsCredentials;
    }

    /** Chain to the anchors, dates and host name, as Outlook's TLS stack checks them: credentials may follow. */
    public static ServerTrust verified(TrustAnchors anchors) {
        return new ServerTrust(anchors.trustManager(), true, true);
    }

    /** Any certificate, because the user said {@code --insecure}: credentials go out anyway, and the report says so. */
    public static ServerTrust insecure() {
        return INSECURE;
    }

    /** Any certificate, to see what answers (the certificate is judged separately); nothing secret may be sent. */
    public static ServerTrust inspectOnly() {
        return INSPECT_ONLY;
    }

    /** The trust manager for the handshake. */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** Whether the handshake also checks the certificate against the host name the client dialled. */
    public boolean checksHostName() {
        return checksHostName;
    }

    /** Whether an {@code Authorization} header may be sent on a connection with this trust. */
    public boolean allowsCredentials() {
        return allowsCredentials;
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
