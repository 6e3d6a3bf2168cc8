package dev.anywhere.rpc.dce;

import java.util.HashMap;
import java.util.Map;

/**
 * An RPC status code: the {@code status} of a fault PDU ({@code nca_s_*}), a Win32 / RPC error
 * ({@code RPC_S_SERVER_UNAVAILABLE}), or any other 32-bit value. The set is open: {@link #valueOf(int)} never
 * fails and prints unknown codes as {@code UNKNOWN(0x…)}; known ones print as {@code NAME(0x1c010003)}.
 *
 * @see [C706] Appendix E Reject Status Codes
 * @see [MS-RPCE] 2.2.2.8 rpc_fault Packet
 * @see [MS-ERREF] 2.2 Win32 Error Codes
 */
public final class DceStatus {
    private static final Map<Integer, DceStatus> KNOWN = new HashMap<>();

    public static final DceStatus SUCCESS = define(0x0, "ERROR_SUCCESS");
    public static final DceStatus ACCESS_DENIED = define(0x5, "ERROR_ACCESS_DENIED");
    public static final DceStatus NOT_ENOUGH_MEMORY = define(0x8, "ERROR_NOT_ENOUGH_MEMORY");
    public static final DceStatus OUTOFMEMORY = define(0xe, "ERROR_OUTOFMEMORY");
    public static final DceStatus INVALID_PARAMETER = define(0x57, "ERROR_INVALID_PARAMETER");
    public static final DceStatus RPC_S_INVALID_BINDING = define(0x6a6, "RPC_S_INVALID_BINDING");
    public static final DceStatus RPC_S_UNKNOWN_IF = define(0x6b5, "RPC_S_UNKNOWN_IF");
    /** 1722: the RPC server is unavailable; also the proxy's {@code 503 RPC Error: 6ba}. */
    public static final DceStatus RPC_S_SERVER_UNAVAILABLE = define(0x6ba, "RPC_S_SERVER_UNAVAILABLE");
    public static final DceStatus RPC_S_SERVER_TOO_BUSY = define(0x6bb, "RPC_S_SERVER_TOO_BUSY");
    public static final DceStatus RPC_S_CALL_FAILED = define(0x6be, "RPC_S_CALL_FAILED");
    public static final DceStatus RPC_S_CALL_FAILED_DNE = define(0x6bf, "RPC_S_CALL_FAILED_DNE");
    public static final DceStatus RPC_S_PROTOCOL_ERROR = define(0x6c0, "RPC_S_PROTOCOL_ERROR");
    public static final DceStatus RPC_S_PROCNUM_OUT_OF_RANGE = define(0x6d1, "RPC_S_PROCNUM_OUT_OF_RANGE");
    public static final DceStatus EPT_S_NOT_REGISTERED = define(0x6d9, "EPT_S_NOT_REGISTERED");
    public static final DceStatus RPC_X_BAD_STUB_DATA = define(0x6f7, "RPC_X_BAD_STUB_DATA");
    public static final DceStatus RPC_S_CALL_CANCELLED = define(0x71a, "RPC_S_CALL_CANCELLED");
    public static final DceStatus RPC_S_SEC_PKG_ERROR = define(0x721, "RPC_S_SEC_PKG_ERROR");

    public static final DceStatus NCA_S_FAULT_INT_DIV_BY_ZERO = define(0x1c000001, "nca_s_fault_int_div_by_zero");
    public static final DceStatus NCA_S_FAULT_ADDR_ERROR = define(0x1c000002, "nca_s_fault_addr_error");
    public static final DceStatus NCA_S_FAULT_CANCEL = define(0x1c00000d, "nca_s_fault_cancel");
    public static final DceStatus NCA_S_FAULT_UNSPEC = define(0x1c000012, "nca_s_fault_unspec");
    public static final DceStatus NCA_S_FAULT_REMOTE_NO_MEMORY = define(0x1c00001b, "nca_s_fault_remote_no_memory");
    public static final DceStatus NCA_S_FAULT_CONTEXT_MISMATCH = define(0x1c00001a, "nca_s_fault_context_mismatch");
    public static final DceStatus NCA_S_INVALID_PRES_CONTEXT_ID = define(0x1c00001c, "nca_s_invalid_pres_context_id");
    public static final DceStatus NCA_S_UNSUPPORTED_AUTHN_LEVEL = define(0x1c00001d, "nca_s_unsupported_authn_level");
    public static final DceStatus NCA_S_INVALID_CHECKSUM = define(0x1c00001f, "nca_s_invalid_checksum");
    public static final DceStatus NCA_S_INVALID_CRC = define(0x1c000020, "nca_s_invalid_crc");
    public static final DceStatus NCA_S_COMM_FAILURE = define(0x1c010001, "nca_s_comm_failure");
    /** The opnum is out of range for the interface. */
    public static final DceStatus NCA_S_OP_RNG_ERROR = define(0x1c010002, "nca_s_op_rng_error");
    /** The interface is unknown to the server. */
    public static final DceStatus NCA_S_UNK_IF = define(0x1c010003, "nca_s_unk_if");
    public static final DceStatus NCA_S_WRONG_BOOT_TIME = define(0x1c010006, "nca_s_wrong_boot_time");
    public static final DceStatus NCA_S_YOU_CRASHED = define(0x1c010009, "nca_s_you_crashed");
    /** A PDU violated the protocol. */
    public static final DceStatus NCA_S_PROTO_ERROR = define(0x1c01000b, "nca_s_proto_error");
    public static final DceStatus NCA_S_OUT_ARGS_TOO_BIG = define(0x1c010013, "nca_s_out_args_too_big");
    public static final DceStatus NCA_S_SERVER_TOO_BUSY = define(0x1c010014, "nca_s_server_too_busy");
    public static final DceStatus NCA_S_UNSUPPORTED_TYPE = define(0x1c010017, "nca_s_unsupported_type");

    private final int code;
    private final String name;

    private DceStatus(int code, String name) {
        this.code = code;
        this.name = name;
    }

    private static DceStatus define(int code, String name) {
        DceStatus s = new DceStatus(code, name);
        KNOWN.put(code, s);
        return s;
    }

    /** The status for {@code code}; never fails. */
    public static DceStatus valueOf(int code) {
        DceStatus s = KNOWN.get(code);
        return s != null ? s : new DceStatus(code, null);
    }

    /** The 32-bit code. */
    public int code() {
        return code;
    }

    /** The symbolic name, or {@code UNKNOWN} for a code not in the table. */
    public String name() {
        return name != null ? name : "UNKNOWN";
    }

    public boolean isKnown() {
        return name != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DceStatus other && other.code == code;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(code);
    }

    /** {@code nca_s_unk_if(0x1c010003)}, {@code RPC_S_SERVER_UNAVAILABLE(0x6ba)}, {@code UNKNOWN(0xdead)}. */
    @Override
    public String toString() {
        return name() + "(0x" + Integer.toHexString(code) + ")";
    }
}
