package dev.anywhere.analyzer.rpch;

import dev.anywhere.analyzer.net.TrustAnchors;
import dev.anywhere.analyzer.rpch.RpchFailure.Hop;
import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * The TLS client contexts of the legs, one per trust configuration. Every leg of every virtual connection needs one,
 * and building it (the system's roots and the {@code --trust} files into a PKIX trust manager, then an SSLContext)
 * costs more CPU than the handshake itself in a short run; a run's legs all trust the same. The key holds the files'
 * contents, so an edited {@code --trust} file gets a new context in a long-running process ({@code anywhere serve}).
 * Each handshake still validates the proxy's chain and name; only the trust manager is shared.
 */
final class ClientTlsContexts {

    /** More distinct configurations than this in one process empty the cache (they come from users' options). */
    static final int MAX = 16;

    private static final Map<Key, SslContext> CONTEXTS = new ConcurrentHashMap<>();

    private record Key(boolean insecure, List<Path> files, List<String> contents) {
    }

    private ClientTlsContexts() {
    }

    /** The context for {@code o}'s trust: built on first use, then shared. */
    static SslContext of(RpchClientOptions o) throws RpchFailure {
        Optional<Key> key = key(o);
        SslContext cached = key.map(CONTEXTS::get).orElse(null);
        if (cached != null) {
            return cached;
        }
        SslContext built = build(o);
        key.ifPresent(k -> {
            if (CONTEXTS.size() >= MAX) {
                CONTEXTS.clear();
            }
            CONTEXTS.put(k, built);
        });
        return built;
    }

    /** Empty when a file cannot be read: then {@link #build} names the problem. */
    private static Optional<Key> key(RpchClientOptions o) {
        List<String> contents = new ArrayList<>();
        for (Path p : o.trust()) {
            try {
                contents.add(Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.of(new Key(o.insecure(), o.trust(), List.copyOf(contents)));
    }

    private static SslContext build(RpchClientOptions o) throws RpchFailure {
        // the JDK's engine on purpose: the analyzer validates like a client, whatever else is on the class path
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(io.netty.handler.ssl.SslProvider.JDK);
        if (o.insecure()) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            try {
                b.trustManager(TrustAnchors.systemPlus(o.trust()).trustManager());
            } catch (IllegalArgumentException e) {
                throw new RpchFailure(Hop.TLS, Kind.TLS_HANDSHAKE, RpchFailure.Text.of("tls.trust-files", "detail", e.getMessage()), e);
            }
            b.endpointIdentificationAlgorithm("HTTPS");
        }
        try {
            return b.build();
        } catch (SSLException e) {
            throw new RpchFailure(Hop.TLS, Kind.TLS_HANDSHAKE, RpchFailure.Text.of("tls.client", "cause", e), e);
        }
    }

    /** How many contexts are cached (tests). */
    static int size() {
        return CONTEXTS.size();
    }
}
