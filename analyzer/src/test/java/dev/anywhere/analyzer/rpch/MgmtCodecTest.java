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

/** NDR of the MGMT calls: golden bytes (hand-assembled from C706 Appendix Q and MIDL's layout), round trips, errors (EPM's: {@code EpmStubsTest}). */
class MgmtCodecTest {

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
}
