package dev.anywhere.server.gateway;

import dev.anywhere.autodiscover.pox.AutodiscoverRequest;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.ErrorCode;
import dev.anywhere.autodiscover.pox.PoxCodec;
import dev.anywhere.autodiscover.pox.PoxLimits;
import dev.anywhere.autodiscover.pox.PoxParseException;
import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.server.autodiscover.AutodiscoverService;
import dev.anywhere.server.autodiscover.AutodiscoverSettings;
import dev.anywhere.server.config.HttpAuthScheme;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /autodiscover/autodiscover.xml}: the Autodiscover POX endpoint of IIS's Autodiscover virtual directory.
 *
 * <ul>
 *   <li>Authentication Negotiate (carrying NTLM), NTLM and Basic, the virtual directory's defaults, checked before
 *       the body is read; 401 without credentials, whatever the method.
 *   <li>POST: the body is collected up to {@link PoxLimits#DEFAULT_MAX_BYTES} (a larger Content-Length, or a chunked
 *       body growing past it, gets ErrorCode 600 at once and the connection is closed), parsed by {@link PoxCodec}
 *       (hostile or malformed: 600) and answered by {@link AutodiscoverService}.
 *   <li>Any other method once authenticated: HTTP 200 with ErrorCode 600, as Exchange's LegacyHttpHandler answers a GET.
 *   <li>When the gateway speaks TLS, a plain-HTTP request gets 403.4 (IIS: the vdir requires SSL).
 * </ul>
 * Responses are {@code text/xml; charset=utf-8}. Logons that need the directory, and the service's answer (it reads
 * the directory), run on the gateway's logon pool with its deadline (503 with Retry-After when the directory does not
 * answer in time); the connection's event loop never waits for them.
 *
 * @see [MS-OXDSCLI] 3.2.5 Message Processing Events and Sequencing Rules
 */
final class AutodiscoverRoute implements GatewayRoute {

    static final String PATH = "/autodiscover/autodiscover.xml";
    /** The schemes the Autodiscover vdir offers, in IIS's order (Negotiate, NTLM, Basic). */
    static final Set<HttpAuthScheme> SCHEMES = Set.copyOf(EnumSet.allOf(HttpAuthScheme.class));
    static final String CONTENT_TYPE = "text/xml; charset=utf-8";
    private static final String ROUTE = "autodiscover";
    private static final int MAX_BYTES = PoxLimits.DEFAULT_MAX_BYTES;

    private static final Logger log = LoggerFactory.getLogger(AutodiscoverRoute.class);

    private final AutodiscoverService service;
    private final HttpAuthenticator authenticator;
    private final boolean requireTls;
    private final AutodiscoverAnswerCache answers;
    /** Where answers that read the directory run: the logon pool, with its deadline. */
    private final DirectoryLogons directory;

    AutodiscoverRoute(AutodiscoverService service, HttpAuthenticator authenticator, boolean requireTls, Duration answerTtl) {
        this.service = service;
        this.authenticator = authenticator;
        this.requireTls = requireTls;
        this.answers = new AutodiscoverAnswerCache(answerTtl);
        this.directory = authenticator.logons();
    }

    AutodiscoverRoute(AutodiscoverService service, HttpAuthenticator authenticator, boolean requireTls) {
        this(service, authenticator, requireTls, Duration.ZERO);
    }

    /**
     * The route for a gateway: the directory is the one the credentials are checked against (none: every answer is
     * 603), settings from {@code <data-dir>/autodiscover.properties}, logons by the gateway's authenticator (shared
     * with /rpc: one logon pool, one credential cache, one throttle).
     */
    static AutodiscoverRoute create(Gateway.Options options, HttpAuthenticator auth) {
        SiteDirectory directory = options.credentials() instanceof DirectoryCredentials dc ? dc.directory() : null;
        AutodiscoverSettings settings;
        try {
            settings = AutodiscoverSettings.load(options.dataDir(), options.server());
        } catch (IOException e) {
            throw new UncheckedIOException("autodiscover: cannot read " + AutodiscoverSettings.FILE, e);
        }
        return new AutodiscoverRoute(new AutodiscoverService(directory, settings, Clock.systemDefaultZone()), auth,
                options.tls().isPresent(), settings.cacheTtl());
    }

    @Override
    public boolean owns(String path) {
        return path.equals(PATH);
    }

    @Override
    public RequestBody begin(ChannelHandlerContext ctx, HttpRequest request, GatewayConnection connection) {
        if (requireTls && !GatewayConnection.tls(ctx)) {
            return connection.refuse(ctx, request, ROUTE, "ssl_required", HttpResponses.status(HttpResponseStatus.FORBIDDEN,
                    "403.4 Forbidden: SSL is required to view this resource\r\n"));
        }
        return connection.afterLogon(ctx, request, ROUTE, authenticator.authenticate(ctx, request, SCHEMES, connection.auth()),
                auth -> authenticated(ctx, request, connection, auth.user()));
    }

