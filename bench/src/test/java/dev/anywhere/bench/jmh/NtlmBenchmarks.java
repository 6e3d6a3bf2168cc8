package dev.anywhere.bench.jmh;

import dev.anywhere.rpc.ntlm.NtHash;
import dev.anywhere.rpc.ntlm.NtlmAuthentication;
import dev.anywhere.rpc.ntlm.NtlmAuthenticationException;
import dev.anywhere.rpc.ntlm.NtlmClient;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import dev.anywhere.rpc.ntlm.NtlmServer;
import dev.anywhere.rpc.ntlm.ServerIdentity;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * NTLM at the gateway: the server's verification of an AUTHENTICATE_MESSAGE (NTLMv2 response, MIC, session key). A
 * handshake context is single use, so each invocation gets a fresh server, CHALLENGE and client AUTHENTICATE in an
 * invocation-level setup that is not measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NtlmBenchmarks {

    static final ServerIdentity IDENTITY = new ServerIdentity("EX1", "BENCH", "ex1.bench.local", "bench.local", "bench.local");
    static final byte[] HASH = NtHash.of("Bench-Pass-1");

    NtlmServer server;
    byte[] authenticate;

    @Setup(Level.Invocation)
    public void handshake() throws NtlmAuthenticationException {
        server = new NtlmServer(IDENTITY, (domain, user) -> user.equalsIgnoreCase("load") ? Optional.of(HASH) : Optional.empty());
        NtlmClient client = new NtlmClient(NtlmCredentials.parse("BENCH\\load", "Bench-Pass-1"), "NOTEBOOK");
        byte[] challenge = server.challenge(client.negotiate());
        authenticate = client.authenticate(challenge);
    }

    @Benchmark
    public NtlmAuthentication verifyAuthenticate() throws NtlmAuthenticationException {
        return server.authenticate(authenticate);
    }
}
