package dev.anywhere.rpc.emsmdb;

import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.WireReader;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * RopLogon (0xFE) for a private mailbox: the request and its three response forms (success, redirect to the
 * mailbox's server, failure).
 *
 * @see [MS-OXCROPS] 2.2.3.1 RopLogon ROP
 * @see [MS-OXCSTOR] 2.2.1.1 RopLogon ROP (flags, fields), 3.2.5.1.3 (return codes)
 */
public final class RopLogon {
    public static final int ROP_ID = 0xFE;
    /** LogonFlags: a private mailbox (without it, public folders). */
    public static final int PRIVATE = 0x01;
    /** OpenFlags bits Outlook sets for its own mailbox ([MS-OXCSTOR] 2.2.1.1.2). */
    public static final long HOME_LOGON = 0x0000_0004L;
    public static final long TAKE_OWNERSHIP = 0x0000_0008L;
    public static final long NO_MAIL = 0x0000_0400L;
    /** Required: without it the server answers ecInvalidParam. */
    public static final long USE_PER_MDB_REPLID_MAPPING = 0x0100_0000L;
    /** What Outlook sends: HOME_LOGON | TAKE_OWNERSHIP | NO_MAIL | USE_PER_MDB_REPLID_MAPPING. */
    public static final long OUTLOOK_OPEN_FLAGS = HOME_LOGON | TAKE_OWNERSHIP | NO_MAIL | USE_PER_MDB_REPLID_MAPPING;
    /** ResponseFlags: Reserved (always set) | OwnerRight | SendAsRight. */
    public static final int OWNER_RESPONSE_FLAGS = 0x07;
    /** Special folders in a private logon's response. */
    public static final int FOLDER_COUNT = 13;
    /** Bytes of the private-mailbox success response. */
    public static final int SUCCESS_LENGTH = 166;
    /** Longest Essdn accepted, NUL included. */
    static final int MAX_ESSDN = 1024;

    private RopLogon() {
    }

    /**
     * @param essdn the mailbox's legacyExchangeDN (sent with a NUL, EssdnSize counting it)
     */
    public record Request(int logonId, int outputHandleIndex, int logonFlags, long openFlags, long storeState,
            String essdn) implements RopRequest {

        public Request {
            Objects.requireNonNull(essdn, "essdn");
        }

        /** What Outlook sends for its own mailbox. */
        public static Request privateMailbox(int logonId, int outputHandleIndex, String legacyDn) {
            return new Request(logonId, outputHandleIndex, PRIVATE, OUTLOOK_OPEN_FLAGS, 0, legacyDn);
        }

        @Override
        public int ropId() {
            return ROP_ID;
        }

        @Override
        public void writeTo(ByteBuf out) {
            byte[] dn = essdn.getBytes(StandardCharsets.ISO_8859_1);
            out.writeByte(ROP_ID); // RopId
            out.writeByte(logonId); // LogonId
            out.writeByte(outputHandleIndex); // OutputHandleIndex
            out.writeByte(logonFlags); // LogonFlags
            out.writeIntLE((int) openFlags); // OpenFlags
            out.writeIntLE((int) storeState); // StoreState
            out.writeShortLE(dn.length + 1); // EssdnSize
            out.writeBytes(dn).writeByte(0); // Essdn
        }

        /** The fields after RopId. */
        static Request readBody(WireReader r) {
            int logonId = r.u8("RopLogon LogonId");
            int out = r.u8("RopLogon OutputHandleIndex");
            int flags = r.u8("RopLogon LogonFlags");
            long open = r.u32("RopLogon OpenFlags");
            long state = r.u32("RopLogon StoreState");
            int size = r.u16("RopLogon EssdnSize");
            if (size > MAX_ESSDN) {
                throw r.error("RopLogon EssdnSize: " + size + " (expected: <= " + MAX_ESSDN + ")");
            }
            byte[] dn = r.byteArray(size, "RopLogon Essdn");
            if (size > 0 && dn[size - 1] != 0) {
                throw r.error("RopLogon Essdn: no terminating NUL (expected: last of " + size + " bytes is 0)");
            }
            return new Request(logonId, out, flags, open, state,
                    new String(dn, 0, Math.max(size - 1, 0), StandardCharsets.ISO_8859_1));
        }
    }

    /** One of {@link Success}, {@link Redirect}, {@link Failure}. */
    public sealed interface Response permits Success, Redirect, Failure {
        int outputHandleIndex();

        int returnValue();

        void writeTo(ByteBuf out);
    }

    /**
     * The private-mailbox success response.
     *
     * @param folderIds the 13 special folders: Root, DeferredAction, SpoolerQueue, IPM Subtree, Inbox, Outbox,
     *     Sent Items, Deleted Items, Common Views, Schedule, Finder, Views, Shortcuts
     * @param logonTime the server's UTC time
     * @param gwartTime the last time the free/busy (GWART) data changed, as a FILETIME
     */
    public record Success(int outputHandleIndex, int logonFlags, List<FolderId> folderIds, int responseFlags,
            UUID mailboxGuid, int replId, UUID replGuid, LocalDateTime logonTime, long gwartTime, long storeState)
            implements Response {

        public Success {
            folderIds = List.copyOf(folderIds);
            if (folderIds.size() != FOLDER_COUNT) {
                throw new IllegalArgumentException("folderIds: " + folderIds.size() + " (expected: " + FOLDER_COUNT + ")");
            }
            Objects.requireNonNull(mailboxGuid, "mailboxGuid");
            Objects.requireNonNull(replGuid, "replGuid");
            Objects.requireNonNull(logonTime, "logonTime");
        }

        @Override
        public int returnValue() {
            return EcCode.NONE;
        }

        @Override
        public void writeTo(ByteBuf out) {
            out.writeByte(ROP_ID); // RopId
            out.writeByte(outputHandleIndex); // OutputHandleIndex
            out.writeIntLE(EcCode.NONE); // ReturnValue
            out.writeByte(logonFlags); // LogonFlags
            folderIds.forEach(f -> f.writeTo(out)); // FolderIds (13 x 8)
            out.writeByte(responseFlags); // ResponseFlags
            Guids.write(out, mailboxGuid); // MailboxGuid
            out.writeShortLE(replId); // ReplId
            Guids.write(out, replGuid); // ReplGuid
            out.writeByte(logonTime.getSecond()); // LogonTime: Seconds
            out.writeByte(logonTime.getMinute()); // Minutes
            out.writeByte(logonTime.getHour()); // Hour
            out.writeByte(logonTime.getDayOfWeek().getValue() % 7); // DayOfWeek, 0 = Sunday
            out.writeByte(logonTime.getDayOfMonth()); // Day
            out.writeByte(logonTime.getMonthValue()); // Month
            out.writeShortLE(logonTime.getYear()); // Year
            out.writeLongLE(gwartTime); // GwartTime
            out.writeIntLE((int) storeState); // StoreState
        }
    }

    /** ecWrongServer: the mailbox lives on {@code serverName}; the client connects there. */
    public record Redirect(int outputHandleIndex, int logonFlags, String serverName) implements Response {
        public Redirect {
            Objects.requireNonNull(serverName, "serverName");
            if (serverName.length() + 1 > 0xFF) {
                throw new IllegalArgumentException("serverName: " + serverName.length() + " characters (expected: <= 254)");
            }
        }

        @Override
        public int returnValue() {
            return EcCode.WRONG_SERVER;
        }

        @Override
        public void writeTo(ByteBuf out) {
            byte[] name = serverName.getBytes(StandardCharsets.ISO_8859_1);
            out.writeByte(ROP_ID); // RopId
            out.writeByte(outputHandleIndex); // OutputHandleIndex
            out.writeIntLE(EcCode.WRONG_SERVER); // ReturnValue
            out.writeByte(logonFlags); // LogonFlags
            out.writeByte(name.length + 1); // ServerNameSize
            out.writeBytes(name).writeByte(0); // ServerName
        }
    }

    /** Any other failure: RopId, OutputHandleIndex, ReturnValue. */
    public record Failure(int outputHandleIndex, int returnValue) implements Response {
        public Failure {
            if (returnValue == EcCode.NONE || returnValue == EcCode.WRONG_SERVER) {
                throw new IllegalArgumentException("returnValue: " + EcCode.describe(returnValue)
                        + " (expected: a failure other than ecWrongServer)");
            }
        }

        @Override
        public void writeTo(ByteBuf out) {
            out.writeByte(ROP_ID); // RopId
            out.writeByte(outputHandleIndex); // OutputHandleIndex
            out.writeIntLE(returnValue); // ReturnValue
        }
    }

    /** Reads the RopLogon response at the start of {@code rops} (a response's ROP bytes). */
    public static Response readResponse(dev.anywhere.rpc.wire.Octets rops) {
        return readResponse(RopBuffer.reader(io.netty.buffer.Unpooled.wrappedBuffer(rops.toByteArray())));
    }

    /**
     * Reads a RopLogon response to a private logon, RopId included.
     *
     * @throws EmsmdbFormatException if it is not one, or is truncated
     */
    public static Response readResponse(WireReader r) {
        int rop = r.u8("RopId");
        if (rop != ROP_ID) {
            throw r.error(String.format("RopId: 0x%02X (expected: 0xFE, RopLogon)", rop));
        }
        int out = r.u8("RopLogon OutputHandleIndex");
        int rv = r.i32("RopLogon ReturnValue");
        if (rv == EcCode.WRONG_SERVER) {
            int flags = r.u8("RopLogon LogonFlags");
            int size = r.u8("RopLogon ServerNameSize");
            byte[] name = r.byteArray(size, "RopLogon ServerName");
            if (size == 0 || name[size - 1] != 0) {
                throw r.error("RopLogon ServerName: no terminating NUL (expected: last of " + size + " bytes is 0)");
            }
            return new Redirect(out, flags, new String(name, 0, size - 1, StandardCharsets.ISO_8859_1));
        }
        if (rv != EcCode.NONE) {
            return new Failure(out, rv);
        }
        int flags = r.u8("RopLogon LogonFlags");
        if ((flags & PRIVATE) == 0) {
            throw r.error(String.format("RopLogon LogonFlags: 0x%02X (expected: Private 0x01; public folder logons are not read)", flags));
        }
        FolderId[] folders = new FolderId[FOLDER_COUNT];
        for (int i = 0; i < FOLDER_COUNT; i++) {
            folders[i] = FolderId.read(r, "RopLogon FolderIds[" + i + "]");
        }
        int responseFlags = r.u8("RopLogon ResponseFlags");
        UUID mailbox = Guids.fromBytes(r.byteArray(16, "RopLogon MailboxGuid"));
        int replId = r.u16("RopLogon ReplId");
        UUID replGuid = Guids.fromBytes(r.byteArray(16, "RopLogon ReplGuid"));
        int sec = r.u8("LogonTime Seconds");
        int min = r.u8("LogonTime Minutes");
        int hour = r.u8("LogonTime Hour");
        r.u8("LogonTime DayOfWeek"); // implied by the date
        int day = r.u8("LogonTime Day");
        int month = r.u8("LogonTime Month");
        int year = r.u16("LogonTime Year");
        LocalDateTime time;
        try {
            time = LocalDateTime.of(year, month, day, hour, min, sec);
        } catch (DateTimeException e) {
            throw r.error("RopLogon LogonTime: " + year + "-" + month + "-" + day + " " + hour + ":" + min + ":" + sec
                    + " (expected: a valid date and time)");
        }
        long gwart = r.u64("RopLogon GwartTime");
        long state = r.u32("RopLogon StoreState");
        return new Success(out, flags, List.of(folders), responseFlags, mailbox, replId, replGuid, time, gwart, state);
    }
}
