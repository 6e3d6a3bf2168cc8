package dev.anywhere.rpc.dce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The management interface's layouts, which the endpoints write and the analyzer's client reads. */
class MgmtStubsTest {

    /** inq_if_ids' if_id_vector for MGMT and EPM, as MIDL lays it out (C706 Appendix Q), without the status. */
    static final String TWO_IDS = "00000200" // if_id_vector referent id
            + "02000000" // if_id max_count (hoisted conformance)
            + "02000000" // count
            + "04000200" + "08000200" // if_id[0], if_id[1] referent ids
            + "80bda8af8a7dc911bef408002b102989" + "0100" + "0000" // afa8bd80-7d8a-11c9-bef4-08002b102989 v1.0
            + "0883afe11f5dc91191a408002b14a0fa" + "0300" + "0000"; // e1af8308-5d1f-11c9-91a4-08002b14a0fa v3.0

    static final SyntaxId EPM = new SyntaxId(UUID.fromString("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);

    @Test
    void theIfIdVectorIsWrittenAndReadAsMidlLaysItOut() {
        ByteBuf out = Unpooled.buffer();
        try {
            MgmtStubs.writeIfIdVector(new NdrWriter(out), List.of(MgmtStubs.INTERFACE, EPM));
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo(TWO_IDS);
            assertThat(MgmtStubs.readIfIdVector(new NdrReader(out))).containsExactly(MgmtStubs.INTERFACE, EPM);
        } finally {
            out.release();
        }
    }

    @Test
    void aNullVectorIsNoInterfaces() {
        assertThat(MgmtStubs.readIfIdVector(reader("00000000"))).isEmpty();
    }

    @Test
    void aCountOtherThanTheConformanceOrAHugeConformanceIsRefused() {
        assertThatThrownBy(() -> MgmtStubs.readIfIdVector(reader("00000200" + "02000000" + "01000000")))
                .isInstanceOf(DceProtocolException.class).hasMessage("rpc_if_id_vector_t count: 1 (expected: max_count 2)");
        assertThatThrownBy(() -> MgmtStubs.readIfIdVector(reader("00000200" + "01040000")))
                .isInstanceOf(DceProtocolException.class).hasMessageContaining("if_id max_count: 1025 (expected: <= 1024)");
    }

    @Test
    void isServerListeningIsTheStatusThenTheBoolean32() {
        ByteBuf out = Unpooled.buffer();
        try {
            MgmtStubs.writeIsServerListening(new NdrWriter(out), true, DceStatus.SUCCESS);
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0000000001000000");
        } finally {
            out.release();
        }
    }

    private static NdrReader reader(String hex) {
        return new NdrReader(Unpooled.wrappedBuffer(Octets.ofHex(hex).toByteArray()));
    }
}
