package dev.anywhere.autodiscover.discovery;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP request and its response, secrets redacted ({@code Authorization} keeps only its scheme; passwords in
 * bodies become {@code [redacted]}).
 *
 * @param method request method
 * @param target request URL
 * @param requestHeaders request headers in order
 * @param requestBody request body (UTF-8 text)
 * @param status response status code, 0 if no response arrived
 * @param responseHeaders response headers in order
 * @param responseBody response body as UTF-8 text, truncated to 64 KiB
 */
public record HttpTranscript(String method, String target, List<Map.Entry<String, String>> requestHeaders,
        String requestBody, int status, List<Map.Entry<String, String>> responseHeaders, String responseBody) {

    public HttpTranscript {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        requestHeaders = List.copyOf(requestHeaders);
        Objects.requireNonNull(requestBody, "requestBody");
        responseHeaders = List.copyOf(responseHeaders);
        Objects.requireNonNull(responseBody, "responseBody");
    }

    /** The first response header named {@code name} (case-insensitive), or null. */
    public String responseHeader(String name) {
        for (Map.Entry<String, String> e : responseHeaders) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The first request header named {@code name} (case-insensitive), or null. */
    public String requestHeader(String name) {
        for (Map.Entry<String, String> e : requestHeaders) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
