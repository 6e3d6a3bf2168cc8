package dev.anywhere.rpc.nspi;

import dev.anywhere.rpc.dce.SyntaxId;
import java.util.UUID;

/**
 * The NSPI interface ({@code f5cc5a18-4264-101a-8c59-08002b2f8426} v56.0), its return values, code pages and the
 * GUID of permanent entry IDs.
 *
 * @see [MS-OXNSPI] 1.9 Standards Assignments, 2.2.1 Constants
 */
public final class Nspi {
    /** The interface a client binds to on port 6004. */
    public static final SyntaxId INTERFACE = new SyntaxId(UUID.fromString("f5cc5a18-4264-101a-8c59-08002b2f8426"), 56, 0);
    /** The endpoint mapper's annotation for it. */
    public static final String ANNOTATION = "Exchange Server Address Book (NSPI)";
    /** Opnums 0..20 exist. */
    public static final int OPNUM_COUNT = 21;

    // ---- return values ([MS-OXNSPI] 2.2.1.2) ----
    public static final int SUCCESS = 0;
    public static final int UNBIND_SUCCESS = 1;
    public static final int ERRORS_RETURNED = 0x0004_0380;
    public static final int GENERAL_FAILURE = 0x8000_4005;
    public static final int NOT_SUPPORTED = 0x8004_0102;
    public static final int INVALID_OBJECT = 0x8004_0108;
    public static final int NOT_ENOUGH_RESOURCES = 0x8004_010E;
    public static final int NOT_FOUND = 0x8004_010F;
    public static final int LOGON_FAILED = 0x8004_0111;
    /** TooComplex: a restriction the server does not evaluate ([MS-OXCDATA] 2.4.2). */
    public static final int TOO_COMPLEX = 0x8004_0117;
    public static final int INVALID_CODEPAGE = 0x8004_011E;
    public static final int INVALID_LOCALE = 0x8004_011F;
    public static final int TABLE_TOO_BIG = 0x8004_0403;
    public static final int INVALID_BOOKMARK = 0x8004_0405;
    public static final int ACCESS_DENIED = 0x8007_0005;
    public static final int OUT_OF_MEMORY = 0x8007_000E;
    public static final int INVALID_PARAMETER = 0x8007_0057;

    // ---- code pages ([MS-OXNSPI] 2.2.1.3) ----
    /** CP_TELETEX: 8-bit strings, what impacket binds with. */
    public static final int CP_TELETEX = 20261;
    /** CP_WINUNICODE: refused as a STAT code page (NotSupported). */
    public static final int CP_WINUNICODE = 1200;

    // ---- sort orders ([MS-OXNSPI] 2.2.1.10) ----
    public static final int SORT_TYPE_DISPLAY_NAME = 0;
    public static final int SORT_TYPE_PHONETIC_DISPLAY_NAME = 3;
    /** SortTypeDisplayName_RO: a link property opened for reading (NspiGetMatches without a filter). */
    public static final int SORT_TYPE_DISPLAY_NAME_RO = 0x3E8;
    /** SortTypeDisplayName_W: a link property opened for changing it. */
    public static final int SORT_TYPE_DISPLAY_NAME_W = 0x3E9;

    // ---- ambiguous name resolution ([MS-OXNSPI] 2.2.1.9) ----
    public static final int MID_UNRESOLVED = 0;
    public static final int MID_AMBIGUOUS = 1;
    public static final int MID_RESOLVED = 2;

    // ---- display types ([MS-OXNSPI] 2.2.1.3) ----
    public static final int DT_MAILUSER = 0;
    public static final int DT_DISTLIST = 1;
    public static final int DT_REMOTE_MAILUSER = 6;
    public static final int DT_CONTAINER = 0x100;

    /** The provider GUID of permanent entry IDs, C840A7DC-42C0-1A10-B4B9-08002B2FE182, in wire order. */
    public static final byte[] GUID_NSPI = {(byte) 0xDC, (byte) 0xA7, 0x40, (byte) 0xC8, (byte) 0xC0, 0x42, 0x10, 0x1A,
        (byte) 0xB4, (byte) 0xB9, 0x08, 0x00, 0x2B, 0x2F, (byte) 0xE1, (byte) 0x82};

    private Nspi() {
    }
}
