package dev.anywhere.rpc.ntlm;

import java.util.Optional;

/**
 * The AvId of an AV_PAIR: what a TargetInfo entry holds.
 *
 * @see [MS-NLMP] 2.2.2.1 AV_PAIR
 */
public enum AvId {
    /** MsvAvEOL: the end of the list; AvLen 0. */
    MSV_AV_EOL(0x0000, "MsvAvEOL", Kind.EMPTY),
    /** MsvAvNbComputerName: the server's NetBIOS computer name, e.g. EX1 (impacket takes the RPC server name from it). */
    MSV_AV_NB_COMPUTER_NAME(0x0001, "MsvAvNbComputerName", Kind.STRING),
    /** MsvAvNbDomainName: the server's NetBIOS domain name, e.g. FRANKYSWEB. */
    MSV_AV_NB_DOMAIN_NAME(0x0002, "MsvAvNbDomainName", Kind.STRING),
    /** MsvAvDnsComputerName: the server's FQDN, e.g. ex1.frankysweb.local. */
    MSV_AV_DNS_COMPUTER_NAME(0x0003, "MsvAvDnsComputerName", Kind.STRING),
    /** MsvAvDnsDomainName: the FQDN of the domain, e.g. frankysweb.local. */
    MSV_AV_DNS_DOMAIN_NAME(0x0004, "MsvAvDnsDomainName", Kind.STRING),
    /** MsvAvDnsTreeName: the FQDN of the forest. */
    MSV_AV_DNS_TREE_NAME(0x0005, "MsvAvDnsTreeName", Kind.STRING),
    /** MsvAvFlags: a 32-bit set of {@link AvFlag}. */
    MSV_AV_FLAGS(0x0006, "MsvAvFlags", Kind.FIXED_4),
    /** MsvAvTimestamp: a FILETIME, the server's local time. */
    MSV_AV_TIMESTAMP(0x0007, "MsvAvTimestamp", Kind.FIXED_8),
    /** MsvAvSingleHost: a Single_Host_Data structure. */
    MSV_AV_SINGLE_HOST(0x0008, "MsvAvSingleHost", Kind.OPAQUE),
    /** MsvAvTargetName: the SPN of the target server, UTF-16LE. */
    MSV_AV_TARGET_NAME(0x0009, "MsvAvTargetName", Kind.STRING),
    /** MsvAvChannelBindings: MD5 hash of a gss_channel_bindings_struct, 16 bytes. */
    MSV_AV_CHANNEL_BINDINGS(0x000A, "MsvAvChannelBindings", Kind.FIXED_16);

    /** How the value of a pair is shaped, for validation on decode. */
    enum Kind {
        EMPTY, STRING, FIXED_4, FIXED_8, FIXED_16, OPAQUE
    }

    private final int code;
    private final String specName;
    private final Kind kind;

    AvId(int code, String specName, Kind kind) {
        this.code = code;
        this.specName = specName;
        this.kind = kind;
    }

    /** The 16-bit wire value. */
    public int code() {
        return code;
    }

    /** The name the spec uses, e.g. {@code MsvAvNbComputerName}. */
    public String specName() {
        return specName;
    }

    Kind kind() {
        return kind;
    }

    /** The id for a wire value; empty for ids this spec revision does not define. */
    public static Optional<AvId> of(int code) {
        for (AvId id : values()) {
            if (id.code == code) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return specName + "(" + code + ")";
    }
}
