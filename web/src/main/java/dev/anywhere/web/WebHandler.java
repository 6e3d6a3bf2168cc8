package dev.anywhere.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.analyzer.report.JsonReportReader;
import dev.anywhere.analyzer.report.ReportDiff;
import dev.anywhere.analyzer.report.ReportWriter;
import dev.anywhere.lab.scenario.Scenario;
import dev.anywhere.lab.scenario.Scenarios;
import dev.anywhere.rpc.httpauth.HttpBasic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The page's HTTP interface. Static files come from memory; the database is reached only through {@code database},
 * a bounded executor, and the reply is written from there (Netty's writes are thread-safe), so no event loop waits.
 *
 * <pre>
 * GET  /                         the page (and a session cookie)
 * GET  /static/…                 its script and style sheet
 * GET  /api/session              the session's CSRF token and the server's run defaults
 * POST /api/runs                 start a run (JSON form; needs the CSRF token)       → 202 {"id"}
 * GET  /api/runs/ID/events       the run's progress as server-sent events
 * GET  /api/runs/ID/report?format=json|html|junit[&amp;download=1]
 * GET  /api/runs?address=&amp;from=YYYY-MM-DD&amp;to=YYYY-MM-DD   the history, newest first
 * GET  /api/diff?a=ID&amp;b=ID       two runs compared (anywhere analyze --diff)
 * GET  /api/scenarios            lab mode: the lab's scenarios
 * POST /api/scenarios/NAME/runs  lab mode: run one (needs the CSRF token)                 → 202 {"id"}
 * </pre>
 */
@ChannelHandler.Sharable
final class WebHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(WebHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HISTORY_LIMIT = 200;

    private final WebSettings settings;
    private final Runs runs;
    private final History history;
    private final Executor database;
    private final Sessions sessions;
    private final StaticFiles files;
    private final Optional<LabHost> lab;
    private final List<Scenario> scenarios;

    WebHandler(WebSettings settings, Runs runs, History history, Executor database, StaticFiles files, Optional<LabHost> lab) {
        this.settings = settings;
        this.runs = runs;
        this.history = history;
        this.database = database;
        this.sessions = new Sessions(settings.tls().isPresent());
        this.files = files;
        this.lab = lab;
        // The page hosts the single site; the array's scenarios need HAProxy and slapd beside it (anywhere lab --scenario).
        this.scenarios = lab.isPresent() ? Scenarios.all().stream().filter(s -> !s.onArray()).toList() : List.of();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String language = language(request);
        try {
            if (!request.decoderResult().isSuccess()) {
                throw new RequestRefused(400, Texts.of(language, "request.bad"));
            }
            if (settings.login().isPresent() && !loggedOn(request)) {
                FullHttpResponse r = text(HttpResponseStatus.UNAUTHORIZED, Texts.of(language, "login.required"));
                r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"anywhere serve\", charset=\"UTF-8\"");
                send(ctx, request, r);
                return;
            }
            route(ctx, request, language);
        } catch (RequestRefused e) {
            send(ctx, request, error(e.status(), e.getMessage()));
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request, String language) throws RequestRefused {
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        String path = query.path();
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.POST)) {
            // Every state-changing request: the session's token or nothing happens.
            if (!sessions.tokenMatches(request)) {
                LOG.info("refused {} {} from {}: no valid CSRF token", method, path, client(ctx));
                throw new RequestRefused(403, Texts.of(language, "csrf.refused"));
            }
            if (path.equals("/api/runs")) {
                startRun(ctx, request, language);
                return;
            }
            if (path.startsWith("/api/scenarios/") && path.endsWith("/runs")) {
                startScenario(ctx, request, path.substring("/api/scenarios/".length(), path.length() - "/runs".length()), language);
                return;
            }
            throw new RequestRefused(404, Texts.of(language, "notFound"));
        }
        if (!method.equals(HttpMethod.GET)) {
            FullHttpResponse r = error(405, Texts.of(language, "method.notAllowed"));
            r.headers().set(HttpHeaderNames.ALLOW, "GET, POST");
            send(ctx, request, r);
            return;
        }
        if (path.equals("/") || path.equals("/index.html")) {
            Sessions.Session s = sessions.session(request);
            FullHttpResponse r = files.response("index.html").orElseThrow();
            s.setCookie().ifPresent(c -> r.headers().add(HttpHeaderNames.SET_COOKIE, c));
            send(ctx, request, r);
        } else if (path.startsWith("/static/")) {
            send(ctx, request, files.response(path.substring("/static/".length())).orElseThrow(() -> new RequestRefused(404, Texts.of(language, "notFound"))));
        } else if (path.equals("/api/session")) {
            Sessions.Session s = sessions.session(request);
            ObjectNode body = JSON.createObjectNode();
            body.put("csrf", s.csrfToken());
            ObjectNode d = body.putObject("defaults");
            d.put("dnsServer", settings.defaults().dnsServer().map(a -> a.getHostString() + ":" + a.getPort()).orElse(""));
            d.put("trust", settings.defaults().trust().size());
            d.put("httpsPort", settings.defaults().httpsPort());
            body.put("lab", lab.isPresent());
            FullHttpResponse r = json(HttpResponseStatus.OK, body);
            s.setCookie().ifPresent(c -> r.headers().add(HttpHeaderNames.SET_COOKIE, c));
            send(ctx, request, r);
        } else if (path.equals("/api/runs")) {
            listRuns(ctx, request, query, language);
        } else if (path.equals("/api/scenarios")) {
            if (lab.isEmpty()) {
                throw new RequestRefused(404, Texts.of(language, "lab.off"));
            }
            ArrayNode list = JSON.createArrayNode();
            for (Scenario s : scenarios) {
                list.addObject().put("name", s.name()).put("broken", s.broken(language)).put("expected", s.primary().orElse(""));
            }
            send(ctx, request, json(HttpResponseStatus.OK, list));
        } else if (path.equals("/api/diff")) {
            diff(ctx, request, query, language);
        } else if (path.startsWith("/api/runs/") && path.endsWith("/events")) {
            events(ctx, request, path.substring("/api/runs/".length(), path.length() - "/events".length()), language);
        } else if (path.startsWith("/api/runs/") && path.endsWith("/report")) {
            report(ctx, request, path.substring("/api/runs/".length(), path.length() - "/report".length()), query, language);
        } else {
            throw new RequestRefused(404, Texts.of(language, "notFound"));
        }
    }

    private void startRun(ChannelHandlerContext ctx, FullHttpRequest request, String language) throws RequestRefused {
        JsonNode form;
        try {
            form = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RequestRefused(400, Texts.of(language, "request.notJson"));
        }
        RunRequest run = RunRequest.parse(form, language);
        LiveRun live = runs.start(run, client(ctx));
        ObjectNode body = JSON.createObjectNode();
        body.put("id", live.id());
        send(ctx, request, json(HttpResponseStatus.ACCEPTED, body));
    }

    private void startScenario(ChannelHandlerContext ctx, FullHttpRequest request, String name, String language) throws RequestRefused {
        LabHost host = lab.orElseThrow(() -> new RequestRefused(404, Texts.of(language, "lab.off")));
        Scenario scenario = scenarios.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new RequestRefused(404, Texts.of(language, "scenario.unknown", name)));
        LiveRun live = runs.start(language, "scenario " + name, client(ctx), new ScenarioWork(host, scenario, language), true);
        ObjectNode body = JSON.createObjectNode();
        body.put("id", live.id());
        send(ctx, request, json(HttpResponseStatus.ACCEPTED, body));
    }

    private void events(ChannelHandlerContext ctx, FullHttpRequest request, String id, String language) throws RequestRefused {
        LiveRun run = runs.live(id).orElseThrow(() -> new RequestRefused(404, Texts.of(language, "run.unknown")));
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        HttpUtil.setTransferEncodingChunked(head, true);
        secure(head.headers());
        ctx.writeAndFlush(head);
        run.subscribe(ctx.channel());
    }

    private void report(ChannelHandlerContext ctx, FullHttpRequest request, String id, QueryStringDecoder query, String language)
            throws RequestRefused {
        String format = param(query, "format").orElse("json").toLowerCase(Locale.ROOT);
        if (!List.of("json", "html", "junit").contains(format)) {
            throw new RequestRefused(400, Texts.of(language, "format.unknown", format));
        }
        boolean download = param(query, "download").isPresent();
        blocking(ctx, request, language, () -> {
            JsonNode json = history.report(id).orElseThrow(() -> new RequestRefused(404, Texts.of(language,
                    runs.live(id).isPresent() ? "run.notFinished" : "run.unknown")));
            StringWriter out = new StringWriter();
            ReportWriter.forFormat(format).write(JsonReportReader.read(json), out);
            String type = switch (format) {
                case "html" -> "text/html; charset=utf-8";
                case "junit" -> "application/xml; charset=utf-8";
                default -> "application/json; charset=utf-8";
            };
            FullHttpResponse r = response(HttpResponseStatus.OK, type, out.toString());
            if (download) {
                String extension = format.equals("junit") ? "xml" : format;
                r.headers().set(HttpHeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"anywhere-report-" + id.substring(0, 8) + "."
                        + extension + "\"");
            }
            return r;
        });
    }

    private void listRuns(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query, String language)
            throws RequestRefused {
        Optional<String> address = param(query, "address");
        Optional<java.time.Instant> from = date(query, "from", language).map(d -> d.atStartOfDay(ZoneOffset.UTC).toInstant());
        Optional<java.time.Instant> to = date(query, "to", language).map(d -> d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        blocking(ctx, request, language, () -> {
            ArrayNode list = JSON.createArrayNode();
            for (History.Entry e : history.find(address, from, to, HISTORY_LIMIT)) {
                list.addObject().put("id", e.id()).put("target", e.target()).put("vantage", e.vantage()).put("started", e.started().toString())
                        .put("elapsedMs", e.elapsedMs()).put("status", e.status()).put("banner", e.banner());
            }
            return json(HttpResponseStatus.OK, list);
        });
    }

    private void diff(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder query, String language) throws RequestRefused {
        String a = param(query, "a").orElseThrow(() -> new RequestRefused(400, Texts.of(language, "run.unknown")));
        String b = param(query, "b").orElseThrow(() -> new RequestRefused(400, Texts.of(language, "run.unknown")));
        blocking(ctx, request, language, () -> {
            JsonNode left = history.report(a).orElseThrow(() -> new RequestRefused(404, Texts.of(language, "run.unknown")));
            JsonNode right = history.report(b).orElseThrow(() -> new RequestRefused(404, Texts.of(language, "run.unknown")));
            ObjectNode body = JSON.createObjectNode();
            body.set("a", summary(a, left));
            body.set("b", summary(b, right));
            ArrayNode differences = body.putArray("differences");
            for (ReportDiff.Difference d : ReportDiff.of(left, right)) {
                differences.addObject().put("id", d.id()).put("a", d.a()).put("b", d.b());
            }
            return json(HttpResponseStatus.OK, body);
        });
    }

    private static ObjectNode summary(String id, JsonNode report) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        for (String field : List.of("target", "vantage", "started", "status", "banner")) {
            n.put(field, report.path(field).asText());
        }
        return n;
    }

    /** Work that touches the database: off the event loop, the reply written from the database thread. */
    @FunctionalInterface
    private interface DatabaseWork {
        FullHttpResponse run() throws Exception;
    }

    private void blocking(ChannelHandlerContext ctx, FullHttpRequest request, String language, DatabaseWork work) throws RequestRefused {
        request.retain();
        try {
            database.execute(() -> {
                FullHttpResponse r;
                try {
                    r = work.run();
                } catch (RequestRefused e) {
                    r = error(e.status(), e.getMessage());
                } catch (Exception e) {
                    LOG.warn("{} {}: {}", request.method(), new QueryStringDecoder(request.uri()).path(), e.getMessage());
                    r = error(500, Texts.of(language, "failed", e.getMessage() == null ? "no detail" : e.getMessage()));
                }
                try {
                    send(ctx, request, r);
                } finally {
                    request.release();
                }
            });
        } catch (RejectedExecutionException e) {
            request.release();
            throw new RequestRefused(503, Texts.of(language, "busy"));
        }
    }

    private boolean loggedOn(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            return false;
        }
        HttpBasic sent;
        try {
            sent = HttpBasic.parse(header);
        } catch (IllegalArgumentException e) {
            return false;
        }
        WebSettings.Login login = settings.login().orElseThrow();
        return new HttpBasic(login.user(), login.password()).matches(sent);
    }

    private static Optional<String> param(QueryStringDecoder query, String name) {
        List<String> v = query.parameters().get(name);
        return v == null || v.isEmpty() || v.get(0).isBlank() ? Optional.empty() : Optional.of(v.get(0).strip());
    }

    private static Optional<LocalDate> date(QueryStringDecoder query, String name, String language) throws RequestRefused {
        Optional<String> v = param(query, name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(v.get()));
        } catch (DateTimeParseException e) {
            throw new RequestRefused(400, Texts.of(language, "date.invalid", v.get()));
        }
    }

    /** The language of error texts: {@code ?lang=}, else the browser's first choice, else English. */
    private static String language(FullHttpRequest request) {
        List<String> lang = new QueryStringDecoder(request.uri()).parameters().get("lang");
        if (lang != null && !lang.isEmpty()) {
            return lang.get(0).equals("de") ? "de" : "en";
        }
        String accept = request.headers().get(HttpHeaderNames.ACCEPT_LANGUAGE, "");
        return accept.toLowerCase(Locale.ROOT).startsWith("de") ? "de" : "en";
    }

    private static String client(ChannelHandlerContext ctx) {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
    }

    static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
        return response(status, "application/json; charset=utf-8", body.toString());
    }

    private static FullHttpResponse error(int status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", message);
        return json(HttpResponseStatus.valueOf(status), body);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, "text/plain; charset=utf-8", body);
    }

    static FullHttpResponse response(HttpResponseStatus status, String type, String body) {
        return response(status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    static FullHttpResponse response(HttpResponseStatus status, String type, byte[] body) {
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        secure(r.headers());
        return r;
    }

    /** What every response says to the browser: only this page's own script runs, nothing frames it. */
    private static void secure(HttpHeaders h) {
        h.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection from {} closed: {}", ctx.channel().remoteAddress(), cause.getMessage());
        ctx.close();
    }

    /** Files under {@code static/}, read once at start so that no request touches the disk. */
    static final class StaticFiles {
        private final Map<String, byte[]> files;

        StaticFiles(Map<String, byte[]> files) {
            this.files = Map.copyOf(files);
        }

        static StaticFiles load() throws IOException {
            Map<String, byte[]> m = new java.util.HashMap<>();
            for (String name : List.of("index.html", "app.js", "app.css")) {
                try (var in = WebHandler.class.getResourceAsStream("static/" + name)) {
                    if (in == null) {
                        throw new IOException("static/" + name + " missing from the jar");
                    }
                    m.put(name, in.readAllBytes());
                }
            }
            return new StaticFiles(m);
        }

        Optional<FullHttpResponse> response(String name) {
            byte[] body = files.get(name);
            if (body == null) {
                return Optional.empty();
            }
            String type = name.endsWith(".html") ? "text/html; charset=utf-8" : name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : "text/css; charset=utf-8";
            return Optional.of(WebHandler.response(HttpResponseStatus.OK, type, body));
        }
    }
}
