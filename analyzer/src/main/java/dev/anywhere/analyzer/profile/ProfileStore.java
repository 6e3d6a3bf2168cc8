package dev.anywhere.analyzer.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Profiles as JSON files, one per address, written atomically. No credentials are ever stored. */
public final class ProfileStore {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public ProfileStore(Path dir) {
        this.dir = dir;
    }

    public Path file(String email) {
        return dir.resolve(email.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9@._-]", "_") + ".json");
    }

    public void save(OutlookProfile p) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("email", p.email());
        p.exchServer().ifPresent(v -> n.put("exchServer", v));
        p.proxyServer().ifPresent(v -> n.put("proxyServer", v));
        p.principal().ifPresent(v -> n.put("principal", v));
        p.authScheme().ifPresent(v -> n.put("authScheme", v));
        n.put("rohFlags", RohFlags.toBits(p.flags()));
        n.put("ttlHours", p.ttlHours());
        n.put("policy", p.policy().name());
        n.put("created", p.created().toString());
        n.put("lastRefresh", p.lastRefresh().toString());
        n.put("lastRefreshSucceeded", p.lastRefreshSucceeded());
        p.nextRefresh().ifPresent(v -> n.put("nextRefresh", v.toString()));
        p.userDn().ifPresent(v -> n.put("userDn", v));
        n.put("encryptRpc", p.encryptRpc());
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".profile", ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(n));
        Files.move(tmp, file(p.email()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public Optional<OutlookProfile> load(String email) throws IOException {
        Path f = file(email);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        JsonNode n = JSON.readTree(f.toFile());
        return Optional.of(new OutlookProfile(n.path("email").asText(), text(n, "exchServer"), text(n, "proxyServer"), text(n, "principal"),
                text(n, "authScheme"), RohFlags.fromBits(n.path("rohFlags").asInt()), n.path("ttlHours").asInt(1),
                RefreshPolicy.valueOf(n.path("policy").asText("OUTLOOK_2016")), Instant.parse(n.path("created").asText()),
                Instant.parse(n.path("lastRefresh").asText()), n.path("lastRefreshSucceeded").asBoolean(),
                text(n, "nextRefresh").map(Instant::parse), text(n, "userDn"), n.path("encryptRpc").asBoolean(true)));
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }
}
