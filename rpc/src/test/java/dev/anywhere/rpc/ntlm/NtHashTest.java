package dev.anywhere.rpc.ntlm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NtHashTest {

    private static String md4(String s) {
        return HexFormat.of().formatHex(Md4.digest(s.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The test suite of RFC 1320 appendix A.5. */
    @Test
    void md4MatchesRfc1320TestSuite() {
        assertThat(md4("")).isEqualTo("31d6cfe0d16ae931b73c59d7e0c089c0");
        assertThat(md4("a")).isEqualTo("bde52cb31de33e46245e05fbdbd6fb24");
        assertThat(md4("abc")).isEqualTo("a448017aaf21d8525fc10ae87aa6729d");
        assertThat(md4("message digest")).isEqualTo("d9130a8164549fe818874806e1c7014b");
        assertThat(md4("abcdefghijklmnopqrstuvwxyz")).isEqualTo("d79e1c308aa5bbcdeea8ed63df412da9");
        assertThat(md4("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
                .isEqualTo("043f8582f241db351ce627e153e7f0e4");
        assertThat(md4("12345678901234567890123456789012345678901234567890123456789012345678901234567890"))
                .isEqualTo("e33b4ddc9c38f2199c3e7b164fcc0536");
    }

    /** [MS-NLMP] 4.2.2.1.2: NTOWFv1 of the password "Password". */
    @Test
    void ntHashMatchesMsNlmpExample() {
        assertThat(HexFormat.of().formatHex(NtHash.of("Password"))).isEqualTo("a4f49c406510bdcab6824ee7c30fd852");
        assertThat(NtHash.hexOf("Password")).isEqualTo("A4F49C406510BDCAB6824EE7C30FD852");
    }
}
