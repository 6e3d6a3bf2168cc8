package dev.anywhere.directory;

/** How a {@link SiteDirectory} learns about changes, in order of preference. */
public enum ChangeMechanism {
    /** RFC 4533 content synchronisation, refreshAndPersist (OpenLDAP with syncprov). */
    CONTENT_SYNC("1.3.6.1.4.1.4203.1.9.1.1"),
    /** Persistent search (draft-ietf-ldapext-psearch). */
    PERSISTENT_SEARCH("2.16.840.1.113730.3.4.3"),
    /** Active Directory's LDAP_SERVER_NOTIFICATION_OID. */
    AD_CHANGE_NOTIFICATION("1.2.840.113556.1.4.528"),
    /** A {@code cn=changelog} read by change number (draft-good-ldap-changelog; UnboundID's in-memory server). */
    CHANGELOG(null),
    /** Nothing advertised: re-read periodically. */
    POLLING(null);

    private final String controlOid;

    ChangeMechanism(String controlOid) {
        this.controlOid = controlOid;
    }

    /** The control OID the root DSE must list in {@code supportedControl}, or null when none applies. */
    public String controlOid() {
        return controlOid;
    }
}
