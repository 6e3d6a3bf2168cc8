package dev.anywhere.rpc.emsmdb;

import java.util.Map;

/**
 * The {@code ec*} return values of EMSMDB calls and ROPs that Anywhere sends or explains, with their names as
 * Exchange and the Remote Connectivity Analyzer print them.
 *
 * @see [MS-OXCDATA] 2.4 Error Codes
 * @see [MS-OXCRPC] 3.1.4.1 (EcDoConnectEx), 3.1.4.2 (EcDoRpcExt2)
 * @see [MS-OXCSTOR] 3.2.5.1.3 RopLogon ROP Common Return Codes
 */
public final class EcCode {
    public static final int NONE = 0x0000_0000;
    /** ecUnknownUser: the Essdn names no mailbox. */
    public static final int UNKNOWN_USER = 0x0000_03EB;
    /** ecLoginPerm: the user has no owner right on the mailbox. */
    public static final int LOGIN_PERM = 0x0000_03F2;
    /** ecWrongServer: the mailbox lives on another server; the RopLogon redirect response names it. */
    public static final int WRONG_SERVER = 0x0000_0478;
    /** ecBufferTooSmall: the response does not fit the client's pcbOut. */
    public static final int BUFFER_TOO_SMALL = 0x0000_047D;
    /** ecRpcFormat: the request buffer (RPC_HEADER_EXT, ROP list) is malformed. */
    public static final int RPC_FORMAT = 0x0000_04B6;
    /** ecNotEncrypted: the server requires PKT_PRIVACY and the binding is not sealed. */
    public static final int NOT_ENCRYPTED = 0x0000_0970;
    /** ecLoginFailure (MAPI_E_LOGON_FAILED). */
    public static final int LOGIN_FAILURE = 0x8004_0111;
    /** ecNotSupported (MAPI_E_NO_SUPPORT). */
    public static final int NOT_SUPPORTED = 0x8004_0102;
    /** ecAccessDenied (E_ACCESSDENIED). */
    public static final int ACCESS_DENIED = 0x8007_0005;
    /** ecInvalidParam (E_INVALIDARG); RopLogon without USE_PER_MDB_REPLID_MAPPING. */
    public static final int INVALID_PARAMETER = 0x8007_0057;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(NONE, "ecNone"),
            Map.entry(UNKNOWN_USER, "ecUnknownUser"),
            Map.entry(LOGIN_PERM, "ecLoginPerm"),
            Map.entry(WRONG_SERVER, "ecWrongServer"),
            Map.entry(BUFFER_TOO_SMALL, "ecBufferTooSmall"),
            Map.entry(RPC_FORMAT, "ecRpcFormat"),
            Map.entry(NOT_ENCRYPTED, "ecNotEncrypted"),
            Map.entry(LOGIN_FAILURE, "ecLoginFailure"),
            Map.entry(NOT_SUPPORTED, "ecNotSupported"),
            Map.entry(ACCESS_DENIED, "ecAccessDenied"),
            Map.entry(INVALID_PARAMETER, "ecInvalidParam"));

    private EcCode() {
    }

    /** {@code ecNotEncrypted (0x00000970)}; unknown codes print as hex alone. */
    public static String describe(int code) {
        String hex = String.format("0x%08X", code);
        String name = NAMES.get(code);
        return name == null ? hex : name + " (" + hex + ")";
    }
}
