package dev.anywhere.rpc.dce;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anywhere.rpc.ntlm.NtlmSession;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Timeout;

/**
 * Any bytes handed to {@link PduSecurity#unprotect} at PKT_PRIVACY and PKT_INTEGRITY (what a server does with every
 * request of a secured association) yield a plaintext PDU or a {@link DceProtocolException} (of which
 * {@link DceSecurityException} is one). Inputs: {@code PduSecurityFuzzTestInputs/} (the sealed NspiUnbind request
 * of {@link PduSecurityTest}). docs/fuzzing.md
 */
@Timeout(10)
class PduSecurityFuzzTest {

    @FuzzTest
    void unprotectVerifiesOrRefuses(byte[] input) {
        for (int level : new int[] {AuthVerifier.LEVEL_PKT_PRIVACY, AuthVerifier.LEVEL_PKT_INTEGRITY}) {
            PduSecurity server = new PduSecurity(level, PduSecurityTest.CONTEXT,
                    NtlmSession.of(NtlmSession.Role.SERVER, PduSecurityTest.KEY, PduSecurityTest.FLAGS));
            try {
                server.unprotect(Unpooled.wrappedBuffer(input));
            } catch (DceProtocolException expected) {
                // refused: the documented outcome for bad input
            }
        }
    }
}
