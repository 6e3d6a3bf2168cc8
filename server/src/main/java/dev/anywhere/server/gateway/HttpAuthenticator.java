package dev.anywhere.server.gateway;

import dev.anywhere.rpc.ntlm.MessageType;
import dev.anywhere.rpc.ntlm.NtlmAuthentication;
import dev.anywhere.rpc.ntlm.NtlmAuthenticationException;
import dev.anywhere.rpc.ntlm.NtlmHttpHeader;
import dev.anywhere.rpc.ntlm.NtlmServer;
import dev.anywhere.rpc.ntlm.ServerIdentity;
import dev.anywhere.server.config.HttpAuthScheme;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP authentication of the virtual directories. The schemes offered follow the applied configuration; a client
 * gets {@code 401} with one {@code WWW-Authenticate} header per scheme, and never a hint which part of its
 * credentials was wrong.
 *
 * <p>NTLM (and Negotiate carrying raw NTLM) authenticates the TCP connection, not the request: the challenge and
 * the authenticated user live in the {@link Connection}, which is why IN and OUT channels each run their own
 * handshake and why a proxy that pools connections breaks it.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7617">RFC 7617 Basic</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4559">RFC 4559 Negotiate</a>
 * @see [MS-NTHT] NTLM over HTTP
 */
final class HttpAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(HttpAuthenticator.class);

    /** What authenticating one request gave. */
    sealed interface Result permits Authenticated, Challenge {
    }

    /** The request carries valid credentials (or the connection was authenticated before). */
    record Authenticated(String user, HttpAuthScheme scheme) implements Result {
    }

    /** 401 with these {@code WWW-Authenticate} values. */
    record Challenge(List<String> wwwAuthenticate) implements Result {
    }

    /** The authentication state of one TCP connection. */
    static final class Connection {
        private NtlmServer pendingNtlm;
        private Authenticated ntlmUser;
    }

    private final CredentialVerifier credentials;
    private final String realm;
    private final ServerIdentity identity;

    HttpAuthenticator(CredentialVerifier credentials, String realm, ServerIdentity identity) {
        this.credentials = credentials;
        this.realm = realm;
        this.identity = identity;
    }

    Result authenticate(HttpRequest request, Set<HttpAuthScheme> offered, Connection connection) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            if (connection.ntlmUser != null && offered.contains(connection.ntlmUser.scheme())) {
                return connection.ntlmUser;
            }
            return challenge(offered);
        }
        int space = header.indexOf(' ');
        String scheme = (space < 0 ? header : header.substring(0, space)).toLowerCase(Locale.ROOT);
        if (scheme.equals("basic") && offered.contains(HttpAuthScheme.BASIC)) {
            Optional<String> user = basic(space < 0 ? "" : header.substring(space + 1).trim());
            if (user.isPresent()) {
                return new Authenticated(user.get(), HttpAuthScheme.BASIC);
            }
        } else if ((scheme.equals("ntlm") && offered.contains(HttpAuthScheme.NTLM))
                || (scheme.equals("negotiate") && offered.contains(HttpAuthScheme.NEGOTIATE))) {
            return ntlm(header, offered, connection);
        }
        return challenge(offered);
    }

    private Result ntlm(String header, Set<HttpAuthScheme> offered, Connection connection) {
        connection.ntlmUser = null;
        try {
            NtlmHttpHeader.Token token = NtlmHttpHeader.parse(header);
            HttpAuthScheme scheme = token.scheme() == NtlmHttpHeader.Scheme.NTLM ? HttpAuthScheme.NTLM : HttpAuthScheme.NEGOTIATE;
            if (token.type() == MessageType.NEGOTIATE_MESSAGE) {
                NtlmServer server = new NtlmServer(identity, credentials::ntHash);
                byte[] challenge = server.challenge(token.message().toByteArray());
                connection.pendingNtlm = server;
                return new Challenge(List.of(NtlmHttpHeader.format(token.scheme(), challenge)));
            }
            if (token.type() == MessageType.AUTHENTICATE_MESSAGE && connection.pendingNtlm != null) {
                NtlmServer server = connection.pendingNtlm;
                connection.pendingNtlm = null;
                NtlmAuthentication who = server.authenticate(token.message().toByteArray());
                connection.ntlmUser = new Authenticated(who.domain() + "\\" + who.user(), scheme);
                return connection.ntlmUser;
            }
            log.debug("gateway: NTLM {} without a handshake in progress on this connection", token.type());
        } catch (NtlmAuthenticationException e) {
            // The log says why; the client only learns 401.
            log.info("gateway: NTLM logon refused: {}", e.getMessage());
        } catch (DecoderException | IllegalArgumentException e) {
            log.info("gateway: malformed NTLM authorization: {}", e.getMessage());
        }
        connection.pendingNtlm = null;
        return challenge(offered);
    }

    Challenge challenge(Set<HttpAuthScheme> offered) {
        List<String> values = new ArrayList<>();
        for (HttpAuthScheme s : HttpAuthScheme.values()) {
            if (offered.contains(s)) {
                values.add(s == HttpAuthScheme.BASIC ? "Basic realm=\"" + realm + "\"" : s.token());
            }
        }
        return new Challenge(values);
    }

    private Optional<String> basic(String token) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return credentials.verifyPassword(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
