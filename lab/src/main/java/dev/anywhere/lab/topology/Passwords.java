package dev.anywhere.lab.topology;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The lab users' passwords: those the topology gives, the rest generated once and kept in {@code passwords.json}
 * (owner read/write only, 0600) in the data directory, so that a second {@code lab up} with the same data dir
 * keeps them. Never printed unless asked ({@code lab status --show-passwords}).
 */
public final class Passwords {

    public static final String FILE_NAME = "passwords.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> byUser;

    private Passwords(Map<String, String> byUser) {
        this.byUser = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byUser));
    }

    /** The passwords for {@code topology}'s users (and every seeded user), reading and updating {@code dataDir}. */
    public static Passwords load(Topology topology, Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        Map<String, String> stored = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        try {
            if (Files.exists(file)) {
                stored.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, String>>() { }));
            }
            Map<String, String> all = new LinkedHashMap<>();
            for (String user : Topology.SEEDED_USERS) {
                Optional<String> given = topology.users().stream().filter(u -> u.name().equalsIgnoreCase(user))
                        .map(Topology.User::password).filter(java.util.Objects::nonNull).findFirst();
                all.put(user, given.orElseGet(() -> stored.computeIfAbsent(user, u -> generate())));
            }
            dev.anywhere.server.config.AtomicFile.writeSecret(file, JSON.writeValueAsBytes(all));
            return new Passwords(all);
        } catch (IOException e) {
            throw new UncheckedIOException("passwords " + file + ": " + e.getMessage(), e);
        }
    }

    /** A fixed password for every seeded user (tests). */
    public static Passwords same(String password) {
        Map<String, String> all = new LinkedHashMap<>();
        Topology.SEEDED_USERS.forEach(u -> all.put(u, password));
        return new Passwords(all);
    }

    private static String generate() {
        byte[] b = new byte[9];
        RANDOM.nextBytes(b);
        return "Lab-" + HexFormat.of().formatHex(b);
    }

    /** User (sAMAccountName) to password. */
    public Map<String, String> byUser() {
        return byUser;
    }

    public String of(String user) {
        return byUser.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(user)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("user: " + user + " (expected: a lab user)"));
    }

    @Override
    public String toString() {
        return "Passwords" + byUser.keySet() + " (values not shown)";
    }
}
