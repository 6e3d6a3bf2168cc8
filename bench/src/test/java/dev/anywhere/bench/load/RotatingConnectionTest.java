package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.bench.load.vc.LeanClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Calls keep being answered while the load connection moves to fresh virtual connections. */
class RotatingConnectionTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void callsMoveToAFreshVirtualConnectionWithoutLosingOne() throws Exception {
        try (Topology topology = Topology.start(dir);
                LeanClient client = new LeanClient(LeanClient.Settings.builder(topology.gatewayAddress(), topology.httpPort())
                        .basic(Topology.USER, Topology.PASSWORD).timeouts(Duration.ofSeconds(10)).build())) {
            RotatingConnection c = RotatingConnection.open(client, IdleProbe.sourceAddress(0), Duration.ofSeconds(10), 256 * 1024);
            try {
                byte[] stub = new byte[16 * 1024];
                for (int i = 0; i < 200; i++) { // 3.2 MiB each way
                    assertThat(c.echo(stub).get(10, TimeUnit.SECONDS)).isEqualTo(stub.length);
                }
                assertThat(c.generations()).isGreaterThan(2);
            } finally {
                c.close();
            }
        }
    }
}
