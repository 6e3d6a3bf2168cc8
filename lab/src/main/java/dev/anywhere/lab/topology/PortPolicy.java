package dev.anywhere.lab.topology;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How well-known ports become real ones: {@code auto} uses the real ports when this process may bind below 1024
 * (root, {@code CAP_NET_BIND_SERVICE} or {@code ip_unprivileged_port_start}) and otherwise shifts every port below
 * 1024 by {@code offset} (default {@value #DEFAULT_OFFSET}: 443 becomes 10443, 53 becomes 10053); {@code real} and
 * {@code shifted} force one or the other (tests use {@code shifted}).
 *
 * @param mode {@code auto} (default), {@code real} or {@code shifted}; files may write it in any case
 * @param offset added to ports below 1024 when shifted
 */
public record PortPolicy(@JsonFormat(with = JsonFormat.Feature.ACCEPT_CASE_INSENSITIVE_VALUES) Mode mode, int offset) {

    /** Whether ports below 1024 are shifted. */
    public enum Mode {
        /** Shifted only when this process may not bind below 1024. */
        AUTO("auto"),
        /** Never shifted. */
        REAL("real"),
        /** Always shifted. */
        SHIFTED("shifted");

        private final String id;

        Mode(String id) {
            this.id = id;
        }

        /** The name in topology files. */
        @JsonValue
        public String id() {
            return id;
        }
    }

    public static final int DEFAULT_OFFSET = 10000;
    public static final PortPolicy AUTO = new PortPolicy(Mode.AUTO, DEFAULT_OFFSET);
    public static final PortPolicy SHIFTED = new PortPolicy(Mode.SHIFTED, DEFAULT_OFFSET);
    public static final PortPolicy REAL = new PortPolicy(Mode.REAL, DEFAULT_OFFSET);

    public PortPolicy {
        mode = mode == null ? Mode.AUTO : mode;
        if (offset < 1024 || offset > 64000) {
            throw new TopologyException(TopologyText.of("port-policy.offset", "offset", offset));
        }
    }

    /** Ports always shifted by {@code offset} (tests give each their own). */
    public static PortPolicy shifted(int offset) {
        return new PortPolicy(Mode.SHIFTED, offset);
    }

    /** Whether ports are shifted, given whether this process may bind below 1024. */
    public boolean shifted(boolean privileged) {
        return switch (mode) {
            case REAL -> false;
            case SHIFTED -> true;
            case AUTO -> !privileged;
        };
    }

    /** Whether ports are shifted in this process. */
    @JsonIgnore
    public boolean shiftedHere() {
        return shifted(privileged());
    }

    /** The port to use for {@code wellKnown}. */
    public int port(int wellKnown, boolean shifted) {
        return shifted && wellKnown < 1024 ? wellKnown + offset : wellKnown;
    }

    /** Whether this process may bind ports below 1024 (every port the lab uses, 53 being the lowest). */
    public static boolean privileged() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:") && line.split("\\s+")[2].equals("0")) {
                    return true;
                }
            }
            String start = Files.readString(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).trim();
            return Integer.parseInt(start) <= 53;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
