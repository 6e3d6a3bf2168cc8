package dev.anywhere.web;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Browser sessions and their CSRF tokens (the synchronizer-token pattern, OWASP CSRF Prevention Cheat Sheet): the
 * page receives a random token with its session cookie and sends it back in {@value #HEADER} on every
 * state-changing request; another site's form or script can make the browser send the cookie, but cannot read the
 * token. The cookie is also SameSite=Strict and HttpOnly. Bounded: the oldest sessions are forgotten first.
 */
final class Sessions {

    static final String COOKIE = "anywhere_session";
    static final String HEADER = "X-CSRF-Token";
    private static final int KEPT = 10_000;

    private final SecureRandom random = new SecureRandom();
    private final boolean secure;
    private final Map<String, String> tokens = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEPT;
        }
    };

    /** @param secure whether the page is served over TLS (the cookie then says Secure) */
    Sessions(boolean secure) {
        this.secure = secure;
    }

    /** A session of this request, or a new one. */
    synchronized Session session(HttpRequest request) {
        Optional<String> id = sessionId(request);
        if (id.isPresent() && tokens.containsKey(id.get())) {
            return new Session(id.get(), tokens.get(id.get()), Optional.empty());
        }
        String newId = randomToken();
        String token = randomToken();
        tokens.put(newId, token);
        DefaultCookie cookie = new DefaultCookie(COOKIE, newId);
        cookie.setHttpOnly(true);
        cookie.setSecure(secure);
        cookie.setPath("/");
        cookie.setSameSite(io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite.Strict);
        return new Session(newId, token, Optional.of(ServerCookieEncoder.STRICT.encode(cookie)));
    }

    /** Whether {@code request} carries its session's token (compared in constant time). */
    synchronized boolean tokenMatches(HttpRequest request) {
        String sent = request.headers().get(HEADER);
        Optional<String> id = sessionId(request);
        if (sent == null || id.isEmpty() || !tokens.containsKey(id.get())) {
            return false;
        }
        return MessageDigest.isEqual(sent.getBytes(StandardCharsets.US_ASCII), tokens.get(id.get()).getBytes(StandardCharsets.US_ASCII));
    }

    private static Optional<String> sessionId(HttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return Optional.empty();
        }
        for (Cookie c : ServerCookieDecoder.STRICT.decode(header)) {
            if (c.name().equals(COOKIE)) {
                return Optional.of(c.value());
            }
        }
        return Optional.empty();
    }

    private String randomToken() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** @param setCookie the Set-Cookie header to send when the session is new */
    record Session(String id, String csrfToken, Optional<String> setCookie) {
    }
}
