package dev.anywhere.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * A kind of machine {@code bench rpch} knows, with the fixed open-loop latency rates it measures at there. A rate derived
 * from each run's warm-up moved 29 % between two quiet runs of the same tree (19,755 and 25,576 calls/s, runs V and W in
 * docs/performance.md) and the added-latency ratios moved with it; at one fixed rate two runs agreed. The kinds are the
 * resource {@value #TABLE} beside this class, whose comment says how to add one.
 *
 * @param id the entry's name in the table
 * @param cpus the CPU count as the JVM sees it before the benchmark pins itself
 * @param model /proc/cpuinfo's "model name", whole, or a prefix when it ends in {@code *}
 * @param relayRate calls/s of every relay arm's latency phase
 * @param sealedRate calls/s of the gateway_sealed arm's latency phase
 */
public record MachineKind(String id, int cpus, String model, int relayRate, int sealedRate) {

    static final String TABLE = "machine-kinds.properties";

    private static final Set<String> FIELDS = Set.of("cpus", "model", "relay-rate", "sealed-rate");

    /** True when a machine with {@code cpus} CPUs and this model name is of this kind. */
    public boolean matches(int cpus, String modelName) {
        if (cpus != this.cpus) {
            return false;
        }
        return prefix() ? modelName.startsWith(model.substring(0, model.length() - 1)) : modelName.equals(model);
    }

    private boolean prefix() {
        return model.endsWith("*");
    }

    /** The shipped table. */
    public static List<MachineKind> table() {
        try (InputStream in = MachineKind.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("machine kinds: the table " + TABLE + " is missing from the bench module");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kinds of a table's text (format: the comment of {@value #TABLE}); a bad entry is refused by name. */
    static List<MachineKind> parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("machine kinds: the table cannot be read: " + e.getMessage());
        }
        Map<String, Map<String, String>> entries = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            int dot = key.lastIndexOf('.');
            String id = dot < 0 ? key : key.substring(0, dot);
            String field = dot < 0 ? "" : key.substring(dot + 1);
            if (!id.matches("[a-z0-9-]+")) {
                throw new IllegalStateException("machine kinds: entry '" + id + "': a name of a-z, 0-9 and '-' expected");
            }
            if (!FIELDS.contains(field)) {
                throw new IllegalStateException("machine kinds: entry '" + id + "': unknown key '" + key
                        + "' (expected: " + id + ".cpus, .model, .relay-rate, .sealed-rate)");
            }
            entries.computeIfAbsent(id, k -> new TreeMap<>()).put(field, p.getProperty(key).strip());
        }
        List<MachineKind> kinds = new ArrayList<>();
        entries.forEach((id, fields) -> {
            String model = field(id, fields, "model");
            if (model.isEmpty() || model.equals("*")) {
                throw new IllegalStateException("machine kinds: entry '" + id + "': model '" + model + "' (expected: a model name, or a prefix ending in *)");
            }
            kinds.add(new MachineKind(id, number(id, fields, "cpus", 4096), model, number(id, fields, "relay-rate", 1_000_000),
                    number(id, fields, "sealed-rate", 1_000_000)));
        });
        return List.copyOf(kinds);
    }

    private static String field(String id, Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) {
            throw new IllegalStateException("machine kinds: entry '" + id + "': " + id + "." + name + " is missing");
        }
        return v;
    }

    private static int number(String id, Map<String, String> fields, String name, int max) {
        String v = field(id, fields, name);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > max) {
            throw new IllegalStateException("machine kinds: entry '" + id + "': " + name + " '" + v + "' (expected: 1.." + max + ")");
        }
        return n;
    }

    /**
     * The kind of a machine with {@code cpus} CPUs and this /proc/cpuinfo text, if the table has one: a kind naming the
     * whole model before a prefix, a longer prefix before a shorter one.
     */
    public static Optional<MachineKind> detect(List<MachineKind> kinds, int cpus, String cpuinfo) {
        String model = modelName(cpuinfo);
        return kinds.stream().filter(k -> k.matches(cpus, model))
                .min(Comparator.comparing(MachineKind::prefix).thenComparing(k -> -k.model.length()).thenComparing(MachineKind::id));
    }

    /** /proc/cpuinfo's text; empty where it cannot be read (not Linux). */
    static String cpuinfo() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** The first "model name" of /proc/cpuinfo's text, trimmed; empty when there is none (e.g. on arm64). */
    static String modelName(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals("model name")) {
                return line.substring(colon + 1).strip();
            }
        }
        return "";
    }
}
