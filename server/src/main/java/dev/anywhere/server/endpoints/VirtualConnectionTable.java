package dev.anywhere.server.endpoints;

import dev.anywhere.rpc.rpch.RpchProtocolException;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The virtual connection cookie table of [MS-RPCH] 3.2.5.1: pairs IN and OUT legs by the 16-byte virtual connection
 * cookie only (either order, any proxy), runs the connection setup timer for half-open entries and lets a leg whose
 * cookie is already bound supersede the old virtual connection (impacket reuses cookies on reconnect).
 *
 * <pre>
 *  (absent) ──first leg (A2 or B2)──▶ HALF_OPEN ──other leg, same cookie──▶ OPENED (B3 on IN, C1 on OUT)
 *               setup timer expires ──▶ closed, removed        any leg closes / fails ──▶ both legs closed, removed
 *  HALF_OPEN or OPENED ──a leg of a kind already present, same cookie──▶ old one closed; new HALF_OPEN entry
 *  OPENED ──IN_R1/A2 (new leg, same cookie, predecessor = current IN)──▶ OPENED with a successor IN leg
 *  OPENED ──OUT_R1/A4 (new leg, same cookie, predecessor = current OUT, after our OUT_R2/A1)──▶ successor OUT leg
 * </pre>
 *
 * <p>Superseding trusts whoever holds the cookie: legs carry no account. The gateway binds each cookie to the account
 * that authenticated its channels and never opens a leg for another account's channel (docs/rpc-proxy.md, "Virtual
 * connections are bound to one identity"); a duplicate that reaches this table comes from the same account, or from
 * a client that learned the cookie and went through another gateway.
 *
 * <p>Lock order: table, then a virtual connection; a virtual connection never calls back into the table.
 *
 * @see [MS-RPCH] 3.2.5.1 Abstract Data Model (virtual connection cookie table)
 * @see [MS-RPCH] 3.2.5.2.1 Connection Setup Timer
 */
final class VirtualConnectionTable {

    private final EndpointServer server;
    private final Map<UUID, VirtualConnection> byCookie = new HashMap<>();
    private int halfOpen;

    VirtualConnectionTable(EndpointServer server) {
        this.server = server;
    }

    /** Attaches {@code leg}, creating, pairing or superseding the virtual connection of its cookie. */
    synchronized VirtualConnection attach(Leg leg) {
        VirtualConnection vc = byCookie.get(leg.vcCookie());
        if (vc != null && (vc.isOpened() || vc.hasLeg(leg.in()))) {
            remove(vc);
            vc.close("virtual connection " + leg.vcCookie() + ": superseded by a new " + leg.name()
                    + " leg with the same cookie");
            vc = null;
        }
        if (vc == null) {
            if (halfOpen >= server.limits().maxPendingVirtualConnections()) {
                throw new RpchProtocolException("half-open virtual connections: " + halfOpen + " (expected: < "
                        + server.limits().maxPendingVirtualConnections() + ")");
            }
            VirtualConnection created = new VirtualConnection(server, leg.vcCookie());
            byCookie.put(leg.vcCookie(), created);
            halfOpen++;
            long millis = server.limits().connectionSetupTimeout().toMillis();
            created.setupTimer(leg.channel().eventLoop().schedule(() -> expire(created), millis, TimeUnit.MILLISECONDS));
            vc = created;
        }
        if (vc.attach(leg)) {
            halfOpen--;
        }
        return vc;
    }

    /** The event loop the legs of {@code cookie}'s virtual connection run on, if it has one open. */
    synchronized Optional<EventLoop> homeLoop(UUID cookie) {
        VirtualConnection vc = byCookie.get(cookie);
        return vc == null ? Optional.empty() : vc.homeLoop();
    }

    synchronized Optional<VirtualConnection> find(UUID cookie) {
        return Optional.ofNullable(byCookie.get(cookie));
    }

    /** IN_R1/A2: a successor IN leg for the open virtual connection of its cookie. */
    synchronized VirtualConnection recycleIn(Leg leg, UUID predecessor) {
        VirtualConnection vc = byCookie.get(leg.vcCookie());
        if (vc == null) {
            throw new RpchProtocolException("IN_R1/A2: virtual connection " + leg.vcCookie() + " unknown (expected: "
                    + "an open virtual connection)");
        }
        vc.addSuccessor(leg, predecessor);
        return vc;
    }

    /** OUT_R1/A4: a successor OUT leg (from a possibly different outbound proxy) for the open virtual connection. */
    synchronized VirtualConnection recycleOut(Leg leg, UUID predecessor) {
        VirtualConnection vc = byCookie.get(leg.vcCookie());
        if (vc == null) {
            throw new RpchProtocolException("OUT_R1/A4: virtual connection " + leg.vcCookie() + " unknown (expected: "
                    + "an open virtual connection)");
        }
        vc.addOutSuccessor(leg, predecessor);
        return vc;
    }

    private void expire(VirtualConnection vc) {
        synchronized (this) {
            if (byCookie.get(vc.cookie()) != vc || vc.isOpened()) {
                return;
            }
            remove(vc);
        }
        String message = "connection setup: virtual connection " + vc.cookie() + " has only its " + vc.presentLeg()
                + " leg after " + server.limits().connectionSetupTimeout() + " (expected: both legs)";
        vc.reportTo(server, message);
        vc.close(message);
    }

    /** A leg closed or failed: the whole virtual connection goes. */
    void legGone(VirtualConnection vc, String reason) {
        synchronized (this) {
            if (byCookie.get(vc.cookie()) == vc) {
                remove(vc);
            }
        }
        vc.close(reason);
    }

    private void remove(VirtualConnection vc) {
        byCookie.remove(vc.cookie());
        if (!vc.isOpened()) {
            halfOpen--;
        }
    }

    synchronized int size() {
        return byCookie.size();
    }
}
