package dev.anywhere.server.autodiscover;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The Autodiscover service's own settings, read once at start from {@code <data-dir>/autodiscover.properties} (absent
 * file: the defaults). The directory stays the source of every Outlook setting; this file holds only what Exchange keeps
 * outside the Outlook providers:
 *
 * <pre>
 * # Mailboxes homed on EX2 are answered by another site's Autodiscover (Action redirectUrl), as Exchange redirects
 * # to the Client Access server of the mailbox's site or version.
 * redirectUrl.EX2 = https://autodiscover.branch.frankysweb.org/autodiscover/autodiscover.xml
 * # organization (default, Exchange): any recipient of the organisation; caller: only the caller's own addresses.
 * lookupScope = organization
 * # How long directory answers are reused (default 5; 0 reads the directory on every request).
 * cacheSeconds = 5
 * </pre>
 *
 * @param serverName this server's name; Exchange hashes it into every {@code Error/@Id}
 * @param redirectUrls home server (lower case) to the Autodiscover URL that serves its mailboxes
 * @param scope which addresses an authenticated caller may ask about
 * @param cacheTtl how long a directory answer is reused (0: never)
 */
public record AutodiscoverSettings(String serverName, Map<String, URI> redirectUrls, LookupScope scope, Duration cacheTtl) {

    /** How long a directory answer is reused: a change reaches Autodiscover within this time. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(5);

    /** The file read from the data directory. */
    public static final String FILE = "autodiscover.properties";

    /** Which recipients a caller may ask about. */
    public enum LookupScope {
        /**
         * Exchange's behaviour: the caller's own addresses first, then any recipient of the caller's organisation
         * (Exchange's Provider.ResolveRequestedADRecipient searches a caller-scoped, organisation-wide session).
         */
        ORGANIZATION,
        /** Stricter than Exchange: only the caller's own addresses; any other address gets 500 like an unknown one. */
        CALLER
    }

    public AutodiscoverSettings {
        Objects.requireNonNull(serverName, "serverName");
        Map<String, URI> copy = new HashMap<>();
        redirectUrls.forEach((k, v) -> copy.put(k.toLowerCase(Locale.ROOT), Objects.requireNonNull(v, k)));
        redirectUrls = Map.copyOf(copy);
        Objects.requireNonNull(scope, "scope");
        if (cacheTtl.isNegative() || cacheTtl.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("cache ttl: " + cacheTtl + " (expected: 0..1 h)");
        }
    }

    /** Settings with the default read cache. */
    public AutodiscoverSettings(String serverName, Map<String, URI> redirectUrls, LookupScope scope) {
        this(serverName, redirectUrls, scope, DEFAULT_CACHE_TTL);
    }

    public static AutodiscoverSettings defaults(String serverName) {
        return new AutodiscoverSettings(serverName, Map.of(), LookupScope.ORGANIZATION);
    }

    public AutodiscoverSettings withCacheTtl(Duration ttl) {
        return new AutodiscoverSettings(serverName, redirectUrls, scope, ttl);
    }

    /** The Autodiscover URL that serves mailboxes homed on {@code server}, if one is configured. */
    public Optional<URI> redirectUrl(String server) {
        return Optional.ofNullable(redirectUrls.get(server.toLowerCase(Locale.ROOT)));
    }

    /**
     * Reads {@value #FILE} from {@code dataDir}; the defaults when it does not exist.
     *
     * @throws IllegalArgumentException for a value that is not valid, saying which
     */
    public static AutodiscoverSettings load(Path dataDir, String serverName) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return defaults(serverName);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e); // a malformed backslash-u escape
        }
        Map<String, URI> urls = new HashMap<>();
        LookupScope scope = LookupScope.ORGANIZATION;
        Duration ttl = DEFAULT_CACHE_TTL;
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key).trim();
            if (key.regionMatches(true, 0, "redirectUrl.", 0, 12)) {
                String expected = " (expected: an https URL ending in /autodiscover/autodiscover.xml)";
                URI u;
                try {
                    u = new URI(value);
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException(file + ": " + key + ": " + value + ": " + e.getReason() + expected, e);
                }
                if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null
                        || !u.getPath().toLowerCase(Locale.ROOT).endsWith("/autodiscover/autodiscover.xml")) {
                    throw new IllegalArgumentException(file + ": " + key + ": " + value + expected);
                }
                urls.put(key.substring(12), u);
            } else if (key.equalsIgnoreCase("lookupScope")) {
                try {
                    scope = LookupScope.valueOf(value.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": lookupScope: " + value + " (expected: organization or caller)");
                }
            } else if (key.equalsIgnoreCase("cacheSeconds")) {
                int seconds;
                try {
                    seconds = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    seconds = -1;
                }
                if (seconds < 0 || seconds > 3600) {
                    throw new IllegalArgumentException(file + ": cacheSeconds: " + value + " (expected: 0..3600)");
                }
                ttl = Duration.ofSeconds(seconds);
            } else {
                throw new IllegalArgumentException(file + ": unknown key " + key
                        + " (expected: redirectUrl.<SERVER>, lookupScope, cacheSeconds)");
            }
        }
        return new AutodiscoverSettings(serverName, urls, scope, ttl);
    }
}
