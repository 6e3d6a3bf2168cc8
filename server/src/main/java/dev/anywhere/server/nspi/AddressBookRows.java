package dev.anywhere.server.nspi;

import dev.anywhere.directory.addressbook.AddressList;
import dev.anywhere.directory.addressbook.Recipient;
import dev.anywhere.rpc.nspi.Nspi;
import dev.anywhere.rpc.nspi.PropTags;
import dev.anywhere.rpc.nspi.PropertyRow;
import dev.anywhere.rpc.nspi.PropertyValue;
import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.Octets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns address-book objects into NSPI rows: each requested tag gets the object's value in the requested type, or
 * PT_ERROR with NotFound when the object has no such value or the type does not fit. The mapping from directory
 * attributes to property tags is the table in docs/address-book.md.
 *
 * @see [MS-OXOABK] 2.2 (address book object properties), [MS-OXNSPI] 2.2.9 (entry IDs), 3.1.4.3 (string handling)
 */
final class AddressBookRows {

    /** PidTagObjectType of a mail user, a distribution list and a container ([MS-OXCDATA] 2.2.4). */
    static final int MAPI_MAILUSER = 6;
    static final int MAPI_DISTLIST = 8;
    static final int MAPI_ABCONT = 4;
    /** AB_RECIPIENTS | AB_UNMODIFIABLE ([MS-OXOABK] 2.2.2.1). */
    static final int CONTAINER_FLAGS = 0x1 | 0x8;

    /** The columns of QueryColumns and GetPropList: what the address book can serve (PtypString forms). */
    static final List<Integer> RECIPIENT_COLUMNS = List.of(PropTags.EMS_AB_CONTAINERID, PropTags.OBJECT_TYPE,
            PropTags.DISPLAY_TYPE, PropTags.DISPLAY_TYPE_EX, PropTags.ENTRYID, PropTags.RECORD_KEY,
            PropTags.INSTANCE_KEY, PropTags.MAPPING_SIGNATURE, PropTags.SEARCH_KEY, PropTags.DISPLAY_NAME,
            PropTags.TRANSMITABLE_DISPLAY_NAME, PropTags.DISPLAY_NAME_PRINTABLE, PropTags.ACCOUNT, PropTags.ADDRTYPE,
            PropTags.EMAIL_ADDRESS, PropTags.SMTP_ADDRESS, PropTags.EMS_AB_PROXY_ADDRESSES, PropTags.EMS_AB_TARGET_ADDRESS,
            PropTags.TITLE, PropTags.DEPARTMENT_NAME, PropTags.EMS_AB_HOME_MDB, PropTags.EMS_AB_OBJECT_GUID,
            PropTags.EMS_AB_OBJECT_SID, PropTags.EMS_AB_MAILBOX_GUID, PropTags.CREATION_TIME,
            PropTags.LAST_MODIFICATION_TIME, PropTags.EMS_AB_DL_MEMBER_COUNT);

    private final UUID serverGuid;

    AddressBookRows(UUID serverGuid) {
        this.serverGuid = serverGuid;
    }

    /**
     * A recipient's row.
     *
     * @param charset the code page of PtypString8 values; null: serve PtypString8 tags as PtypString (CP_WINUNICODE)
     * @param ephemeral PR_ENTRYID as an ephemeral entry ID (fEphID) instead of a permanent one
     */
    PropertyRow recipient(Recipient r, List<Integer> tags, Charset charset, boolean ephemeral) {
        List<PropertyValue> values = new ArrayList<>(tags.size());
        for (int tag : tags) {
            values.add(convert(tag, recipientValue(r, PropTags.id(tag), ephemeral), charset));
        }
        return new PropertyRow(values);
    }

    /** A hierarchy-table row for an address list ([MS-OXOABK] 3.1.4.1.1). */
    PropertyRow container(AddressList list, List<Integer> tags, Charset charset) {
        List<PropertyValue> values = new ArrayList<>(tags.size());
        for (int tag : tags) {
            values.add(convert(tag, containerValue(list, PropTags.id(tag)), charset));
        }
        return new PropertyRow(values);
    }

    /** The hierarchy columns exchanger and Outlook read. */
    static List<Integer> hierarchyColumns(boolean unicode) {
        int name = unicode ? PropTags.DISPLAY_NAME : PropTags.withType(PropTags.DISPLAY_NAME, PropertyValue.PT_STRING8);
        return List.of(PropTags.EMS_AB_CONTAINERID, PropTags.CONTAINER_FLAGS, PropTags.DEPTH, name, PropTags.ENTRYID,
                PropTags.EMS_AB_IS_MASTER);
    }

