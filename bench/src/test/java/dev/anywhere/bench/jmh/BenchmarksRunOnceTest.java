package dev.anywhere.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

/** Every JMH benchmark method runs once, called directly, and returns what it measures. */
class BenchmarksRunOnceTest {

    private static final Blackhole BH = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @Test
    void codecBenchmarksRunOnce() {
        CodecBenchmarks b = new CodecBenchmarks();
        b.setup();
        try {
            assertThat(b.decodeConnA1()).isEqualTo(b.connA1);
            assertThat(b.decodeFlowControlAck()).isEqualTo(b.flowControlAck);
            assertThat(b.encodeConnA1()).isEqualTo(b.connA1Bytes.readableBytes());
            assertThat(b.encodeFlowControlAck()).isEqualTo(b.flowControlAckBytes.readableBytes());
            assertThat(b.splitFrames64k(BH)).isEqualTo(b.pdusInStream);
            assertThat(b.splitFrames64k(BH)).as("the splitter is reusable").isEqualTo(b.pdusInStream);
            assertThat(b.decodeRequest()).isEqualTo(b.request);
            assertThat(b.decodeResponse()).isEqualTo(b.response);
            assertThat(b.encodeRequest()).isEqualTo(b.requestBytes.readableBytes());
            assertThat(b.encodeResponse()).isEqualTo(b.responseBytes.readableBytes());
        } finally {
            b.tearDown();
        }
        assertThat(b.pdusInStream).isGreaterThan(50);
    }

    @Test
    void ntlmBenchmarkRunsOnce() throws Exception {
        NtlmBenchmarks b = new NtlmBenchmarks();
        b.handshake();
        assertThat(b.verifyAuthenticate().user()).isEqualTo("load");
    }

    @Test
    void pduSecurityBenchmarkRunsOnceAtEveryLevel() {
        for (int level : new int[] {2, 5, 6}) {
            for (int stubBytes : new int[] {5792, 1024}) {
                PduSecurityBenchmarks b = new PduSecurityBenchmarks();
                b.level = level;
                b.stubBytes = stubBytes;
                b.setup();
                assertThat(b.protectAndUnprotect()).as("auth level " + level).isEqualTo(stubBytes);
                assertThat(b.protectAndUnprotect()).as("the next fragment, auth level " + level).isEqualTo(stubBytes);
            }
        }
    }

    @Test
    void benchmarkListIsGenerated() {
        assertThat(getClass().getClassLoader().getResource("META-INF/BenchmarkList")).isNotNull();
    }
}
