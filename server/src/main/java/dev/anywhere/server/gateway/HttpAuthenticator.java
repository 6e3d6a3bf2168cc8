package dev.anywhere.server.gateway;

import dev.anywhere.rpc.httpauth.HttpBasic;
import dev.anywhere.rpc.ntlm.AuthenticateMessage;
import dev.anywhere.rpc.ntlm.MessageType;
import dev.anywhere.rpc.ntlm.NtHashLookup;
import dev.anywhere.rpc.ntlm.NtlmAuthentication;
import dev.anywhere.rpc.ntlm.NtlmAuthenticationException;
import dev.anywhere.rpc.ntlm.NtlmHttpHeader;
import dev.anywhere.rpc.ntlm.NtlmServer;
import dev.anywhere.rpc.ntlm.ServerIdentity;
import dev.anywhere.server.config.HttpAuthScheme;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
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
 * <p>Whatever needs the directory (a Basic bind, an NT hash not in the {@link CachedCredentials}) runs on the
 * {@link DirectoryLogons} pool; the result comes back on the connection's event loop, which alone touches the
 * {@link Connection}. No answer in time gives {@link Unavailable} (503), never a 401. A refusal is recorded by
 * {@link FailedLogons} and its 401 may be held by a timer.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7617">RFC 7617 Basic</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4559">RFC 4559 Negotiate</a>
 * @see [MS-NTHT] NTLM over HTTP
 */
