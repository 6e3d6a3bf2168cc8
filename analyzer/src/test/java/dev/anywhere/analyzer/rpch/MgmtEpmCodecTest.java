package dev.anywhere.analyzer.rpch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.dce.Tower;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** NDR of the MGMT and EPM calls: golden bytes (hand-assembled from C706 Appendix O/Q and MIDL's layout), round trips, errors. */
class MgmtEpmCodecTest {

    private static String hex(ByteBuf b) {
        String h = ByteBufUtil.hexDump(b);
        b.release();
        return h;
    }

    @Test
    void isServerListeningIsStatusThenBoolean32() {
        assertThat(hex(Mgmt.encodeIsServerListening(true, DceStatus.SUCCESS))).isEqualTo("0000000001000000");
        assertThat(Mgmt.decodeIsServerListening(Unpooled.wrappedBuffer(Octets.ofHex("0000000000000000").toByteArray())))
                .isEqualTo(new Mgmt.Listening(false, DceStatus.SUCCESS));
    }

    @Test
    void inqIfIdsGolden() {
        String golden = "00000200" // if_id_vector referent id
                + "01000000" // if_id max_count (hoisted conformance)
                + "01000000" // count
                + "04000200" // if_id[0] referent id
                + "80bda8af8a7dc911bef408002b102989" // uuid afa8bd80-7d8a-11c9-bef4-08002b102989
                + "0100" + "0000" // vers_major 1, vers_minor 0
                + "00000000"; // status
        assertThat(hex(Mgmt.encodeInqIfIds(List.of(Mgmt.INTERFACE), DceStatus.SUCCESS))).isEqualTo(golden);
        Mgmt.IfIds ids = Mgmt.decodeInqIfIds(Unpooled.wrappedBuffer(Octets.ofHex(golden).toByteArray()));
        assertThat(ids).isEqualTo(new Mgmt.IfIds(List.of(Mgmt.INTERFACE), DceStatus.SUCCESS));
    }

    @Test
    void inqIfIdsCountMustMatchConformance() {
        String bad = "00000200" + "02000000" + "01000000";
        assertThatThrownBy(() -> Mgmt.decodeInqIfIds(Unpooled.wrappedBuffer(Octets.ofHex(bad).toByteArray())))
                .isInstanceOf(DceProtocolException.class).hasMessage("rpc_if_id_vector_t count: 1 (expected: max_count 2)");
        String huge = "00000200" + "ffffff7f";
        assertThatThrownBy(() -> Mgmt.decodeInqIfIds(Unpooled.wrappedBuffer(Octets.ofHex(huge).toByteArray())))
                .isInstanceOf(DceProtocolException.class).hasMessageContaining("if_id max_count: 2147483647 (expected: <= 1024)");
    }

    @Test
    void eptMapRequestGolden() throws Exception {
        Tower t = Tower.ncacnHttp(Mgmt.INTERFACE, (Inet4Address) InetAddress.getByName("0.0.0.0"), 0);
        String towerHex = t.encode().hex();
        int len = t.encode().length();
        String lenHex = String.format("%02x000000", len);
        String expected = "00000000" // object: null
                + "00000200" // map_tower referent id
                + lenHex + lenHex + towerHex // twr_t: max_count, tower_length, octets
                + "00".repeat((4 - len % 4) % 4) // align 4
                + "00".repeat(20) // entry_handle (null context handle)
                + "04000000"; // max_towers
        assertThat(hex(Epm.encodeMapRequest(null, t, ContextHandle.NULL, 4))).isEqualTo(expected);
    }

    @Test
    void eptMapAndLookupResponsesRoundTrip() throws Exception {
        Tower t = Tower.ncacnHttp(Mgmt.INTERFACE, (Inet4Address) InetAddress.getByName("127.0.0.1"), 6001);
        Epm.MapResult m = Epm.decodeMapResponse(Epm.encodeMapResponse(List.of(t, t), ContextHandle.NULL, 4, DceStatus.SUCCESS));
        assertThat(m.towers()).containsExactly(t, t);
        assertThat(m.status()).isEqualTo(DceStatus.SUCCESS);
        Epm.Entry e = new Epm.Entry(new UUID(0, 0), Optional.of(t), "Exchange store");
        Epm.Entry e2 = new Epm.Entry(UUID.randomUUID(), Optional.empty(), "");
        ContextHandle h = new ContextHandle(0, UUID.randomUUID());
        Epm.LookupResult l = Epm.decodeLookupResponse(Epm.encodeLookupResponse(List.of(e, e2), h, 10, DceStatus.SUCCESS));
        assertThat(l.entries()).containsExactly(e, e2);
        assertThat(l.handle()).isEqualTo(h);
    }

    @Test
    void eptLookupRequestLayout() {
        ByteBuf b = Epm.encodeLookupRequest(Epm.RPC_C_EP_ALL_ELTS, null, Mgmt.INTERFACE, Epm.RPC_C_VERS_ALL, ContextHandle.NULL, 500);
        assertThat(hex(b)).isEqualTo("00000000" + "00000000" + "00000200" + "80bda8af8a7dc911bef408002b102989" + "01000000"
                + "01000000" + "00".repeat(20) + "f4010000");
        SyntaxId s = Epm.INTERFACE;
        assertThat(s.toString()).isEqualTo("e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0");
    }
}
