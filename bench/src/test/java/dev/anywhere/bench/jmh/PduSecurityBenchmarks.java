package dev.anywhere.bench.jmh;

import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.PduSecurity;
import dev.anywhere.rpc.ntlm.NegotiateFlag;
import dev.anywhere.rpc.ntlm.NtlmSession;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full request fragment (5,840 bytes, 5,792 of stub: what the sealed load arm sends), or a 1 KiB call's, protected
 * by the client's {@link PduSecurity} and verified (and unsealed) by the server's, at CONNECT (no verifier: the plain encode and decode),
 * PKT_INTEGRITY and PKT_PRIVACY. Both ends advance their sequence numbers and RC4 streams together, so every invocation
 * is a valid next fragment. Divided by the fragment's stub bytes it is the protection's cost per byte, one direction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PduSecurityBenchmarks {

    @Param({"2", "5", "6"})
    public int level;

    /** Stub bytes: 5,792 fill a 5,840-byte fragment (the bulk arm's), 1,024 is the 1 KiB call's. */
    @Param({"5792", "1024"})
    public int stubBytes;

    PduSecurity client;
    PduSecurity server;
    DcePdu.Request fragment;
    int callId;

    @Setup
    public void setup() {
        EnumSet<NegotiateFlag> flags = EnumSet.of(NegotiateFlag.NTLMSSP_NEGOTIATE_SIGN, NegotiateFlag.NTLMSSP_NEGOTIATE_SEAL,
                NegotiateFlag.NTLMSSP_NEGOTIATE_ALWAYS_SIGN, NegotiateFlag.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
                NegotiateFlag.NTLMSSP_NEGOTIATE_128);
        Octets key = Octets.ofHex("00112233445566778899aabbccddeeff");
        client = new PduSecurity(level, 1, NtlmSession.of(NtlmSession.Role.CLIENT, key, flags));
        server = new PduSecurity(level, 1, NtlmSession.of(NtlmSession.Role.SERVER, key, flags));
        byte[] stub = new byte[stubBytes];
        for (int i = 0; i < stub.length; i++) {
            stub[i] = (byte) (i * 31);
        }
        fragment = new DcePdu.Request(2, 0, 0, Octets.of(stub));
    }

    /** Protects one fragment and unprotects it on the other end; returns the stub length that came out. */
    @Benchmark
    public int protectAndUnprotect() {
        ByteBuf wire = client.protect(fragment, UnpooledByteBufAllocator.DEFAULT);
        try {
            return server.unprotect(wire).stub().length();
        } finally {
            wire.release();
        }
    }
}
