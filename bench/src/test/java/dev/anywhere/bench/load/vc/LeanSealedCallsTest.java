package dev.anywhere.bench.load.vc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.bench.load.Topology;
import dev.anywhere.rpc.dce.AuthVerifier;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lean client with DCE/RPC security against the bench's {@link Topology}: the endpoints verify the NTLM bind with
 * the bench user's NT hash and tell (opnum 1) the auth level they unprotected the call at; echoes of every fragment
 * boundary come back intact, signed or sealed both ways. Bounded waits, no timing.
 */
class LeanSealedCallsTest {

    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static Topology topology;

    @BeforeAll
    static void start() throws Exception {
        topology = Topology.start(dir);
    }

    @AfterAll
    static void stop() {
        if (topology != null) {
            topology.close();
        }
    }

    private static LeanClient client(RpcAuth auth) {
        return new LeanClient(LeanClient.Settings.builder(topology.gatewayAddress(), topology.httpPort())
                .basic(Topology.USER, Topology.PASSWORD).timeouts(T).ioThreads(2).rpcAuth(auth).build());
    }

    private static RpcAuth auth(int level, String password) {
        return new RpcAuth(level, NtlmCredentials.parse(Topology.USER, password));
    }

    private static byte[] call(LeanVirtualConnection vc, int opnum, byte[] stub) throws Exception {
        return vc.call(opnum, stub).get(T.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    @Timeout(120)
    void sealedAndSignedEchoesOfEveryFragmentBoundaryComeBackIntact() throws Exception {
        // 5840-byte fragments carry 5792 stub bytes when protected (24 header, 16-byte alignment, 8 + 16 verifier)
        int[] sizes = {0, 1, 15, 16, 17, 5791, 5792, 5793, 5815, 5816, 11584, 11585, 16384, 65536, 300 * 1024};
        Random random = new Random(7);
        for (int level : new int[] {AuthVerifier.LEVEL_PKT_PRIVACY, AuthVerifier.LEVEL_PKT_INTEGRITY}) {
            try (LeanClient client = client(auth(level, Topology.PASSWORD))) {
                LeanVirtualConnection vc = client.open().get(T.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(call(vc, 1, new byte[0])).as("auth_level the endpoints saw").containsExactly(level);
                List<byte[]> stubs = new ArrayList<>();
                List<CompletableFuture<byte[]>> answers = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (int size : sizes) {
                        byte[] stub = new byte[size];
                        random.nextBytes(stub);
                        stubs.add(stub);
                        answers.add(vc.call(0, stub)); // pipelined: sequence numbers and RC4 stream in wire order
                    }
                }
                CompletableFuture<Integer> length = vc.echo(new byte[20_000]);
                for (int i = 0; i < stubs.size(); i++) {
                    byte[] got = answers.get(i).get(T.toMillis(), TimeUnit.MILLISECONDS);
                    assertThat(Arrays.equals(got, stubs.get(i))).as("level " + level + ", call " + i + " of " + stubs.get(i).length
                            + " bytes, " + got.length + " back").isTrue();
                }
                assertThat(length.get(T.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(20_000);
                assertThat(vc.failure()).as(vc.stats()).isNull();
                assertThat(vc.isOpen()).isTrue();
            }
        }
    }

    @Test
    @Timeout(60)
    void withoutRpcAuthTheBindIsUnauthenticated() throws Exception {
        try (LeanClient client = client(null)) {
            LeanVirtualConnection vc = client.open().get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(call(vc, 1, new byte[0])).containsExactly(1);
        }
    }

    @Test
    @Timeout(60)
    void aWrongRpcPasswordFailsTheFirstCallNotTheHttpLogon() throws Exception {
        try (LeanClient client = client(auth(AuthVerifier.LEVEL_PKT_PRIVACY, "wrong"))) {
            LeanVirtualConnection vc = client.open().get(T.toMillis(), TimeUnit.MILLISECONDS);
            assertThatThrownBy(() -> call(vc, 0, new byte[64]))
                    .cause().isInstanceOf(LeanFailure.class)
                    .hasMessage("call_id 2 (opnum 0): fault ERROR_ACCESS_DENIED(0x5)"); // the endpoints' answer to a failed AUTHENTICATE
        }
    }
}
