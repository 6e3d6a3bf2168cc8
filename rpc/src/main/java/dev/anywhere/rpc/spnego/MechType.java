package dev.anywhere.rpc.spnego;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A security mechanism's object identifier as it appears on the wire (the contents of the DER OBJECT IDENTIFIER,
 * [X.690] 8.19). Only NTLM is implemented behind SPNEGO here; the others are named so that a refusal can say what
 * the client offered.
 */
public record MechType(String dotted, byte[] contents) {

    /** NTLMSSP, 1.3.6.1.4.1.311.2.2.10 ([MS-NLMP] 1.9, [MS-SPNG] 1.9). */
    public static final MechType NTLMSSP = new MechType("1.3.6.1.4.1.311.2.2.10", HexFormat.of().parseHex("2b06010401823702020a"));
    /** Kerberos 5, 1.2.840.113554.1.2.2 ([RFC 4121]). */
    public static final MechType KERBEROS = new MechType("1.2.840.113554.1.2.2", HexFormat.of().parseHex("2a864886f712010202"));
    /** Microsoft's legacy Kerberos OID, 1.2.840.48018.1.2.2 ([MS-SPNG] 1.9). */
    public static final MechType MS_KERBEROS = new MechType("1.2.840.48018.1.2.2", HexFormat.of().parseHex("2a864882f712010202"));
    /** NEGOEX, 1.3.6.1.4.1.311.2.2.30 ([MS-NEGOEX]). */
    public static final MechType NEGOEX = new MechType("1.3.6.1.4.1.311.2.2.30", HexFormat.of().parseHex("2b06010401823702021e"));
    /** SPNEGO itself, 1.3.6.1.5.5.2 ([RFC 4178] 4.1): the InitialContextToken's thisMech. */
    static final byte[] SPNEGO = HexFormat.of().parseHex("2b0601050502");

    public MechType {
        contents = contents.clone();
    }

    /** The mechanism for DER contents, named when known, else in dotted form decoded from the contents. */
    static MechType of(byte[] contents) {
        for (MechType known : new MechType[] {NTLMSSP, KERBEROS, MS_KERBEROS, NEGOEX}) {
            if (Arrays.equals(known.contents, contents)) {
                return known;
            }
        }
        return new MechType(dotted(contents), contents);
    }

    @Override
    public byte[] contents() {
        return contents.clone();
    }

    byte[] encoded() {
        return Der.tlv(Der.OBJECT_IDENTIFIER, contents);
    }

    /** [X.690] 8.19.4: the first octet packs the first two arcs; the others are base-128, high bit = more. */
    private static String dotted(byte[] contents) {
        if (contents.length == 0) {
            throw new SpnegoException("mechType: empty object identifier");
        }
        StringBuilder s = new StringBuilder();
        long arc = 0;
        boolean first = true;
        for (int i = 0; i < contents.length; i++) {
            if (arc > (Long.MAX_VALUE >>> 7)) {
                throw new SpnegoException("mechType: object identifier arc too large");
            }
            arc = (arc << 7) | (contents[i] & 0x7F);
            if ((contents[i] & 0x80) == 0) {
                if (first) {
                    long top = Math.min(arc / 40, 2);
                    s.append(top).append('.').append(arc - top * 40);
                    first = false;
                } else {
                    s.append('.').append(arc);
                }
                arc = 0;
            } else if (i == contents.length - 1) {
                throw new SpnegoException("mechType: object identifier ends inside an arc");
            }
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MechType m && Arrays.equals(contents, m.contents);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(contents);
    }

    @Override
    public String toString() {
        return dotted;
    }
}