    /** A row for an MId that names nothing (or nothing the caller may see): every column NotFound. */
    static PropertyRow missing(List<Integer> tags) {
        return new PropertyRow(tags.stream().map(t -> PropertyValue.error(t, Nspi.NOT_FOUND)).toList());
    }

    /** The tags {@code r} has values for, strings as PtypString or PtypString8. */
    List<Integer> present(Recipient r, boolean unicode) {
        List<Integer> out = new ArrayList<>();
        for (int tag : RECIPIENT_COLUMNS) {
            if (recipientValue(r, PropTags.id(tag), false).isPresent()) {
                out.add(unicode ? tag : string8(tag));
            }
        }
        return out;
    }

    static int string8(int tag) {
        int type = tag & 0xFFFF;
        if (type == PropertyValue.PT_UNICODE) {
            return PropTags.withType(tag, PropertyValue.PT_STRING8);
        }
        if (type == (PropertyValue.PT_UNICODE | PropertyValue.PT_MV_FLAG)) {
            return PropTags.withType(tag, PropertyValue.PT_STRING8 | PropertyValue.PT_MV_FLAG);
        }
        return tag;
    }

    // ---- values by property ID ----

    private Optional<Object> recipientValue(Recipient r, int id, boolean ephemeral) {
        Object v = switch (id) {
            case 0xFFFD -> r.mid(); // PidTagAddressBookContainerId: Exchange sends the object's DNT, our MId
            case 0x0FFE -> r.distributionList() ? MAPI_DISTLIST : MAPI_MAILUSER;
            case 0x3900, 0x3905 -> displayType(r);
            case 0x0FFF -> ephemeral ? ephemeralEntryId(r) : permanentEntryId(r.legacyExchangeDn(), displayType(r));
            case 0x0FF9 -> permanentEntryId(r.legacyExchangeDn(), displayType(r));
            case 0x0FF6 -> Octets.of(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(r.mid()).array());
            case 0x0FF8 -> Octets.of(Nspi.GUID_NSPI);
            case 0x300B -> searchKey(r.legacyExchangeDn());
            case 0x3001, 0x3A20 -> r.displayName();
            case 0x39FF, 0x3A00 -> r.alias();
            case 0x3002 -> "EX";
            case 0x3003 -> r.legacyExchangeDn();
            case 0x39FE -> r.primarySmtpAddress();
            case 0x800F -> r.proxyAddresses().isEmpty() ? null : r.proxyAddresses();
            case 0x8011 -> r.targetAddress().map(t -> "SMTP:" + t).orElse(null);
            case 0x3A17 -> r.title().orElse(null);
            case 0x3A18 -> r.department().orElse(null);
            case 0x8006 -> r.homeDatabaseLegacyDn().orElse(null);
            case 0x8C6D -> Octets.of(Guids.toBytes(r.objectGuid()));
            case 0x8027 -> r.objectSid().map(s -> Octets.of(s.toBytes())).orElse(null);
            case 0x8C73 -> r.mailboxGuid().map(g -> Octets.of(Guids.toBytes(g))).orElse(null);
            case 0x3007 -> r.created().orElse(null);
            case 0x3008 -> r.changed().orElse(null);
            case 0x8CE2 -> r.distributionList() ? r.members().size() : null; // the visible members
            default -> null;
        };
        return Optional.ofNullable(v);
    }

    /** DT_DISTLIST, DT_REMOTE_MAILUSER (a mail user with a target address) or DT_MAILUSER ([MS-OXNSPI] 2.2.1.3). */
    static int displayType(Recipient r) {
        if (r.distributionList()) {
            return Nspi.DT_DISTLIST;
        }
        return r.targetAddress().isPresent() ? Nspi.DT_REMOTE_MAILUSER : Nspi.DT_MAILUSER;
    }

    private Optional<Object> containerValue(AddressList l, int id) {
        Object v = switch (id) {
            case 0xFFFD -> l.mid();
            case 0x3600 -> CONTAINER_FLAGS;
            case 0x3005 -> 0; // PidTagDepth: the lists are flat
            case 0x3001 -> l.displayName();
            case 0x0FFE -> MAPI_ABCONT;
            case 0x3900 -> Nspi.DT_CONTAINER;
            // The GAL's row carries no entry ID: exchanger and Outlook know it by container ID 0.
            case 0x0FFF -> l.global() ? null : permanentEntryId("/guid=" + hex(Guids.toBytes(l.objectGuid())),
                    Nspi.DT_CONTAINER);
            case 0xFFFB -> Boolean.FALSE; // PidTagAddressBookIsMaster
            default -> null;
        };
        return Optional.ofNullable(v);
    }

