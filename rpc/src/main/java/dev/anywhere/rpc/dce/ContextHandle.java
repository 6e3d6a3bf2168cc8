package dev.anywhere.rpc.dce;

import java.util.Objects;
import java.util.UUID;

/**
 * An RPC context handle on the wire ({@code ndr_context_handle}, 20 bytes): u32 attributes and a GUID. The
 * all-zero handle is the NULL handle (a closed or not-yet-opened context).
 *
 * <p>Same layout as Samba's {@code policy_handle} (librpc/idl/misc.idl: {@code handle_type}, {@code uuid}).
 *
 * @see [C706] Appendix N (context_handle, ndr_context_handle)
 */
public record ContextHandle(int attributes, UUID uuid) {
    /** Bytes on the wire. */
    public static final int LENGTH = 20;
    /** The NULL context handle. */
    public static final ContextHandle NULL = new ContextHandle(0, new UUID(0, 0));

    public ContextHandle {
        Objects.requireNonNull(uuid, "uuid");
    }

    public boolean isNull() {
        return equals(NULL);
    }
}
