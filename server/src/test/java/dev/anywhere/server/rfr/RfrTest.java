package dev.anywhere.server.rfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.CallSecurity;
import dev.anywhere.server.endpoints.RpcCall;
import dev.anywhere.server.endpoints.RpcInterface;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** RFR's stub against the bytes impacket 0.10's oxabref classes marshal (requests) and parse (responses). */
public class RfrTest {

    /** impacket: RfrGetNewDSA(ulFlags 0, pUserDN franky's DN, ppszUnused NULL, ppszServer "\0"); note its 0xbf padding. */
    public static final String GET_NEW_DSA = "000000006100000000000000610000002f6f3d4669727374204f7267616e697a6174696f6e2f6f753d4578"
            + "6368616e67652041646d696e6973747261746976652047726f7570202846594449424f484632335350444c54292f636e3d52"
            + "6563697069656e74732f636e3d6672616e6b7900bfbfbf000000009b8e00009b82000001000000000000000100000000";
    /** impacket: RfrGetFQDNFromServerDN for EX1's private MDB. */
    static final String GET_FQDN = "00000000850000008500000000000000850000002f6f3d4669727374204f7267616e697a6174696f6e2f"
            + "6f753d45786368616e67652041646d696e6973747261746976652047726f7570202846594449424f484632335350444c5429"
            + "2f636e3d436f6e66696775726174696f6e2f636e3d536572766572732f636e3d4558312f636e3d4d6963726f736f66742050"
            + "726976617465204d444200";

    final ServerNames servers = ServerNames.of(List.of(new ExchangeServer("EX1", "ex1.frankysweb.local", true),
            new ExchangeServer("DC1", "dc1.frankysweb.local", false)));
    final RpcInterface rfr = Rfr.iface(() -> "ex1.frankysweb.local", servers);

    Octets call(int opnum, String stubHex) {
        return rfr.handler().invoke(new RpcCall(Rfr.ID, opnum, Octets.ofHex(stubHex), Optional.empty(), 2,
                RpcCall.Transport.NCACN_HTTP_V2, null, null,
                new CallSecurity(CallSecurity.Level.PRIVACY, "franky", "FRANKYSWEB")));
    }

    static String ascii(String s) {
        return HexFormat.of().formatHex((s + "\0").getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void getNewDsaNamesTheNspiServerAsImpacketExpectsIt() {
        // ppszUnused NULL | ppszServer refid refid "ex1.frankysweb.local\0" padded | return 0 (what impacket parses).
        assertThat(call(0, GET_NEW_DSA).hex()).isEqualTo("00000000" + "00000200" + "04000200"
                + "15000000" + "00000000" + "15000000" + ascii("ex1.frankysweb.local") + "000000" + "00000000");
    }

    @Test
    void getFqdnFromServerDnFindsTheServerFromItsDnWithOrWithoutADatabase() {
        assertThat(call(1, GET_FQDN).hex()).isEqualTo("00000200" + "15000000" + "00000000" + "15000000"
                + ascii("ex1.frankysweb.local") + "000000" + "00000000");
        assertThat(Rfr.serverName("/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)"
                + "/cn=Configuration/cn=Servers/cn=EX1")).contains("EX1");
        assertThat(Rfr.serverName("/O=X/OU=Y/CN=CONFIGURATION/CN=SERVERS/CN=ex1/CN=Microsoft Private MDB")).contains("ex1");
    }

    @Test
    void anUnknownServerOrANonServerDnIsAnErrorWithANullFqdn() {
        assertThat(call(1, fqdnRequest("/o=First Organization/ou=AG/cn=Configuration/cn=Servers/cn=EX9")).hex())
                .isEqualTo("00000000" + "0f010480");
        assertThat(call(1, fqdnRequest("/o=First Organization/ou=AG/cn=Configuration/cn=Servers/cn=DC1")).hex())
                .isEqualTo("00000000" + "0f010480"); // a domain controller is no mailbox server
        assertThat(call(1, fqdnRequest("/o=First Organization/ou=AG/cn=Recipients/cn=franky")).hex())
                .isEqualTo("00000000" + "57000780");
    }

    @Test
    void malformedRequestsAreBadStubData() {
        assertThatThrownBy(() -> call(1, "00000000" + "05000000" + "0500000000000000050000002f6f3d7800"))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("cbMailboxServerDN: 5 (expected: 10..1024, the IDL's range)");
        assertThatThrownBy(() -> call(1, "00000000" + "0b000000" + "0b000000000000000b0000002f6f3d78787878787878"
                + "78")).isInstanceOf(DceProtocolException.class)
                .hasMessage("szMailboxServerDN: no terminating NUL (expected: a NUL-terminated string)");
    }

    /** Windows clients append the verification trailer after the stub; it is not stub data to refuse. */
    @Test
    void bytesAfterTheStubAreIgnored() {
        String trailer = "8ae3137102f43671" + "02400000" + "0000000000000000";
        assertThat(call(1, GET_FQDN + "000000" + trailer).hex()).endsWith("00000000");
    }

    @Test
    void anonymousCallersAreRefusedByTheInterface() {
        assertThat(rfr.refusesAnonymous()).isTrue();
        assertThat(rfr.id().uuid().toString()).isEqualTo("1544f5e0-613c-11d1-93df-00c04fd7bd09");
    }

    @Test
    void refreshingKeepsTheLastGoodListWhenTheDirectoryFails() {
        AtomicInteger reads = new AtomicInteger();
        try (ServerNames names = ServerNames.refreshing(() -> {
            if (reads.incrementAndGet() > 1) {
                throw new IllegalStateException("directory down");
            }
            return List.of(new ExchangeServer("EX1", "ex1.frankysweb.local", true));
        }, java.time.Duration.ofMillis(10))) {
            for (int i = 0; i < 200 && reads.get() < 3; i++) {
                Thread.onSpinWait();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            assertThat(reads.get()).isGreaterThanOrEqualTo(2);
            assertThat(names.fqdn("ex1")).contains("ex1.frankysweb.local");
        }
    }

    static String fqdnRequest(String dn) {
        int n = dn.length() + 1;
        String len = HexFormat.of().formatHex(new byte[] {(byte) n, (byte) (n >> 8), 0, 0});
        return "00000000" + len + len + "00000000" + len + ascii(dn);
    }
}
