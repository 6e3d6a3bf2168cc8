package dev.anywhere.rpc.rfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.wire.Octets;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFR's calls both ways: what a client sends and reads, against the bytes impacket 0.10's oxabref classes marshal. */
class RfrCallsTest {

    static final String FRANKY = "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky";
    static final String EX1_MDB = "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Configuration"
            + "/cn=Servers/cn=EX1/cn=Microsoft Private MDB";
    /** impacket: RfrGetNewDSA(0, franky's DN, ppszUnused NULL, ppszServer → "\0"), with its 0xbf padding. */
    static final String IMPACKET_GET_NEW_DSA = "000000006100000000000000610000002f6f3d4669727374204f7267616e697a6174696f6e2f6f753d4578"
            + "6368616e67652041646d696e6973747261746976652047726f7570202846594449424f484632335350444c54292f636e3d52"
            + "6563697069656e74732f636e3d6672616e6b7900bfbfbf000000009b8e00009b82000001000000000000000100000000";
    /** impacket: RfrGetFQDNFromServerDN for EX1's private MDB. */
    static final String IMPACKET_GET_FQDN = "00000000850000008500000000000000850000002f6f3d4669727374204f7267616e697a6174696f6e2f"
            + "6f753d45786368616e67652041646d696e6973747261746976652047726f7570202846594449424f484632335350444c5429"
            + "2f636e3d436f6e66696775726174696f6e2f636e3d536572766572732f636e3d4558312f636e3d4d6963726f736f66742050"
            + "726976617465204d444200";

    static String ascii(String s) {
        return HexFormat.of().formatHex((s + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void impacketsRequestsDecode() {
        RfrCalls.GetNewDsa dsa = RfrCalls.GetNewDsa.decode(Octets.ofHex(IMPACKET_GET_NEW_DSA));
        assertThat(dsa).isEqualTo(new RfrCalls.GetNewDsa(0, FRANKY, Optional.empty(), Optional.of("")));
        assertThat(RfrCalls.GetFqdnFromServerDn.decode(Octets.ofHex(IMPACKET_GET_FQDN)))
                .isEqualTo(RfrCalls.GetFqdnFromServerDn.of(EX1_MDB));
    }

    @Test
    void ourRequestsAreTheIdlsForm() {
        // ulFlags | pUserDN (max, offset, actual, bytes, NUL) pad | ppszUnused NULL | ppszServer → NULL char*
        assertThat(RfrCalls.GetNewDsa.of(FRANKY).encode().hex()).isEqualTo("00000000" + "61000000" + "00000000" + "61000000"
                + ascii(FRANKY) + "000000" + "00000000" + "00000200" + "00000000");
        // The FQDN request is byte for byte impacket's: cbMailboxServerDN counts the NUL.
        assertThat(RfrCalls.GetFqdnFromServerDn.of(EX1_MDB).encode().hex()).isEqualTo(IMPACKET_GET_FQDN);
        assertThat(RfrCalls.GetNewDsa.decode(RfrCalls.GetNewDsa.of(FRANKY).encode())).isEqualTo(RfrCalls.GetNewDsa.of(FRANKY));
    }

    @Test
    void resultsRoundTripAsImpacketParsesThem() {
        String dsa = "00000000" + "00000200" + "04000200" + "15000000" + "00000000" + "15000000" + ascii("ex1.frankysweb.local")
                + "000000" + "00000000";
        RfrCalls.GetNewDsaResult found = new RfrCalls.GetNewDsaResult(Optional.empty(), Optional.of("ex1.frankysweb.local"), 0);
        assertThat(found.encode().hex()).isEqualTo(dsa);
        assertThat(RfrCalls.GetNewDsaResult.decode(Octets.ofHex(dsa))).isEqualTo(found);
        RfrCalls.GetFqdnResult fqdn = new RfrCalls.GetFqdnResult(Optional.of("ex1.frankysweb.local"), 0);
        assertThat(RfrCalls.GetFqdnResult.decode(fqdn.encode())).isEqualTo(fqdn);
        assertThat(new RfrCalls.GetFqdnResult(Optional.empty(), RfrCalls.NOT_FOUND).encode().hex()).isEqualTo("00000000" + "0f010480");
        assertThat(RfrCalls.GetFqdnResult.decode(Octets.ofHex("00000000" + "57000780")))
                .isEqualTo(new RfrCalls.GetFqdnResult(Optional.empty(), RfrCalls.INVALID_PARAMETER));
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> RfrCalls.GetFqdnFromServerDn.decode(Octets.ofHex("00000000" + "05000000"
                + "0500000000000000050000002f6f3d7800"))).isInstanceOf(DceProtocolException.class)
                .hasMessage("cbMailboxServerDN: 5 (expected: 10..1024, the IDL's range)");
        assertThatThrownBy(() -> RfrCalls.GetFqdnResult.decode(Octets.ofHex("00000200" + "03000000" + "00000000" + "03000000"
                + "616263" + "00" + "00000000"))).isInstanceOf(DceProtocolException.class)
                .hasMessage("ppszServerFQDN: no terminating NUL (expected: a NUL-terminated string)");
        assertThatThrownBy(() -> RfrCalls.GetFqdnFromServerDn.of("/o=x").encode()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("szMailboxServerDN: 5 bytes with its NUL (expected: 10..1024, the IDL's range)");
        assertThatThrownBy(() -> RfrCalls.GetNewDsaResult.decode(Octets.ofHex("00000000" + "00000200"))).isInstanceOf(DceProtocolException.class);
    }
}
