package dev.anywhere.rpc.dce;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anywhere.rpc.wire.Octets;
import org.junit.jupiter.api.Timeout;

/**
 * Any octet string handed to {@link Tower#decode} yields a tower or a {@link DceProtocolException}; a decoded tower
 * encodes back to exactly the octets it came from, and its accessors (port, host, protocol sequence) answer without
 * throwing. docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class TowerFuzzTest {

    @FuzzTest
    void decodeReencodes(byte[] input) {
        Octets octets = Octets.of(input);
        Tower tower;
        try {
            tower = Tower.decode(octets);
        } catch (DceProtocolException expected) {
            return;
        }
        assertThat(tower.encode()).isEqualTo(octets);
        tower.interfaceId();
        tower.transferSyntax();
        tower.port();
        tower.host();
        tower.protocolSequence();
    }
}
