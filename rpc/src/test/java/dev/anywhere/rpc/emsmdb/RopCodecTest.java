package dev.anywhere.rpc.emsmdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** ROP lists, RopLogon's other responses, the derived folder IDs, and the NDR refusals of the EMSMDB calls. */
class RopCodecTest {

    static Octets bytes(RopLogon.Response r) {
        ByteBuf b = Unpooled.buffer();
        r.writeTo(b);
        return Octets.copyOf(b);
    }

    static RopLogon.Response read(Octets b) {
        return RopLogon.readResponse(b);
    }

    @Test
    void redirectAndFailureResponses() {
        RopLogon.Response redirect = new RopLogon.Redirect(0, RopLogon.PRIVATE, "/o=Org/cn=Servers/cn=EX2");
        Octets wire = Octets.ofHex("fe 00 78040000 01 19 2f6f3d4f72672f636e3d536572766572732f636e3d45583200");
        assertThat(bytes(redirect)).isEqualTo(wire);
        assertThat(read(wire)).isEqualTo(redirect);

        RopLogon.Response failure = new RopLogon.Failure(2, EcCode.UNKNOWN_USER);
        assertThat(bytes(failure)).isEqualTo(Octets.ofHex("fe 02 eb030000"));
        assertThat(read(Octets.ofHex("fe 02 eb030000"))).isEqualTo(failure);
    }

    @Test
    void ropListStopsAtTheFirstUnsupportedRop() {
        // RopRelease (01 00 00), RopOpenFolder (02 00 00 01 ...) is not served: reading stops there
        List<RopRequest> rops = RopRequest.parse(Octets.ofHex("010000 02000001 0100000000000001 00"));
        assertThat(rops).containsExactly(new RopRequest.Release(0, 0), new RopRequest.Unsupported(0x02, 0, 0));
    }

    @Test
    void ropRefusals() {
        assertThatThrownBy(() -> RopRequest.parse(Octets.ofHex("00")))
                .isInstanceOf(EmsmdbFormatException.class).hasMessage("RopId: 0x00 (expected: not a reserved RopId)");
        assertThatThrownBy(() -> RopRequest.parse(Octets.ofHex("fe 00 00 01 0c040001 00000000 0500 6162")))
                .hasMessage("truncated RopLogon Essdn: 2 bytes (expected: 5)");
        assertThatThrownBy(() -> RopRequest.parse(Octets.ofHex("fe 00 00 01 0c040001 00000000 0200 6162")))
                .hasMessage("RopLogon Essdn: no terminating NUL (expected: last of 2 bytes is 0)");
        assertThatThrownBy(() -> RopRequest.parse(Octets.ofHex("fe 00 00 01 0c040001 00000000 0108")))
                .hasMessage("RopLogon EssdnSize: 2049 (expected: <= 1024)");
        assertThatThrownBy(() -> RopBuffer.decode(Octets.ofHex("0900 0000")))
                .hasMessage("RopSize: 9 (expected: 2..4, the payload's length)");
        assertThatThrownBy(() -> RopBuffer.decode(Octets.ofHex("0200 ffffff")))
                .hasMessage("ServerObjectHandleTable: 3 bytes (expected: a multiple of 4)");
        assertThatThrownBy(() -> read(Octets.ofHex("07 00 00000000")))
                .hasMessage("RopId: 0x07 (expected: 0xFE, RopLogon)");
    }

    @Test
    void specialFoldersAreStablePerMailboxAndDifferBetweenMailboxes() {
        UUID alice = UUID.fromString("0a0b0c0d-0e0f-1011-1213-141516171819");
        UUID bob = UUID.fromString("1a0b0c0d-0e0f-1011-1213-141516171819");
        List<FolderId> a = SpecialFolders.of(alice);
        assertThat(a).hasSize(RopLogon.FOLDER_COUNT).doesNotHaveDuplicates().isEqualTo(SpecialFolders.of(alice));
        assertThat(a).allSatisfy(f -> assertThat(f.replicaId()).isEqualTo(SpecialFolders.REPLICA_ID));
        assertThat(a.get(12).globalCounter() - a.get(0).globalCounter()).isEqualTo(12);
        assertThat(SpecialFolders.of(bob)).doesNotContainAnyElementsOf(a);
        assertThat(SpecialFolders.replicaGuid(alice)).isEqualTo(SpecialFolders.replicaGuid(alice))
                .isNotEqualTo(SpecialFolders.replicaGuid(bob));
    }

    @Test
    void ndrRefusals() {
        // cbAuxIn disagrees with rgbAuxIn's max_count
        String head = "10000000 00000000 10000000 " + EmsmdbGoldenTest.USER_DN_HEX
                + "00000000 00000000 00000000 e4040000 09040000 09040000 ffffffff 0100 000e9892e803 00000000";
        assertThatThrownBy(() -> EcDoConnectEx.Request.decode(Octets.ofHex(head + "00000000 01000000 08100000")))
                .isInstanceOf(DceProtocolException.class).hasMessage("cbAuxIn: 1 (expected: 0, the max_count of rgbAuxIn)");
        assertThatThrownBy(() -> EcDoConnectEx.Request.decode(Octets.ofHex(head + "00000000 00000000 09100000")))
                .hasMessage("pcbAuxOut: 4105 (expected: <= 4104)");
        assertThatThrownBy(() -> EcDoConnectEx.Request.decode(Octets.ofHex(head + "09100000")))
                .hasMessage("rgbAuxIn max_count: 4105 (expected: <= 4104)");
        assertThatThrownBy(() -> EcDoConnectEx.Request.decode(Octets.ofHex("02000000 00000000 02000000 6162")))
                .hasMessage("szUserDN: no terminating NUL (expected: last of 2 bytes is 0)");
        String rpc = EmsmdbGoldenTest.CXH_HEX + "00000000 00000000 00000000";
        assertThatThrownBy(() -> EcDoRpcExt2.Request.decode(Octets.ofHex(rpc + "01000400 00000000 00000000 00000000")))
                .hasMessage("pcbOut: 262145 (expected: <= 262144)");
    }
}
