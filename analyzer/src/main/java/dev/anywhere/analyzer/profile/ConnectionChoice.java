package dev.anywhere.analyzer.profile;

import dev.anywhere.analyzer.text.Messages;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which way the profile connects, EXCH (RPC over TCP to the mailbox server) or EXPR (RPC over HTTP through the proxy),
 * decided as Outlook does from the flags, the network speed and whether the mailbox server can be reached, with the
 * reason in words (the analyzer's bundle, {@code choice.*}).
 */
public final class ConnectionChoice {

    /**
     * The chosen transport and why.
     *
     * @param reasonKey the reason's key in the analyzer's bundle ({@code choice.<key>})
     * @param server the mailbox server the reason names, if any
     */
    public record Choice(Transport transport, String host, String reasonKey, Optional<String> server) {

        public Choice {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(reasonKey, "reasonKey");
            Objects.requireNonNull(server, "server");
        }

        /** Why, in English. */
        public String reason() {
            return reason(Messages.of("en"));
        }

        /** Why, in the language of {@code text}. */
        public String reason(Messages text) {
            return text.get("choice." + reasonKey, Map.of("server", server.orElse(text.get("detail.none"))));
        }
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
                return new Choice(Transport.EXCH_RPC_TCP, exch.get(), "exch-no-roh", exch);
            }
            return new Choice(Transport.NONE, exch.orElse(""), "none", exch);
        }
        boolean httpFirst = p.flags().contains(fastNetwork ? RohFlags.HTTP_FIRST_ON_FAST : RohFlags.HTTP_FIRST_ON_SLOW);
        String proxy = p.proxyServer().get();
        if (httpFirst) {
            return new Choice(Transport.EXPR_RPC_HTTP, proxy, fastNetwork ? "http-first-fast" : "http-first-slow", Optional.empty());
        }
        if (exch.isPresent() && reachable.test(exch.get())) {
            return new Choice(Transport.EXCH_RPC_TCP, exch.get(), "exch-first", exch);
        }
        return new Choice(Transport.EXPR_RPC_HTTP, proxy, "fallback", exch);
    }
}
