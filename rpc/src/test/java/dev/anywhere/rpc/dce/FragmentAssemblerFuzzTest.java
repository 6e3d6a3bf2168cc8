package dev.anywhere.rpc.dce;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.ByteBufUtil;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * A byte stream of PDUs, as a connection delivers them, through {@link DceCodec} into a {@link FragmentAssembler} capped
 * at 64 KiB: each call comes out whole, with exactly the stub bytes of its fragments in order, or the assembler refuses
 * with a {@link DceProtocolException}. docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class FragmentAssemblerFuzzTest {

    private static final int CAP = 64 * 1024;

    @FuzzTest
    void reassemblesAnyFragmentSequence(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        FragmentAssembler assembler = new FragmentAssembler(CAP);
        ByteBuf expectedStub = Unpooled.buffer();
        while (in.isReadable()) {
            DcePdu pdu;
            try {
                pdu = DceCodec.decode(in);
            } catch (DceProtocolException expected) {
                return;
            }
            if (!(pdu instanceof DcePdu.CallFragment fragment)) {
                continue;
            }
            Optional<DcePdu.CallFragment> whole;
            try {
                whole = assembler.add(fragment);
            } catch (DceProtocolException expected) {
                assertThat(assembler.inProgress()).as("reset after a refusal").isFalse();
                expectedStub.clear();
                continue;
            }
            fragment.stub().writeTo(expectedStub);
            if (whole.isPresent()) {
                assertThat(whole.get().stub().length()).isLessThanOrEqualTo(CAP);
                assertThat(whole.get().stub().hex()).isEqualTo(ByteBufUtil.hexDump(expectedStub));
                assertThat(assembler.inProgress()).isFalse();
                expectedStub.clear();
            }
        }
    }
}
