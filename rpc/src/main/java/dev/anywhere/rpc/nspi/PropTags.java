package dev.anywhere.rpc.nspi;

/**
 * The property tags the address book serves, as {@code id << 16 | type}. String tags carry PtypString (0x001F); a
 * client may ask for the same ID as PtypString8 (0x001E) and gets the value in its code page.
 *
 * @see [MS-OXOABK] 2.2 Message Syntax (the address book object properties), [MS-OXPROPS]
 */
public final class PropTags {
    public static final int INSTANCE_KEY = 0x0FF60102;
    public static final int MAPPING_SIGNATURE = 0x0FF80102;
    public static final int RECORD_KEY = 0x0FF90102;
    public static final int OBJECT_TYPE = 0x0FFE0003;
    public static final int ENTRYID = 0x0FFF0102;
    public static final int DISPLAY_NAME = 0x3001001F;
    public static final int ADDRTYPE = 0x3002001F;
    public static final int EMAIL_ADDRESS = 0x3003001F;
    public static final int DEPTH = 0x30050003;
    public static final int CREATION_TIME = 0x30070040;
    public static final int LAST_MODIFICATION_TIME = 0x30080040;
    public static final int SEARCH_KEY = 0x300B0102;
    public static final int CONTAINER_FLAGS = 0x36000003;
    public static final int DISPLAY_TYPE = 0x39000003;
    public static final int DISPLAY_TYPE_EX = 0x39050003;
    public static final int SMTP_ADDRESS = 0x39FE001F;
    public static final int DISPLAY_NAME_PRINTABLE = 0x39FF001F;
    public static final int ACCOUNT = 0x3A00001F;
    public static final int BUSINESS_TELEPHONE_NUMBER = 0x3A08001F;
    public static final int COMMON_NAME = 0x3A0F001F;
    public static final int TITLE = 0x3A17001F;
    public static final int DEPARTMENT_NAME = 0x3A18001F;
    public static final int OFFICE_LOCATION = 0x3A19001F;
    public static final int TRANSMITABLE_DISPLAY_NAME = 0x3A20001F;
    public static final int EMS_AB_HOME_MDB = 0x8006001F;
    public static final int EMS_AB_PROXY_ADDRESSES = 0x800F101F;
    public static final int EMS_AB_TARGET_ADDRESS = 0x8011001F;
    public static final int EMS_AB_OBJECT_SID = 0x80270102;
    /** PidTagAddressBookIsMemberOfDistributionList: the lists an object belongs to (a link, PtypEmbeddedTable). */
    public static final int EMS_AB_IS_MEMBER_OF_DL = 0x8008000D;
    /** PidTagAddressBookMember: a distribution list's members (a link, PtypEmbeddedTable). */
    public static final int EMS_AB_MEMBER = 0x8009000D;
    /** PidTagAddressBookPublicDelegates: a mail user's delegates (a link, PtypEmbeddedTable). */
    public static final int EMS_AB_PUBLIC_DELEGATES = 0x8015000D;
    /** PidTagAddressBookDistributionListMemberCount. */
    public static final int EMS_AB_DL_MEMBER_COUNT = 0x8CE20003;
    public static final int EMS_AB_OBJECT_GUID = 0x8C6D0102;
    public static final int EMS_AB_MAILBOX_GUID = 0x8C730102;
    public static final int EMS_AB_IS_MASTER = 0xFFFB000B;
    public static final int EMS_AB_PARENT_ENTRYID = 0xFFFC0102;
    public static final int EMS_AB_CONTAINERID = 0xFFFD0003;

    /** PR_ANR: the property of ambiguous name resolution in GetMatches filters. */
    public static final int ANR = 0x360C001F;

    private PropTags() {
    }

    /** The same property with another type. */
    public static int withType(int tag, int type) {
        return (tag & 0xFFFF0000) | type;
    }

    public static int id(int tag) {
        return tag >>> 16;
    }
}
