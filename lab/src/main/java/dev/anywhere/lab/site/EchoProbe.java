package dev.anywhere.lab.site;

import dev.anywhere.analyzer.net.HttpProbe;
import dev.anywhere.analyzer.net.ServerTrust;
import dev.anywhere.analyzer.net.TrustAnchors;
import dev.anywhere.rpc.httpauth.HttpBasic;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The RPC proxy echo as Outlook sends it ({@code RPC_IN_DATA}, Content-Length 0), over TLS with the site's trust
 * anchors (and only those) and the external host name as SNI, through the analyzer's HTTP client ({@link HttpProbe}):
 * the lab's tests and {@code bench oa-apply} ask the proxy with the same request code the analyzer's checks use.
 *
 * @see [MS-RPCH] 2.1.2.1.5 Echo Request, 2.1.2.1.6 Echo Response
 */
public final class EchoProbe {

    private static final int TIMEOUT_MILLIS = 5000;

    /** What came back: status line, the WWW-Authenticate offers, and the body length. */
    public record Answer(String statusLine, List<String> wwwAuthenticate, int bodyLength) {
        public int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    private EchoProbe() {
    }

    public static Answer send(InetSocketAddress proxy, String host, List<X509Certificate> trust, Optional<HttpBasic> basic)
            throws IOException {
        try (HttpProbe http = HttpProbe.open(proxy, host, true, TIMEOUT_MILLIS, ServerTrust.verified(TrustAnchors.only(trust)))) {
            HttpProbe.Response r = http.send("RPC_IN_DATA", "/rpc/rpcproxy.dll", 0,
                    basic.map(b -> List.of("Authorization: " + b.authorization())).orElse(List.of()), new byte[0]);
            return new Answer(r.statusLine(), r.headers("WWW-Authenticate"), (int) r.bodyLength());
        }
    }
}
