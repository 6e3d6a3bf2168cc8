package dev.anywhere.directory.ldap;

/**
 * Active Directory's and Exchange's LDAP display names for every attribute and class Anywhere reads or writes.
 *
 * @see <a href="https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-ada3/">[MS-ADA3]</a>
 * @see "directory/README.md (objects, their classes and attributes)"
 */
public final class AdNames {

    // object classes
    public static final String CONTAINER = "container";
    public static final String USER = "user";
    /** A security or distribution group; mail-enabled (with {@code mail}) it is a distribution list. */
    public static final String GROUP = "group";
    public static final String SERVER = "server";
    public static final String SERVICE_CONNECTION_POINT = "serviceConnectionPoint";
    public static final String EXCHANGE_ORGANIZATION = "msExchOrganizationContainer";
    public static final String EXCHANGE_SERVER = "msExchExchangeServer";
    public static final String RPC_HTTP_VIRTUAL_DIRECTORY = "msExchRpcHttpVirtualDirectory";
    public static final String AUTODISCOVER_CONFIG = "msExchAutoDiscoverConfig";
    public static final String ADDRESS_BOOK_CONTAINER = "addressBookContainer";

    // common
    public static final String CN = "cn";
    public static final String OBJECT_CLASS = "objectClass";
    public static final String DNS_HOST_NAME = "dNSHostName";
    public static final String NETWORK_ADDRESS = "networkAddress";

    // msExchRpcHttpVirtualDirectory
    public static final String RPC_HTTP_FLAGS = "msExchRpcHttpFlags";
    public static final String EXTERNAL_HOST_NAME = "msExchExternalHostName";
    public static final String INTERNAL_HOST_NAME = "msExchInternalHostName";
    public static final String EXTERNAL_AUTHENTICATION_METHODS = "msExchExternalAuthenticationMethods";
    public static final String INTERNAL_AUTHENTICATION_METHODS = "msExchInternalAuthenticationMethods";

    // msExchAutoDiscoverConfig
    public static final String AUTODISCOVER_CERT_PRINCIPAL_NAME = "msExchAutoDiscoverCertPrincipalName";
    public static final String AUTODISCOVER_SERVER = "msExchAutoDiscoverServer";
    public static final String AUTODISCOVER_TTL = "msExchAutoDiscoverTTL";
    public static final String AUTODISCOVER_FLAGS = "msExchAutoDiscoverFlags";

    // serviceConnectionPoint
    public static final String KEYWORDS = "keywords";
    public static final String SERVICE_BINDING_INFORMATION = "serviceBindingInformation";

    // user
    public static final String SAM_ACCOUNT_NAME = "sAMAccountName";
    public static final String USER_PRINCIPAL_NAME = "userPrincipalName";
    public static final String DISPLAY_NAME = "displayName";
    public static final String MAIL = "mail";
    public static final String SN = "sn";
    public static final String PROXY_ADDRESSES = "proxyAddresses";
    public static final String LEGACY_EXCHANGE_DN = "legacyExchangeDN";
    public static final String HOME_SERVER_NAME = "msExchHomeServerName";
    public static final String PROTOCOL_SETTINGS = "protocolSettings";
    public static final String TARGET_ADDRESS = "targetAddress";
    public static final String USER_PASSWORD = "userPassword";
    public static final String OBJECT_GUID = "objectGUID";
    public static final String OBJECT_SID = "objectSid";
    public static final String MAILBOX_GUID = "msExchMailboxGuid";
    public static final String HOME_MDB = "homeMDB";
    public static final String HIDE_FROM_ADDRESS_LISTS = "msExchHideFromAddressLists";
    public static final String MAIL_NICKNAME = "mailNickname";
    /** organizationalPerson's organizational unit; the lab's address lists select on it. */
    public static final String OU = "ou";
    public static final String TITLE = "title";
    /** A group's members, by DN (X.500 member, 2.5.4.31). */
    public static final String MEMBER = "member";
    /** The server-generated GUID of OpenLDAP and UnboundID (RFC 4530): objectGUID's stand-in where that is absent. */
    public static final String ENTRY_UUID = "entryUUID";
    public static final String CREATE_TIMESTAMP = "createTimestamp";
    public static final String MODIFY_TIMESTAMP = "modifyTimestamp";

    // addressBookContainer
    public static final String PURPORTED_SEARCH = "purportedSearch";
    /** The Samba schema's name for the NT hash (32 hex digits); AD keeps it in the unreadable unicodePwd. */
    public static final String NT_PASSWORD = "sambaNTPassword";

    /** Attributes no one but the service's privileged bind may read, compare or search on. */
    public static final java.util.Set<String> SECRET_ATTRIBUTES = java.util.Set.of("userpassword", "sambantpassword");

    private AdNames() {
    }
}
