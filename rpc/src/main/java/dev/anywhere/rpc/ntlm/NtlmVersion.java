package dev.anywhere.rpc.ntlm;

import dev.anywhere.rpc.wire.WireReader;
import dev.anywhere.rpc.wire.WireWriter;

/**
 * The VERSION structure: the sender's operating system version, for debugging only; receivers ignore it.
 * The Reserved field (3 bytes) is always written as zeros.
 *
 * @param major ProductMajorVersion (1 byte)
 * @param minor ProductMinorVersion (1 byte)
 * @param build ProductBuild (2 bytes)
 * @param revision NTLMRevisionCurrent (1 byte), {@value #NTLMSSP_REVISION_W2K3} today
 * @see [MS-NLMP] 2.2.2.10 VERSION
 */
public record NtlmVersion(int major, int minor, int build, int revision) {

    /** NTLMSSP_REVISION_W2K3, the only NTLMRevisionCurrent in use. */
    public static final int NTLMSSP_REVISION_W2K3 = 0x0F;

    /** Size on the wire. */
    static final int SIZE = 8;

    /** All zeros: what the field holds when NTLMSSP_NEGOTIATE_VERSION is not set. */
    public static final NtlmVersion ZERO = new NtlmVersion(0, 0, 0, 0);

    /** Windows Server 2019 (10.0.17763), what an Exchange 2019 server sends. */
    public static final NtlmVersion WINDOWS_SERVER_2019 = new NtlmVersion(10, 0, 17763, NTLMSSP_REVISION_W2K3);

    /** Checks each field's range. */
    public NtlmVersion {
        check("product major version", major, 0xff);
        check("product minor version", minor, 0xff);
        check("product build", build, 0xffff);
        check("ntlm revision", revision, 0xff);
    }

    private static void check(String what, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + ": " + value + " (expected: 0 to " + max + ")");
        }
    }

    static NtlmVersion read(WireReader in) {
        int major = in.u8("product major version"); // ProductMajorVersion (1 byte)
        int minor = in.u8("product minor version"); // ProductMinorVersion (1 byte)
        int build = in.u16("product build"); // ProductBuild (2 bytes)
        in.byteArray(3, "version reserved"); // Reserved (3 bytes), ignored
        int revision = in.u8("ntlm revision"); // NTLMRevisionCurrent (1 byte)
        return new NtlmVersion(major, minor, build, revision);
    }

    void write(WireWriter out) {
        out.u8(major).u8(minor).u16(build).zeros(3).u8(revision);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + build + " rev " + revision;
    }
}
