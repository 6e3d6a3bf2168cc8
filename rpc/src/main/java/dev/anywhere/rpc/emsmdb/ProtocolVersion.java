package dev.anywhere.rpc.emsmdb;

/**
 * The three 16-bit words EcDoConnectEx carries for client, server and best versions. In the form every
 * Exchange since 2007 sends the high bit of the second word is set: {@code [major << 8 | minor, 0x8000 | build,
 * revision]}; without it the words are {@code [major, minor, build]}.
 *
 * @see [MS-OXCRPC] 3.1.4.1 (rgwClientVersion, rgwServerVersion), 3.2.4.1.3.2 Client Versions
 */
public record ProtocolVersion(int word0, int word1, int word2) {

    public ProtocolVersion {
        if ((word0 | word1 | word2) >>> 16 != 0) {
            throw new IllegalArgumentException("version words: " + word0 + ", " + word1 + ", " + word2 + " (expected: 16-bit)");
        }
    }

    /** The high-bit form of {@code major.minor.build.revision}. */
    public static ProtocolVersion of(int major, int minor, int build, int revision) {
        return new ProtocolVersion(major << 8 | minor, 0x8000 | build, revision);
    }

    public boolean highBitForm() {
        return (word1 & 0x8000) != 0;
    }

    public int major() {
        return highBitForm() ? word0 >>> 8 : word0;
    }

    /** {@code 14.3.123.4} (the high-bit form) or {@code 6.0.8190} (the old form). */
    @Override
    public String toString() {
        return highBitForm() ? (word0 >>> 8) + "." + (word0 & 0xff) + "." + (word1 & 0x7fff) + "." + word2
                : word0 + "." + word1 + "." + word2;
    }
}
