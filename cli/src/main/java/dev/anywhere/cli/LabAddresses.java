package dev.anywhere.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The site's loopback addresses (DESIGN.md §1) and the port policy: real ports when this process may bind below
 * 1024, otherwise every port shifted by {@link #UNPRIVILEGED_OFFSET}, the same on every machine so that commands
 * started separately still find each other.
 */
final class LabAddresses {

    static final String DC1 = "127.0.100.250";
    static final String EX1 = "127.0.100.251";
    static final int UNPRIVILEGED_OFFSET = 10000;

    private LabAddresses() {
    }

    /** The port to use for a well-known port on this machine. */
    static int port(int wellKnown) {
        return wellKnown < 1024 && !privileged() ? wellKnown + UNPRIVILEGED_OFFSET : wellKnown;
    }

    static boolean privileged() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    if (line.split("\\s+")[2].equals("0")) {
                        return true;
                    }
                }
            }
            String start = Files.readString(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).trim();
            return Integer.parseInt(start) <= 53;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String defaultDirectoryUrl() {
        return "ldap://" + DC1 + ":" + port(389);
    }
}
