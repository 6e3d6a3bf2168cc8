package dev.anywhere.autodiscover.pox;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the calling client can handle, derived from the request headers the Autodiscover server sees.
 *
 * @param negotiate the client can use Negotiate against the RPC proxy: {@code X-ClientCanHandle: Negotiate}, or a
 *        User-Agent of Windows 7 or later with Outlook 2007 build 6552+, Outlook 2010 build 5133+ or Outlook 2013+
 * @param exHttpInfo {@code X-ClientCanHandle: ExHttpInfo}: the client wants EXHTTP nodes
 * @param negoEx {@code X-ClientCanHandle: NegoEx} [infer: the token name; Exchange tests a NegoEx capability]
 * @see [MS-OXDSCLI] 2.2.2 HTTP headers (X-ClientCanHandle)
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/pox-autodiscover-request-for-exchange">POX Autodiscover request for Exchange</a>
 */
public record ClientCapabilities(boolean negotiate, boolean exHttpInfo, boolean negoEx) {

    /** A client that announced nothing (old Outlook, scripts). */
    public static final ClientCapabilities NONE = new ClientCapabilities(false, false, false);

    private static final Pattern WINDOWS_NT = Pattern.compile("Windows NT (\\d+)\\.(\\d+)");
    private static final Pattern OUTLOOK = Pattern.compile("Outlook (\\d+)\\.(\\d+)\\.(\\d+)");

    /**
     * Derives the capabilities from the {@code X-ClientCanHandle} header (tokens separated by commas or spaces, any
     * case) and the {@code User-Agent}; either may be null.
     */
    public static ClientCapabilities fromHeaders(String xClientCanHandle, String userAgent) {
        boolean negotiate = false;
        boolean exHttp = false;
        boolean negoEx = false;
        if (xClientCanHandle != null) {
            for (String token : xClientCanHandle.split("[,\\s]+")) {
                switch (token.toLowerCase(Locale.ROOT)) {
                    case "negotiate" -> negotiate = true;
                    case "exhttpinfo" -> exHttp = true;
                    case "negoex" -> negoEx = true;
                    default -> {
                        // other tokens do not affect the Outlook provider
                    }
                }
            }
        }
        return new ClientCapabilities(negotiate || userAgentCanNegotiate(userAgent), exHttp, negoEx);
    }

    /**
     * True for Windows 7 (NT 6.1) or later running Outlook 2007 build 6552+, Outlook 2010 build 5133+, or Outlook
     * 2013+, as Exchange's caller-capability check decides.
     */
    static boolean userAgentCanNegotiate(String userAgent) {
        if (userAgent == null) {
            return false;
        }
        Matcher nt = WINDOWS_NT.matcher(userAgent);
        if (!nt.find()) {
            return false;
        }
        int ntMajor = Integer.parseInt(nt.group(1));
        int ntMinor = Integer.parseInt(nt.group(2));
        boolean windows7OrLater = ntMajor > 6 || ntMajor == 6 && ntMinor >= 1;
        Matcher ol = OUTLOOK.matcher(userAgent);
        if (!windows7OrLater || !ol.find()) {
            return false;
        }
        int major = Integer.parseInt(ol.group(1));
        int build = Integer.parseInt(ol.group(3));
        return major == 12 && build >= 6552 || major == 14 && build >= 5133 || major >= 15;
    }
}
