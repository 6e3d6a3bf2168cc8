package dev.anywhere.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Optional;

/**
 * {@code rpc-vdir.json} in the server's data directory: the applied {@link RpcVdirConfig}, written atomically
 * (temporary file, then rename) so the gateway never reads half a file.
 *
 * <p>The file carries a digest of its settings as the configurator wrote them. A hand edit that changes a setting
 * without recomputing the digest is how the configurator recognises drift, even across restarts, and reverts it
 * with an event of its own, as Exchange's configurator silently overwrites manual IIS changes; the gateway applies
 * only files whose digest matches while drift correction is on. The digest is a plain SHA-256, a mark of authorship
 * and not a signature: whoever recomputes it gets a file the gateway applies, until the service host, which compares
 * the settings with what it applied, restores the file within a second.
 */
public final class AppliedConfigFile {

    public static final String FILE_NAME = "rpc-vdir.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What was read: the configuration and whether its digest still matches (false = edited by hand). */
    public record Snapshot(RpcVdirConfig config, boolean writtenByConfigurator, long generation, Instant appliedAt) {
    }

    private final Path file;

    public AppliedConfigFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path path() {
        return file;
    }

    /**
     * Reads the file. Empty when it does not exist. A file that cannot be parsed is reported as an
     * {@link InvalidConfigException} carrying the reason, so the caller can treat it as drift.
     */
    public Optional<Snapshot> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(file);
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidConfigException(file.getFileName() + ": not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // The bytes are already read: this is content Jackson cannot decode (bytes it takes for UTF-32, say).
            throw new InvalidConfigException(file.getFileName() + ": not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidConfigException(file.getFileName() + ": not a JSON object");
        }
        RpcVdirConfig config = decode(root);
        boolean ours = root.path("digest").asText("").equals(digest(config));
        return Optional.of(new Snapshot(config, ours, root.path("generation").asLong(0), appliedAt(root)));
    }

    private static Instant appliedAt(JsonNode root) {
        if (!root.hasNonNull("appliedAt")) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(root.get("appliedAt").asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidConfigException("appliedAt: " + root.get("appliedAt") + " (expected: an instant such as 2026-11-26T10:00:00Z)");
        }
    }

    /** Writes the configuration atomically, stamped as the configurator's own. */
    public void write(RpcVdirConfig config, long generation, Instant appliedAt) throws IOException {
        ObjectNode root = encode(config);
        root.put("generation", generation);
        root.put("appliedAt", appliedAt.toString());
        root.put("digest", digest(config));
        AtomicFile.write(file, JSON.writeValueAsBytes(root));
    }

    /** Writes a configuration as a person editing the file would: no valid digest. Tests and the lab's drift fault use it. */
    public void writeManualEdit(RpcVdirConfig config) throws IOException {
        ObjectNode root = encode(config);
        root.put("digest", "edited-by-hand");
        AtomicFile.write(file, JSON.writeValueAsBytes(root));
    }

    private static ObjectNode encode(RpcVdirConfig c) {
        ObjectNode root = JSON.createObjectNode();
        root.put("comment", "Applied /rpc configuration, written by the Anywhere configurator from the directory. "
                + "Hand edits are not applied and are reverted within a second (unless driftCorrection is false in "
                + "servicehost.json): use 'anywhere oa set'.");
        root.put("server", c.server());
        root.put("enabled", c.enabled());
        ArrayNode auth = root.putArray("authentication");
        c.authenticationInOrder().forEach(s -> auth.add(s.token()));
        root.put("requireSsl", c.requireSsl());
        root.put("validPorts", c.validPorts().toString());
        return root;
    }

    private static RpcVdirConfig decode(JsonNode root) {
        String server = text(root, "server");
        if (!root.path("enabled").isBoolean()) {
            throw new InvalidConfigException("enabled: " + root.path("enabled") + " (expected: true or false)");
        }
        if (!root.path("requireSsl").isBoolean()) {
            throw new InvalidConfigException("requireSsl: " + root.path("requireSsl") + " (expected: true or false)");
        }
        EnumSet<HttpAuthScheme> schemes = EnumSet.noneOf(HttpAuthScheme.class);
        JsonNode auth = root.path("authentication");
        if (!auth.isArray()) {
            throw new InvalidConfigException("authentication: " + auth + " (expected: a list of Negotiate, NTLM, Basic)");
        }
        for (JsonNode n : auth) {
            schemes.add(HttpAuthScheme.parse(n.asText()).orElseThrow(() -> new InvalidConfigException(
                    "authentication: unknown scheme '" + n.asText() + "' (expected: Negotiate, NTLM or Basic)")));
        }
        ValidPorts ports;
        try {
            ports = ValidPorts.parse(text(root, "validPorts"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage());
        }
        return new RpcVdirConfig(server, root.get("enabled").asBoolean(), schemes, root.get("requireSsl").asBoolean(), ports);
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.path(field);
        if (!n.isTextual()) {
            throw new InvalidConfigException(field + ": " + n + " (expected: a string)");
        }
        return n.asText();
    }

    /** A digest over the settings only, so generation and timestamps do not count as drift. */
    static String digest(RpcVdirConfig c) {
        String canonical = c.server() + "|" + c.enabled() + "|" + c.authenticationInOrder() + "|" + c.requireSsl() + "|"
                + c.validPorts();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The file exists but does not hold a configuration. */
    public static final class InvalidConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidConfigException(String message) {
            super(message);
        }
    }
}
