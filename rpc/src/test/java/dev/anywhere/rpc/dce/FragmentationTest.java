package dev.anywhere.rpc.dce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FragmentationTest {

    private static Octets stub(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return Octets.of(b);
    }

    @Test
    void fragmentsCarryFlagsAllocHintAndFitMaxXmitFrag() {
        DcePdu.Request call = new DcePdu.Request(42, 1, 7, stub(5000));
        List<DcePdu.CallFragment> frags = Fragmenter.fragment(call, 2048);
        assertThat(frags).hasSize(3);
        assertThat(frags.get(0).flags()).containsExactly(PfcFlag.FIRST_FRAG);
        assertThat(frags.get(1).flags()).isEmpty();
        assertThat(frags.get(2).flags()).containsExactly(PfcFlag.LAST_FRAG);
        assertThat(frags).extracting(DcePdu.CallFragment::allocHint).containsExactly(5000L, 2976L, 952L);
        for (DcePdu.CallFragment f : frags) {
            ByteBuf wire = DceCodec.encode(f, UnpooledByteBufAllocator.DEFAULT);
            assertThat(wire.readableBytes()).isLessThanOrEqualTo(2048);
            wire.release();
        }
    }

    @Test
    void smallCallIsOneFragment() {
        DcePdu.Response call = new DcePdu.Response(1, 0, stub(10));
        assertThat(Fragmenter.fragment(call, Fragmenter.MIN_FRAG)).containsExactly(call);
    }

    @Test
    void fragmentThenReassembleIsIdentity() {
        DcePdu.Response call = new DcePdu.Response(9, 3, stub(10_000));
        FragmentAssembler assembler = new FragmentAssembler();
        Optional<DcePdu.CallFragment> whole = Optional.empty();
        for (DcePdu.CallFragment f : Fragmenter.fragment(call, 4280)) {
            assertThat(whole).isEmpty();
            // through the wire, as a peer would see them
            ByteBuf wire = DceCodec.encode(f, UnpooledByteBufAllocator.DEFAULT);
            whole = assembler.add((DcePdu.CallFragment) DceCodec.decode(wire));
            wire.release();
        }
        assertThat(whole).contains(call);
        assertThat(assembler.inProgress()).isFalse();
    }

    @Test
    void callIdMustStayTheSame() {
        FragmentAssembler a = new FragmentAssembler();
        a.add(fragment(5, EnumSet.of(PfcFlag.FIRST_FRAG), 8));
        assertThatThrownBy(() -> a.add(fragment(6, EnumSet.of(PfcFlag.LAST_FRAG), 8)))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("fragment call_id: 6 (expected: 5)");
        assertThat(a.inProgress()).isFalse();
    }

    @Test
    void firstFragmentMustCarryFirstFrag() {
        FragmentAssembler a = new FragmentAssembler();
        assertThatThrownBy(() -> a.add(fragment(5, EnumSet.of(PfcFlag.LAST_FRAG), 8)))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("fragment of call_id 5: PFC_FIRST_FRAG missing (expected: on the first fragment of a call)");
    }

    @Test
    void newFirstFragmentWhileACallIsInProgress() {
        FragmentAssembler a = new FragmentAssembler();
        a.add(fragment(5, EnumSet.of(PfcFlag.FIRST_FRAG), 8));
        assertThatThrownBy(() -> a.add(fragment(6, EnumSet.of(PfcFlag.FIRST_FRAG), 8)))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("fragment of call_id 6: PFC_FIRST_FRAG set (expected: continuation of call_id 5)");
    }

    @Test
    void totalSizeIsCapped() {
        FragmentAssembler a = new FragmentAssembler(100);
        a.add(fragment(5, EnumSet.of(PfcFlag.FIRST_FRAG), 60));
        assertThatThrownBy(() -> a.add(fragment(5, EnumSet.noneOf(PfcFlag.class), 60)))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("reassembled stub of call_id 5: 120 bytes (expected: <= 100)");
    }

    @Test
    void typeMustStayTheSame() {
        FragmentAssembler a = new FragmentAssembler();
        a.add(fragment(5, EnumSet.of(PfcFlag.FIRST_FRAG), 8));
        DcePdu.Response resp = new DcePdu.Response(EnumSet.of(PfcFlag.LAST_FRAG), 5, 0, 0, 0, stub(4),
                Optional.empty());
        assertThatThrownBy(() -> a.add(resp))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("fragment PTYPE: response (expected: request)");
    }

    @Test
    void fragmenterRefusesAuthenticatedCalls() {
        DcePdu.Request call = new DcePdu.Request(PfcFlag.SINGLE_FRAGMENT, 1, 0, 0, 0, Optional.empty(), stub(10),
                Optional.of(new AuthVerifier(10, 6, 0, 0, Octets.zeros(16))));
        assertThatThrownBy(() -> Fragmenter.fragment(call, 4280))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("auth verifier: present (expected: none; sign each fragment separately)");
    }

    private static DcePdu.Request fragment(int callId, Set<PfcFlag> flags, int n) {
        return new DcePdu.Request(flags, callId, n, 0, 0, Optional.empty(), stub(n), Optional.empty());
    }
}