    // ---- conversion to the requested type ----

    /**
     * {@code raw} as the type {@code tag} asks for: PtypUnspecified (0) means the value's own type; PtypString8 values
     * are encoded with {@code charset} (null: served as PtypString instead); a value that does not fit the type is
     * PT_ERROR NotFound.
     */
    static PropertyValue convert(int tag, Optional<Object> raw, Charset charset) {
        if (raw.isEmpty()) {
            return PropertyValue.error(tag, Nspi.NOT_FOUND);
        }
        Object v = raw.get();
        int type = tag & 0xFFFF;
        if (type == 0) {
            type = naturalType(v);
        }
        if (charset == null && (type & ~PropertyValue.PT_MV_FLAG) == PropertyValue.PT_STRING8) {
            type = (type & PropertyValue.PT_MV_FLAG) | PropertyValue.PT_UNICODE;
        }
        Object value = switch (type) {
            case PropertyValue.PT_STRING8 -> v instanceof String s ? Octets.of(s.getBytes(charset)) : null;
            case PropertyValue.PT_STRING8 | PropertyValue.PT_MV_FLAG -> v instanceof List<?> l
                    ? l.stream().map(s -> Octets.of(((String) s).getBytes(charset))).toList() : null;
            case PropertyValue.PT_SYSTIME -> v instanceof Instant t ? fileTime(t) : null;
            default -> naturalType(v) == type ? v : null; // the value's own type: passed as it is
        };
        return value == null ? PropertyValue.error(tag, Nspi.NOT_FOUND)
                : new PropertyValue(PropTags.withType(tag, type), value);
    }

    /** The property type a value of the model has: strings, lists of strings, integers, booleans, times, bytes. */
    private static int naturalType(Object v) {
        if (v instanceof String) {
            return PropertyValue.PT_UNICODE;
        } else if (v instanceof List) {
            return PropertyValue.PT_UNICODE | PropertyValue.PT_MV_FLAG;
        } else if (v instanceof Integer) {
            return PropertyValue.PT_LONG;
        } else if (v instanceof Boolean) {
            return PropertyValue.PT_BOOLEAN;
        } else if (v instanceof Instant) {
            return PropertyValue.PT_SYSTIME;
        } else if (v instanceof Octets) {
            return PropertyValue.PT_BINARY;
        }
        throw new IllegalStateException("address book value: " + v.getClass().getSimpleName()
                + " (expected: String, List, Integer, Boolean, Instant or Octets)");
    }

    /** 100-ns intervals since 1601-01-01. */
    static long fileTime(Instant t) {
        return (t.getEpochSecond() + 11_644_473_600L) * 10_000_000L + t.getNano() / 100;
    }

    // ---- entry IDs ----

    /**
     * PermanentEntryID: 4 zero bytes, the NSPI provider GUID, version 1, display type, the DN and a NUL.
     *
     * @see [MS-OXNSPI] 2.2.9.3 PermanentEntryID
     */
    static Octets permanentEntryId(String dn, int displayType) {
        byte[] name = dn.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(28 + name.length + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0).put(Nspi.GUID_NSPI).putInt(1).putInt(displayType).put(name).put((byte) 0);
        return Octets.of(b.array());
    }

    /**
     * EphemeralEntryID: 0x87 and three zero bytes, the server's GUID, version 1, display type, the MId.
     *
     * @see [MS-OXNSPI] 2.2.9.2 EphemeralEntryID
     */
    private Octets ephemeralEntryId(Recipient r) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x87).put((byte) 0).put((byte) 0).put((byte) 0).put(Guids.toBytes(serverGuid)).putInt(1)
                .putInt(displayType(r)).putInt(r.mid());
        return Octets.of(b.array());
    }

    /** PidTagSearchKey of an address-book object: "EX:", the upper-case legacy DN, NUL ([MS-OXOABK] 2.2.3.5). */
    private static Octets searchKey(String legacyDn) {
        return Octets.of(("EX:" + legacyDn.toUpperCase(Locale.ROOT) + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
