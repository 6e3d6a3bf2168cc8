package dev.anywhere.analyzer.profile;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which way the profile connects, EXCH (RPC over TCP to the mailbox server) or EXPR (RPC over HTTP through the proxy),
 * decided as Outlook does from the flags, the network speed and whether the mailbox server can be reached, with the
 * reason in words.
 */
public final class ConnectionChoice {

    /** The chosen transport and why. */
    public record Choice(Transport transport, String host, String reason) {
    }

    public enum Transport { EXCH_RPC_TCP, EXPR_RPC_HTTP, NONE }

    private ConnectionChoice() {
    }

    /**
     * @param fastNetwork whether the link counts as fast (Outlook: above 128 kbit/s)
     * @param reachable whether a host answers from here (for EXCH: its RPC endpoint mapper)
     */
    public static Choice choose(OutlookProfile p, boolean fastNetwork, Predicate<String> reachable) {
        boolean roh = p.flags().contains(RohFlags.USE_ROH) && p.proxyServer().isPresent();
        Optional<String> exch = p.exchServer();
        if (!roh) {
            if (exch.isPresent() && reachable.test(exch.get())) {
                return new Choice(Transport.EXCH_RPC_TCP, exch.get(), "the profile has no Outlook Anywhere settings; RPC over TCP to the mailbox server");
            }
            return new Choice(Transport.NONE, exch.orElse(""), "the profile has no Outlook Anywhere settings and the mailbox server "
                    + exch.orElse("(none)") + " cannot be reached from here");
        }
        boolean httpFirst = p.flags().contains(fastNetwork ? RohFlags.HTTP_FIRST_ON_FAST : RohFlags.HTTP_FIRST_ON_SLOW);
        String proxy = p.proxyServer().get();
        if (httpFirst) {
            return new Choice(Transport.EXPR_RPC_HTTP, proxy, "HTTP first on " + (fastNetwork ? "fast" : "slow") + " networks"
                    + (fastNetwork ? " (EXPR ServerExclusiveConnect on)" : ""));
        }
        if (exch.isPresent() && reachable.test(exch.get())) {
            return new Choice(Transport.EXCH_RPC_TCP, exch.get(), "fast network and the mailbox server answers: RPC over TCP first");
        }
        return new Choice(Transport.EXPR_RPC_HTTP, proxy, "the mailbox server " + exch.orElse("(none)")
                + " cannot be reached from here: falling back to Outlook Anywhere");
    }
}
