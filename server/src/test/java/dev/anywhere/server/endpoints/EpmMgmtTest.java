package dev.anywhere.server.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.wire.Octets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Golden NDR for the endpoint mapper and management stubs. Layouts follow [C706] Appendix O/Q and the Windows 10
 * ept_lookup reply in {@code rpc}'s NdrTest (referent ids 1, 2, …; towers deferred after the entries); the ept_map
 * request is impacket 0.10's {@code hept_map} encoding, captured from {@code ept_map().getData()} (random referent
 * ids, 0xab alignment filler).
 */
class EpmMgmtTest {

    static final String EX1 = "127.0.100.251";

    private final EndpointServer server;

    EpmMgmtTest() throws Exception {
        server = new EndpointServer(RpcEndpoints.Options.defaults(InetAddress.getByName(EX1)).withPrincipalName("EX1$"),
                () -> List.of(6001, 593), OptionalInt::empty);
    }

    private Octets call(RpcHandler handler, SyntaxId iface, int opnum, String stubHex) throws Exception {
        return handler.invoke(new RpcCall(iface, opnum, Octets.ofHex(stubHex), Optional.empty(), 1,
                RpcCall.Transport.NCACN_HTTP_V1, new InetSocketAddress(InetAddress.getByName(EX1), 6001),
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 50000)));
    }

    static final String MGMT_TOWER_6001 = "0500"
            + "1300 0d80bda8af8a7dc911bef408002b1029890100 0200 0000" // floor 1: MGMT v1.0
            + "1300 0d045d888aeb1cc9119fe808002b1048600200 0200 0000" // floor 2: NDR 2.0
            + "0100 0b 0200 0000" // floor 3: RPC connection-oriented
            + "0100 1f 0200 1771" // floor 4: ncacn_http, port 6001 big-endian
            + "0100 09 0400 7f0064fb"; // floor 5: 127.0.100.251
    static final String MGMT_TOWER_593 = MGMT_TOWER_6001.replace("0100 1f 0200 1771", "0100 1f 0200 0251");

    @Test
    void eptLookupAllElementsGolden() throws Exception {
        Epm epm = new Epm(server);
        // inquiry_type 0, object NULL, interface_id NULL, vers_option 1, entry_handle NULL, max_ents 500 (impacket)
        Octets reply = call(epm, Epm.ID, 2, "00000000 00000000 00000000 01000000"
                + "0000000000000000000000000000000000000000 f4010000");
        String expected = "00000000 00000000000000000000000000000000" // entry_handle: NULL (no more entries)
                + "02000000" // num_ents
                + "f4010000 00000000 02000000" // entries: max_count = max_ents, offset, actual_count
                + "00000000000000000000000000000000 01000000" // [0] object (nil), tower: full pointer 1
                + "00000000 0b000000 4d616e6167656d656e7400 00" // [0] annotation "Management", align 4
                + "00000000000000000000000000000000 02000000" // [1] object, tower: full pointer 2
                + "00000000 0b000000 4d616e6167656d656e7400 00" // [1] annotation, align 4
                + "4b000000 4b000000" + MGMT_TOWER_6001 + "00" // deferred tower 1 (75 bytes), align 4
                + "4b000000 4b000000" + MGMT_TOWER_593 + "00" // deferred tower 2
                + "00000000"; // status
        assertThat(reply).isEqualTo(Octets.ofHex(expected));
    }

    @Test
    void eptLookupPagesWithAStatelessHandle() throws Exception {
        Epm epm = new Epm(server);
        Octets first = call(epm, Epm.ID, 2, "00000000 00000000 00000000 01000000"
                + "0000000000000000000000000000000000000000 01000000");
        String handle = first.hex().substring(0, 40);
        assertThat(handle).isNotEqualTo("0".repeat(40));
        Octets second = call(epm, Epm.ID, 2, "00000000 00000000 00000000 01000000" + handle + "01000000");
        assertThat(second.hex()).startsWith("0".repeat(40) + "01000000"); // last page: NULL handle, one entry
        assertThat(second.hex()).endsWith("00000000");
    }

    @Test
    void eptLookupByInterfaceVersion() throws Exception {
        Epm epm = new Epm(server);
        String mgmtIf = "01000000 80bda8af8a7dc911bef408002b102989 0100 0000";
        Octets exact = call(epm, Epm.ID, 2, "01000000 00000000" + mgmtIf + "03000000" + "00".repeat(20) + "f4010000");
        assertThat(exact.hex().substring(40, 48)).isEqualTo("02000000");
        String newer = "01000000 80bda8af8a7dc911bef408002b102989 0100 0100"; // v1.1: not served
        Octets none = call(epm, Epm.ID, 2, "01000000 00000000" + newer + "03000000" + "00".repeat(20) + "f4010000");
        assertThat(none).isEqualTo(Octets.ofHex("00".repeat(20) + "00000000 f4010000 00000000 00000000 d6a0c916"));
    }

    @Test
    void eptMapImpacketRequestGolden() throws Exception {
        Epm epm = new Epm(server);
        String impacketRequest = "0a360000 00000000000000000000000000000000" // object: pointer, nil UUID
                + "dc650000 4b000000 4b000000" // map_tower: pointer, max_count, tower_length
                + "050013000d80bda8af8a7dc911bef408002b10298901000200000013000d045d888aeb1cc9119fe808002b104860"
                + "02000200000001000b0200000001001f02000000010009040000000000 ab" // tower (port 0, 0.0.0.0), filler
                + "0000000000000000000000000000000000000000 01000000"; // entry_handle NULL, max_towers 1
        Octets reply = call(epm, Epm.ID, 3, impacketRequest);
        String expected = "00000000 00000000000000000000000000000000" // entry_handle
                + "01000000" // num_towers
                + "01000000 00000000 01000000" // towers: max_count = max_towers, offset, actual_count
                + "01000000" // towers[0]: full pointer 1
                + "4b000000 4b000000" + MGMT_TOWER_6001 + "00" // deferred tower, align 4
                + "00000000"; // status
        assertThat(reply).isEqualTo(Octets.ofHex(expected));
    }

    @Test
    void eptMapUnknownInterfaceIsNotRegistered() throws Exception {
        Epm epm = new Epm(server);
        String request = "00000000 01000000 4b000000 4b000000"
                + "050013000d" + "00112233445566778899aabbccddeeff" + "01000200000013000d045d888aeb1cc9119fe808002b104860"
                + "02000200000001000b0200000001001f02000000010009040000000000 00"
                + "0000000000000000000000000000000000000000 01000000";
        assertThat(call(epm, Epm.ID, 3, request)).isEqualTo(Octets.ofHex("00".repeat(20)
                + "00000000 01000000 00000000 00000000 d6a0c916"));
    }

    @Test
    void eptLookupRejectsMaxEntsAboveTheRange() {
        Epm epm = new Epm(server);
        assertThatThrownBy(() -> call(epm, Epm.ID, 2, "00000000 00000000 00000000 01000000" + "00".repeat(20)
                + "f5010000"))
                .isInstanceOf(RpcFaultException.class)
                .hasMessage("fault: RPC_X_BAD_STUB_DATA(0x6f7): max_ents: 501 (expected: <= 500)");
    }

    @Test
    void mgmtInqIfIdsGolden() throws Exception {
        Octets reply = call(new Mgmt(server), Mgmt.ID, 0, "");
        assertThat(reply).isEqualTo(Octets.ofHex("00000200" // if_id_vector: unique pointer
                + "02000000 02000000" // max_count (hoisted), count
                + "04000200 08000200" // if_id[0], if_id[1]: unique pointers
                + "0883afe11f5dc91191a408002b14a0fa 0300 0000" // EPM v3.0
                + "80bda8af8a7dc911bef408002b102989 0100 0000" // MGMT v1.0
                + "00000000")); // status
    }

    @Test
    void mgmtOtherOperations() throws Exception {
        Mgmt mgmt = new Mgmt(server);
        server.stats().callsIn.set(7);
        assertThat(call(mgmt, Mgmt.ID, 1, "02000000")).isEqualTo(Octets.ofHex("02000000 02000000 07000000 00000000 00000000"));
        assertThat(call(mgmt, Mgmt.ID, 2, "")).isEqualTo(Octets.ofHex("00000000 01000000"));
        assertThat(call(mgmt, Mgmt.ID, 3, "")).isEqualTo(Octets.ofHex("05000000"));
        assertThat(call(mgmt, Mgmt.ID, 4, "0a000000 10000000")).isEqualTo(Octets.ofHex(
                "10000000 00000000 05000000 45583124 00 000000 00000000")); // "EX1$", align 4, status
        assertThat(call(mgmt, Mgmt.ID, 4, "0a000000 02000000")).isEqualTo(Octets.ofHex(
                "02000000 00000000 01000000 00 000000 7a000000")); // buffer too small
        assertThatThrownBy(() -> call(mgmt, Mgmt.ID, 0, "00"))
                .isInstanceOf(dev.anywhere.rpc.dce.DceProtocolException.class);
    }

    @Test
    void registryRefusesADuplicateInterface() {
        InterfaceRegistry r = new InterfaceRegistry();
        SyntaxId id = new SyntaxId(UUID.fromString("12345678-1234-abcd-ef00-0123456789ab"), 1, 0);
        r.register(new RpcInterface(id, "A", 1, c -> Octets.EMPTY));
        assertThatThrownBy(() -> r.register(new RpcInterface(new SyntaxId(id.uuid(), 1, 2), "B", 1, c -> Octets.EMPTY)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interface: 12345678-1234-abcd-ef00-0123456789ab v1.2 (expected: not registered yet; "
                        + "12345678-1234-abcd-ef00-0123456789ab v1.0 is)");
        assertThat(r.find(new SyntaxId(id.uuid(), 1, 0))).isPresent();
        assertThat(r.find(new SyntaxId(id.uuid(), 1, 1))).isEmpty();
        assertThat(DceStatus.valueOf(0x6f7)).isEqualTo(DceStatus.RPC_X_BAD_STUB_DATA);
    }
}
