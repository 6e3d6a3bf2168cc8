package dev.anywhere.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Any topology file handed to {@link Topology#parse}: a validated topology or a {@link TopologyException} naming the
 * problem, never anything else; a topology that was read writes JSON that reads back equal. Inputs:
 * {@code TopologyFuzzTestInputs/} (the frankysweb site, with and without faults). docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class TopologyFuzzTest {

    @FuzzTest
    void parseRewrite(byte[] input) {
        Topology topology;
        try {
            topology = Topology.parse(new String(input, StandardCharsets.UTF_8), "fuzz");
        } catch (TopologyException expected) {
            return;
        }
        assertThat(Topology.parse(topology.toJson(), "rewritten")).isEqualTo(topology);
    }
}
