package dev.anywhere.server.emsmdb;

import dev.anywhere.server.endpoints.RpcCall;
import java.util.Objects;
import java.util.Optional;

/**
 * Who made a call, as far as the store endpoint cares: the account the DCE/RPC security context authenticated
 * (empty when anonymous or unauthenticated) and whether the binding is sealed (PKT_PRIVACY).
 *
 * @param account the authenticated logon name without domain
 * @param sealed the association's authentication level is PKT_PRIVACY
 */
public record EmsmdbCaller(Optional<String> account, boolean sealed) {
    /** An unauthenticated caller on an unsealed binding. */
    public static final EmsmdbCaller ANONYMOUS = new EmsmdbCaller(Optional.empty(), false);

    public EmsmdbCaller {
        Objects.requireNonNull(account, "account");
    }

    /** Says who made a call. */
    @FunctionalInterface
    public interface Lookup {
        /** Until the endpoints authenticate DCE/RPC binds, every caller is anonymous and unsealed. */
        Lookup UNAUTHENTICATED = call -> ANONYMOUS;

        EmsmdbCaller of(RpcCall call);
    }
}
