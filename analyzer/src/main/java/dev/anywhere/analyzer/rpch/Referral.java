package dev.anywhere.analyzer.rpch;

import dev.anywhere.analyzer.rpch.RpchFailure.Hop;
import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.rpc.rfr.RfrCalls;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The referral service (RFR) as Outlook asks it, over a binding through the RPC proxy (Exchange serves it on 6002
 * and 6004): which server answers the address book for a mailbox (RfrGetNewDSA), and a mailbox server's FQDN from
 * its DN (RfrGetFQDNFromServerDN). A refusal is an {@link Answer} with its code in words; only transport, bind and
 * protocol failures are {@link RpchFailure}s. Not thread-safe: one call at a time.
 *
 * @see [MS-OXABREF] 3.1.4.1 RfrGetNewDSA, 3.1.4.2 RfrGetFQDNFromServerDN
 */
public final class Referral implements AutoCloseable {

    /** What an answer means, from its return code; in words as {@code rfr.<key>} of the analyzer's bundle. */
    public enum Outcome {
        /** Success with a server name. */
        FOUND("Success", "found"),
        /** MAPI_E_NOT_FOUND: no Exchange server by that DN. */
        NOT_FOUND("NotFound", "not-found"),
        /** MAPI_E_INVALID_PARAMETER: the DN is not a server or database DN. */
        NOT_A_SERVER_DN("InvalidParameter", "not-a-server-dn"),
        /** MAPI_E_LOGON_FAILED. */
        LOGON_FAILED("LogonFailed", "logon-failed"),
        /** MAPI_E_NO_ACCESS. */
        ACCESS_DENIED("AccessDenied", "access-denied"),
        /** Any other code. */
        FAILED("Failed", "failed");

        private final String codeName;
        private final String key;

        Outcome(String codeName, String key) {
            this.codeName = codeName;
            this.key = key;
        }

        static Outcome of(int code) {
            return switch (code) {
                case RfrCalls.SUCCESS -> FOUND;
                case RfrCalls.NOT_FOUND -> NOT_FOUND;
                case RfrCalls.INVALID_PARAMETER -> NOT_A_SERVER_DN;
                case RfrCalls.LOGON_FAILED -> LOGON_FAILED;
                case RfrCalls.NO_ACCESS -> ACCESS_DENIED;
                default -> FAILED;
            };
        }
    }

    /**
     * The service's answer.
     *
     * @param server the server's FQDN on success
     * @param code the return value (0 on success, else an HRESULT such as MAPI_E_NOT_FOUND 0x8004010F)
     */
    public record Answer(Optional<String> server, int code) {
        public Answer {
            Objects.requireNonNull(server, "server");
        }

        public Outcome outcome() {
            return Outcome.of(code);
        }

        public boolean found() {
            return code == RfrCalls.SUCCESS && server.isPresent();
        }

        /** {@code ex1.frankysweb.local}, or the code in English words: {@code NotFound(0x8004010f): no Exchange server has that DN}. */
        public String describe() {
            return describe(Messages.of("en"));
        }

        /**
         * {@link #describe()} in {@code text}'s language: the status name and the code stay as the protocol names them
         * ({@code NotFound(0x8004010f)}), their meaning is the bundle's ({@code rfr.not-found}).
         */
        public String describe(Messages text) {
            Outcome o = outcome();
            return found() ? server.get()
                    : o.codeName + String.format(Locale.ROOT, "(0x%x): ", code) + text.get("rfr." + o.key);
        }
    }

    private final Binding binding;
    private final boolean owned;

    private Referral(Binding binding, boolean owned) {
        this.binding = binding;
        this.owned = owned;
    }

    /**
     * Opens a virtual connection to {@code options}' server and port (6002 as Outlook, or 6004) and binds RFR with
     * {@code auth} (RFR refuses anonymous callers). Every failure is an {@link RpchFailure}; the connection is closed
     * then.
     */
    public static Referral open(RpchClientOptions options, RpcAuth auth, Transcript transcript) throws RpchFailure {
        return new Referral(Binding.open(options, RfrCalls.INTERFACE, auth, transcript), true);
    }

    /** RFR on context {@code contextId} of {@code vc}, which the caller bound to it and keeps open. */
    public static Referral on(VirtualConnection vc, RpchClientOptions options, int contextId) {
        return new Referral(new Binding(vc, options, contextId), false);
    }

    /**
     * RfrGetNewDSA: the NSPI server for the mailbox {@code userDn} (its legacyExchangeDN).
     *
     * @throws RpchFailure transport, fault, or a success without a server name
     */
    public Answer newDsa(String userDn) throws RpchFailure {
        RfrCalls.GetNewDsaResult r = binding.call(RfrCalls.GetNewDsa.OPNUM, RfrCalls.GetNewDsa.of(userDn).encode(),
                RfrCalls.GetNewDsaResult::decode);
        return answer("RfrGetNewDSA", r.server(), r.returnCode());
    }

    /**
     * RfrGetFQDNFromServerDN: the FQDN of the server {@code serverDn} names (a server DN, or a database DN below one).
     *
     * @throws IllegalArgumentException when the DN is shorter than 9 or longer than 1023 characters (the IDL's range)
     * @throws RpchFailure transport, fault, or a success without a name
     */
    public Answer fqdn(String serverDn) throws RpchFailure {
        RfrCalls.GetFqdnResult r = binding.call(RfrCalls.GetFqdnFromServerDn.OPNUM,
                RfrCalls.GetFqdnFromServerDn.of(serverDn).encode(), RfrCalls.GetFqdnResult::decode);
        return answer("RfrGetFQDNFromServerDN", r.fqdn(), r.returnCode());
    }

    private static Answer answer(String call, Optional<String> server, int code) throws RpchFailure {
        if (code == RfrCalls.SUCCESS && server.filter(s -> !s.isEmpty()).isEmpty()) {
            throw new RpchFailure(Hop.CALL, Kind.PROTOCOL, RpchFailure.Text.of("rfr.no-name", "call", call));
        }
        return new Answer(code == RfrCalls.SUCCESS ? server : Optional.empty(), code);
    }

    /** Whether the virtual connection still carries calls (nothing ended it), so a later step may call again. */
    public boolean usable() {
        return binding.vc.failure().isEmpty();
    }

    /** Closes the virtual connection if {@link #open} opened it. */
    @Override
    public void close() {
        if (owned) {
            binding.vc.close();
        }
    }
}
