package dev.anywhere.server.gateway;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Optional;

/**
 * The checks RFC 9112 asks of a server before it serves a request head that Netty's decoder accepted. Netty parses
 * any {@code NAME/major.minor} as a version and leaves Host alone; the gateway answers what does not conform with a
 * refusal (which closes the connection).
 */
final class RequestConformance {

    /** A refusal: its response and the outcome the request metric counts. */
    record Violation(FullHttpResponse response, String outcome) {
    }

    private RequestConformance() {
    }

    /**
     * The violation of {@code request}, or empty; an HTTP/1.x version above 1.1 is set to HTTP/1.1 on the request.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc9112#section-2.3">RFC 9112 2.3</a> (HTTP-version)
     * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-2.5">RFC 9110 2.5</a> (a higher minor version is
     *      processed as the highest one implemented; 505 for a major version not supported)
     * @see <a href="https://www.rfc-editor.org/rfc/rfc9112#section-3.2">RFC 9112 3.2</a> (400 for an HTTP/1.1
     *      request without Host, with more than one Host, or with an invalid Host)
     */
    static Optional<Violation> check(HttpRequest request) {
        HttpVersion version = request.protocolVersion();
        if (!version.protocolName().equals("HTTP") || version.majorVersion() > 9 || version.minorVersion() > 9) {
            return Optional.of(new Violation(HttpResponses.status(HttpResponseStatus.BAD_REQUEST,
                    "bad request: '" + version.text() + "' is not an HTTP version (expected: HTTP/1.1)\r\n"), "bad_version"));
        }
        if (version.majorVersion() != 1) {
            return Optional.of(new Violation(HttpResponses.status(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    version.text() + " is not supported (expected: HTTP/1.0 or HTTP/1.1)\r\n"), "version_not_supported"));
        }
        if (version.minorVersion() > 1) {
            request.setProtocolVersion(HttpVersion.HTTP_1_1);
        }
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return Optional.of(badHost(hosts.size() + " Host header fields (expected: one)"));
        }
        if (hosts.isEmpty()) {
            return request.protocolVersion().equals(HttpVersion.HTTP_1_0) ? Optional.empty()
                    : Optional.of(badHost("no Host header field (an HTTP/1.1 request must have one)"));
        }
        return validHost(hosts.get(0)) ? Optional.empty()
                : Optional.of(badHost("invalid Host header field (expected: host or host:port)"));
    }

    private static Violation badHost(String why) {
        return new Violation(HttpResponses.status(HttpResponseStatus.BAD_REQUEST, "bad request: " + why + "\r\n"), "bad_host");
    }

    /**
     * {@code Host = uri-host [ ":" port ]} with {@code uri-host = IP-literal / IPv4address / reg-name}; empty is valid
     * (a target without authority).
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-7.2">RFC 9110 7.2</a>
     * @see <a href="https://www.rfc-editor.org/rfc/rfc3986#section-3.2.2">RFC 3986 3.2.2</a>
     */
    static boolean validHost(String value) {
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0 || !ipLiteral(value.substring(1, close))) {
                return false;
            }
            String rest = value.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                return false;
            }
            host = "";
            port = rest.isEmpty() ? "" : rest.substring(1);
        } else {
            int colon = value.indexOf(':');
            host = colon < 0 ? value : value.substring(0, colon);
            port = colon < 0 ? "" : value.substring(colon + 1);
        }
        for (int i = 0; i < port.length(); i++) {
            if (!isDigit(port.charAt(i))) {
                return false;
            }
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '%') {
                if (i + 2 >= host.length() || !isHex(host.charAt(i + 1)) || !isHex(host.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!unreserved(c) && "!$&'()*+,;=".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** IPv6address (hex digits, colons, a dotted IPv4 tail) or IPvFuture ({@code v} hex {@code .} ...). */
    private static boolean ipLiteral(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.charAt(0) == 'v' || s.charAt(0) == 'V') {
            int dot = s.indexOf('.');
            if (dot < 2 || dot == s.length() - 1) {
                return false;
            }
            for (int i = 1; i < dot; i++) {
                if (!isHex(s.charAt(i))) {
                    return false;
                }
            }
            for (int i = dot + 1; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!unreserved(c) && "!$&'()*+,;=:".indexOf(c) < 0) {
                    return false;
                }
            }
            return true;
        }
        if (s.indexOf(':') < 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isHex(c) && c != ':' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
