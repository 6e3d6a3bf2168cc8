package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.ntlm.NtHashLookup;
import dev.anywhere.rpc.ntlm.ServerIdentity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * How the endpoints authenticate NTLM binds ([MS-RPCE] RPC_C_AUTHN_WINNT): who the server says it is in its
 * CHALLENGE, where the NT hashes come from, and how long a verification may wait for them. The look-up blocks (it
 * reads the directory), so it runs on a pool of {@code threads} with {@code queue} waiting and a {@code deadline};
 * requests that arrive while the handshake's last leg is verified wait in order, at most {@code maxWaitingPdus}.
 *
 * @param identity the names in the CHALLENGE's target info (impacket needs MsvAvNbComputerName)
 * @param lookup the NT hash of {@code domain\\user}; may block
 * @param threads look-up threads
 * @param queue look-ups waiting for a thread; more fail the handshake at once
 * @param deadline how long one verification may take; later the association is refused
 * @param maxWaitingPdus PDUs of one association held while its handshake is verified; more end the association
 * @param metrics where {@code anywhere.endpoints.security.*} meters go
 */
public record DceAuthentication(ServerIdentity identity, NtHashLookup lookup, int threads, int queue,
        Duration deadline, int maxWaitingPdus, MeterRegistry metrics) {

    public DceAuthentication {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(metrics, "metrics");
        if (threads < 1 || queue < 0 || maxWaitingPdus < 1) {
            throw new IllegalArgumentException("threads: " + threads + ", queue: " + queue + ", maxWaitingPdus: "
                    + maxWaitingPdus + " (expected: >= 1, >= 0, >= 1)");
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline: " + deadline + " (expected: > 0)");
        }
    }

    /** 4 threads, 64 waiting, a 5-second deadline (the gateway's logon defaults), 16 waiting PDUs. */
    public static DceAuthentication of(ServerIdentity identity, NtHashLookup lookup) {
        return new DceAuthentication(identity, lookup, 4, 64, Duration.ofSeconds(5), 16, new SimpleMeterRegistry());
    }

    public DceAuthentication withDeadline(Duration d) {
        return new DceAuthentication(identity, lookup, threads, queue, d, maxWaitingPdus, metrics);
    }

    public DceAuthentication withMetrics(MeterRegistry registry) {
        return new DceAuthentication(identity, lookup, threads, queue, deadline, maxWaitingPdus, registry);
    }
}