final class HttpAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(HttpAuthenticator.class);

    /** What authenticating one request gave. */
    sealed interface Result permits Authenticated, Challenge, Unavailable {
    }

    /** The request carries valid credentials (or the connection was authenticated before). */
    record Authenticated(String user, HttpAuthScheme scheme) implements Result {
    }

    /** 401 with these {@code WWW-Authenticate} values. */
    record Challenge(List<String> wwwAuthenticate) implements Result {
    }

    /** 503: the directory did not answer in time (or the logon pool is full); {@code reason} is for the log. */
    record Unavailable(String reason) implements Result {
    }

    /** The authentication state of one TCP connection; touched only on its event loop. */
    static final class Connection {
        private NtlmServer pendingNtlm;
        private HandshakeLookup pendingLookup;
        private Authenticated ntlmUser;
    }

    private final CachedCredentials credentials;
    private final DirectoryLogons logons;
    private final FailedLogons failures;
    private final String realm;
    private final ServerIdentity identity;

    HttpAuthenticator(CachedCredentials credentials, DirectoryLogons logons, FailedLogons failures, String realm,
            ServerIdentity identity) {
        this.credentials = credentials;
        this.logons = logons;
        this.failures = failures;
        this.realm = realm;
        this.identity = identity;
    }

    /** The pool logons wait on; other work that reads the directory for a request (Autodiscover answers) runs there too. */
    DirectoryLogons logons() {
        return logons;
    }

    /**
     * Authenticates {@code request} on {@code ctx}'s event loop. The future is complete at once when the directory
     * is not needed (no credentials, an NTLM challenge, a cached logon, a connection NTLM authenticated before);
     * otherwise it completes on the event loop.
     */
    CompletableFuture<Result> authenticate(ChannelHandlerContext ctx, HttpRequest request, Set<HttpAuthScheme> offered,
            Connection connection) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            if (connection.ntlmUser != null && offered.contains(connection.ntlmUser.scheme())) {
                return CompletableFuture.completedFuture(connection.ntlmUser);
            }
            return CompletableFuture.completedFuture(challenge(offered));
        }
        int space = header.indexOf(' ');
        String scheme = (space < 0 ? header : header.substring(0, space)).toLowerCase(Locale.ROOT);
        if (scheme.equals("basic") && offered.contains(HttpAuthScheme.BASIC)) {
            return basic(ctx, header, offered);
        } else if ((scheme.equals("ntlm") && offered.contains(HttpAuthScheme.NTLM))
                || (scheme.equals("negotiate") && offered.contains(HttpAuthScheme.NEGOTIATE))) {
            return ntlm(ctx, header, offered, connection);
        }
        return CompletableFuture.completedFuture(challenge(offered));
    }

    private CompletableFuture<Result> basic(ChannelHandlerContext ctx, String header, Set<HttpAuthScheme> offered) {
        HttpBasic sent;
        try {
            sent = HttpBasic.parse(header);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(challenge(offered));
        }
        if (sent.userId().isEmpty()) {
            return CompletableFuture.completedFuture(challenge(offered));
        }
        String logonName = sent.userId();
        String password = sent.password();
        Optional<String> cached = credentials.cachedAccount(logonName, password)
                .or(() -> logons.directoryUnreachable() ? outage(credentials.outageAccount(logonName, password), logonName)
                        : Optional.empty());
        if (cached.isPresent()) {
            return CompletableFuture.completedFuture(new Authenticated(cached.get(), HttpAuthScheme.BASIC));
        }
        return onLoop(ctx, logons.run(() -> credentials.verifyPassword(logonName, password)), (account, error) -> {
            if (error != null) {
                return unavailable(error, "Basic logon of '" + FailedLogons.printable(logonName) + "'");
            }
            if (account.isPresent()) {
                failures.succeeded(logonName);
                return CompletableFuture.completedFuture(new Authenticated(account.get(), HttpAuthScheme.BASIC));
            }
            return refused(ctx, logonName, HttpAuthScheme.BASIC, "wrong_password_or_unknown_user", offered);
        });
    }

    private CompletableFuture<Result> ntlm(ChannelHandlerContext ctx, String header, Set<HttpAuthScheme> offered,
            Connection connection) {
        connection.ntlmUser = null;
        HandshakeLookup lookup = connection.pendingLookup;
        NtlmServer server = connection.pendingNtlm;
        connection.pendingNtlm = null;
        connection.pendingLookup = null;
        try {
            NtlmHttpHeader.Token token = NtlmHttpHeader.parse(header);
            HttpAuthScheme scheme = token.scheme() == NtlmHttpHeader.Scheme.NTLM ? HttpAuthScheme.NTLM : HttpAuthScheme.NEGOTIATE;
            if (token.type() == MessageType.NEGOTIATE_MESSAGE) {
                HandshakeLookup next = new HandshakeLookup();
                NtlmServer fresh = new NtlmServer(identity, next);
                byte[] challenge = fresh.challenge(token.message().toByteArray());
                connection.pendingNtlm = fresh;
                connection.pendingLookup = next;
                return CompletableFuture.completedFuture(new Challenge(List.of(NtlmHttpHeader.format(token.scheme(), challenge))));
            }
            if (token.type() == MessageType.AUTHENTICATE_MESSAGE && server != null) {
                return verify(ctx, scheme, token.message().toByteArray(), server, lookup, offered, connection);
            }
            log.debug("gateway: NTLM {} without a handshake in progress on this connection", token.type());
        } catch (NtlmAuthenticationException e) {
            log.info("gateway: NTLM negotiation refused: {}", e.getMessage());
        } catch (DecoderException | IllegalArgumentException e) {
            log.info("gateway: malformed NTLM authorization: {}", e.getMessage());
        }
        return CompletableFuture.completedFuture(challenge(offered));
    }

    /**
     * Verifies an AUTHENTICATE_MESSAGE: on the event loop when the account's NT hash is cached (HMACs only), else on
     * the logon pool, which reads the hash from the directory.
     */
    private CompletableFuture<Result> verify(ChannelHandlerContext ctx, HttpAuthScheme scheme, byte[] message,
            NtlmServer server, HandshakeLookup lookup, Set<HttpAuthScheme> offered, Connection connection) {
        String domain = "";
        String user = "";
        boolean cached = true; // a message that does not decode fails before any look-up
        try {
            AuthenticateMessage m = AuthenticateMessage.decode(message);
            domain = m.domainName();
            user = m.userName();
            String d = domain;
            String u = user;
            lookup.prefetched = credentials.cachedNtHash(domain, user)
                    .or(() -> logons.directoryUnreachable() ? outage(credentials.outageNtHash(d, u), d + "\\" + u) : Optional.empty())
                    .orElse(null);
            cached = lookup.prefetched != null;
        } catch (RuntimeException e) {
            log.debug("gateway: AUTHENTICATE_MESSAGE does not decode: {}", e.getMessage());
        }
        String account = domain.isEmpty() ? user : domain + "\\" + user;
        String d = domain;
        String u = user;
        CompletableFuture<NtlmAuthentication> work;
        if (cached) {
            work = new CompletableFuture<>();
            try {
                work.complete(server.authenticate(message));
            } catch (NtlmAuthenticationException | RuntimeException e) {
                work.completeExceptionally(e);
            }
        } else {
            work = logons.run(() -> server.authenticate(message));
        }
        return onLoop(ctx, work, (who, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof NtlmAuthenticationException refusal) {
                log.debug("gateway: NTLM logon refused: {}", refusal.getMessage());
                if (lookup.prefetched != null) {
                    credentials.forgetNtHash(d, u); // the password may have changed: the next handshake reads it again
                }
                return refused(ctx, account, scheme, refusal.failure().name().toLowerCase(Locale.ROOT), offered);
            }
            if (cause != null) {
                return unavailable(cause, "NTLM logon of '" + FailedLogons.printable(account) + "'");
            }
            failures.succeeded(account);
            connection.ntlmUser = new Authenticated(who.domain() + "\\" + who.user(), scheme);
            return CompletableFuture.completedFuture(connection.ntlmUser);
        });
    }

    /** A logon decided from the outage cache: said in the log, since the directory could not confirm it. */
    private static <T> Optional<T> outage(Optional<T> found, String who) {
        found.ifPresent(v -> log.info("gateway: the directory is unreachable; logon of '{}' accepted as verified within the "
                + "last {} minutes", FailedLogons.printable(who), CachedCredentials.OUTAGE_TTL.toMinutes()));
        return found;
    }

    /** Continues {@code work} on the event loop (the connection state is the loop's alone). */
    private static <T> CompletableFuture<Result> onLoop(ChannelHandlerContext ctx, CompletableFuture<T> work,
            java.util.function.BiFunction<T, Throwable, CompletableFuture<Result>> then) {
        if (work.isDone() && ctx.executor().inEventLoop()) {
            T value = null;
            Throwable error = null;
            try {
                value = work.join();
            } catch (CompletionException e) {
                error = e.getCause();
            } catch (java.util.concurrent.CancellationException e) {
                error = e;
            }
            return then.apply(value, error);
        }
        return work.handleAsync(then, ctx.executor()).thenCompose(f -> f);
    }

    /** A refused logon: recorded, then its 401, held by a timer once the user or address failed often. */
    private CompletableFuture<Result> refused(ChannelHandlerContext ctx, String user, HttpAuthScheme scheme, String reason,
            Set<HttpAuthScheme> offered) {
        Duration delay = failures.failed(user, ctx.channel().remoteAddress(), scheme, reason);
        Challenge challenge = challenge(offered);
        if (delay.isZero()) {
            return CompletableFuture.completedFuture(challenge);
        }
        CompletableFuture<Result> later = new CompletableFuture<>();
        ctx.executor().schedule(() -> later.complete(challenge), delay.toMillis(), TimeUnit.MILLISECONDS);
        return later;
    }

    private static CompletableFuture<Result> unavailable(Throwable error, String what) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String reason = cause instanceof DirectoryLogons.NoAnswer n
                ? switch (n.why()) {
                    case BUSY -> "the directory is slow: " + n.getMessage();
                    case SLOW -> "the directory is slow or unreachable: " + n.getMessage();
                    case UNREACHABLE -> "the directory is unreachable: " + n.getMessage();
                }
                : "logon failed: " + cause.getMessage();
        log.warn("gateway: {} not decided: {}", what, reason);
        return CompletableFuture.completedFuture(new Unavailable(reason));
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

    /**
     * The NT hash look-up of one handshake: the hash found in the cache on the event loop when there was one (so the
     * verification needs no directory), else the cache-filling directory look-up, run on the logon pool.
     */
    private final class HandshakeLookup implements NtHashLookup {
        private volatile byte[] prefetched;

        @Override
        public Optional<byte[]> ntHash(String domain, String user) {
            byte[] hash = prefetched;
            return hash != null ? Optional.of(hash) : credentials.ntHash(domain, user);
        }
    }
}
