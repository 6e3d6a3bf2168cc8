package dev.anywhere.cli;

import dev.anywhere.lab.dns.LabZones;
import dev.anywhere.lab.topology.PortPolicy;

/**
 * The site's loopback addresses (docs/architecture.md §1) and the port policy: real ports when this process may bind below
 * 1024, otherwise every port shifted by {@link #UNPRIVILEGED_OFFSET}, the same on every machine so that commands
 * started separately still find each other. The lab's topology files carry the same policy ({@link PortPolicy}).
 */
final class LabAddresses {

    static final String DC1 = LabZones.DC1_ADDRESS;
    static final String EX1 = LabZones.EX1_ADDRESS;
    static final int UNPRIVILEGED_OFFSET = PortPolicy.DEFAULT_OFFSET;

    private LabAddresses() {
    }

    /** The port to use for a well-known port on this machine. */
    static int port(int wellKnown) {
        return PortPolicy.AUTO.port(wellKnown, !privileged());
    }

    static boolean privileged() {
        return PortPolicy.privileged();
    }

    static String defaultDirectoryUrl() {
        return "ldap://" + DC1 + ":" + port(389);
    }
}