    private RequestBody authenticated(ChannelHandlerContext ctx, HttpRequest request, GatewayConnection connection, String account) {
        if (!request.method().equals(HttpMethod.POST)) {
            return connection.refuse(ctx, request, ROUTE, "not_post", xml(service.invalidRequest()));
        }
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        long length = request.headers().contains(HttpHeaderNames.CONTENT_LENGTH) ? GatewayConnection.contentLength(request)
                : chunked ? -1 : 0;
        if (length > MAX_BYTES || length < 0 && !chunked) {
            // Refused before a byte of the body is read; refuse() closes the connection for bodies it will not drain.
            return connection.refuse(ctx, request, ROUTE, "too_large", xml(service.invalidRequest()));
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        return new Collector(request, account, connection, length < 0 ? 1024 : (int) length);
    }

    /** Collects one POST body, bounded, then answers it. */
    private final class Collector implements RequestBody {
        private final boolean keepAlive;
        private final String account;
        private final GatewayConnection connection;
        private final AutodiscoverService.Headers headers;
        private ByteBuf body;
        private boolean answered;

        Collector(HttpRequest request, String account, GatewayConnection connection, int expected) {
            this.keepAlive = HttpUtil.isKeepAlive(request);
            this.account = account;
            this.connection = connection;
            HttpHeaders h = request.headers();
            this.headers = new AutodiscoverService.Headers(Optional.ofNullable(h.get("X-ClientCanHandle")),
                    Optional.ofNullable(h.get(HttpHeaderNames.USER_AGENT)), Optional.ofNullable(h.get("X-MapiHttpCapability")));
            this.body = Unpooled.buffer(Math.min(expected, MAX_BYTES), MAX_BYTES);
        }

        @Override
        public void content(ChannelHandlerContext ctx, HttpContent content) {
            if (answered) {
                return;
            }
            ByteBuf chunk = content.content();
            if (body.readableBytes() + chunk.readableBytes() > MAX_BYTES) {
                answered = true;
                release();
                connection.count(ROUTE, "too_large");
                HttpResponses.send(ctx, xml(service.invalidRequest()), false);
                return;
            }
            body.writeBytes(chunk);
            if (content instanceof LastHttpContent) {
                answered = true;
                byte[] bytes = new byte[body.readableBytes()];
                body.getBytes(body.readerIndex(), bytes);
                release();
                answer(ctx, bytes);
            }
        }

        /**
         * Answers from the cache when the same account asked the same thing moments ago; otherwise the service reads
         * the directory on the logon pool, with its deadline, and the connection waits without holding the loop.
         */
        private void answer(ChannelHandlerContext ctx, byte[] bytes) {
            String key = answers.enabled() ? AutodiscoverAnswerCache.key(account, headers.toString(), bytes) : null;
            AutodiscoverAnswerCache.Answer cached = key == null ? null : answers.get(key);
            if (cached != null) {
                connection.count(ROUTE, cached.outcome());
                HttpResponses.send(ctx, xml(cached.document()), keepAlive);
                return;
            }
            CompletableFuture<byte[]> work = directory.runAnswer(() -> {
                AutodiscoverResponse r = respond(bytes);
                byte[] document = PoxCodec.writeResponse(r);
                // A 603 says the directory failed: the next request must ask it again, not get the failure back.
                boolean failed = r.error().map(e -> e.errorCode().equals(ErrorCode.INTERNAL_SERVER_ERROR)).orElse(false);
                if (key != null && !failed) {
                    answers.put(key, document, outcome(r));
                }
                return document;
            });
            connection.defer(new PendingWork(work, () -> {
                send(ctx, work);
                return null;
            }));
        }

        /** On the event loop: the answer, or 503 when the directory did not give it in time (as for a logon). */
        private void send(ChannelHandlerContext ctx, CompletableFuture<byte[]> work) {
            byte[] document;
            try {
                document = work.join();
            } catch (RuntimeException e) {
                log.warn("autodiscover: no answer for {}: {}", account, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
                FullHttpResponse r = HttpResponses.status(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "the directory did not answer in time; try again shortly\r\n");
                r.headers().setInt(HttpHeaderNames.RETRY_AFTER, LogonSettings.RETRY_AFTER_SECONDS);
                connection.count(ROUTE, "directory_unavailable");
                HttpResponses.send(ctx, r, false);
                return;
            }
            HttpResponses.send(ctx, xml(document), keepAlive);
        }

        /** Parses the request and asks the service; runs on the logon pool, since the service reads the directory. */
        private AutodiscoverResponse respond(byte[] bytes) {
            AutodiscoverRequest request;
            try {
                request = PoxCodec.readRequest(bytes, PoxLimits.DEFAULT);
            } catch (PoxParseException e) {
                log.debug("autodiscover: request of {} refused: {}", account, e.getMessage());
                connection.count(ROUTE, "invalid");
                return service.invalidRequest();
            }
            AutodiscoverResponse r = service.respond(request, account, headers);
            connection.count(ROUTE, outcome(r));
            return r;
        }

        @Override
        public void closed() {
            release();
        }

        private void release() {
            if (body != null) {
                body.release();
                body = null;
            }
        }
    }

    private static String outcome(AutodiscoverResponse r) {
        return r.error().map(e -> "error_" + e.errorCode().value()).orElseGet(() -> r.action().map(a -> a.wireName()).orElse("settings"));
    }

    /** HTTP 200 with the POX document, as Exchange answers even its errors. */
    static FullHttpResponse xml(AutodiscoverResponse response) {
        return xml(PoxCodec.writeResponse(response));
    }

    static FullHttpResponse xml(byte[] document) {
        ByteBuf content = Unpooled.wrappedBuffer(document);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        r.headers().set(HttpHeaderNames.SERVER, HttpResponses.SERVER);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "private");
        return r;
    }
}
