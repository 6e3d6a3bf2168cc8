package dev.anywhere.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The machine kinds' table and how a machine is recognised, on fixed /proc/cpuinfo texts. */
class MachineKindTest {

    /** The development VM's /proc/cpuinfo, its first processor's head ("model" comes before "model name"). */
    static final String DEV_VM = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model\t\t: 17
            model name\t: AMD EPYC
            stepping\t: 1
            cpu MHz\t\t: 2596.128

            processor\t: 1
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC
            """;

    static final String GITHUB_RUNNER = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7763 64-Core Processor\n";

    @Test
    void theShippedTableHasTheDevelopmentVm() {
        assertThat(MachineKind.table()).contains(new MachineKind("amd-epyc-2", 2, "AMD EPYC", 20_000, 16_000));
    }

    @Test
    void aMachineIsRecognisedByItsCpuCountAndModelName() {
        List<MachineKind> table = MachineKind.table();
        assertThat(MachineKind.modelName(DEV_VM)).isEqualTo("AMD EPYC");
        assertThat(MachineKind.detect(table, 2, DEV_VM)).map(MachineKind::id).contains("amd-epyc-2");
        assertThat(MachineKind.detect(table, 4, DEV_VM)).isEmpty(); // the same model with other CPUs is another kind
        assertThat(MachineKind.detect(table, 1, DEV_VM)).isEmpty();
        assertThat(MachineKind.detect(table, 2, GITHUB_RUNNER)).isEmpty(); // the whole model name, not a prefix of it
        assertThat(MachineKind.detect(table, 2, "processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz\n")).isEmpty();
        assertThat(MachineKind.detect(table, 2, "")).isEmpty(); // no /proc/cpuinfo
        assertThat(MachineKind.detect(table, 2, "processor\t: 0\nBogoMIPS\t: 50.00\n")).isEmpty(); // arm64: no model name
    }

    @Test
    void aModelEndingInAStarIsAPrefixAndTheMostSpecificKindWins() {
        List<MachineKind> table = MachineKind.parse("""
                epyc.cpus = 2
                epyc.model = AMD EPYC*
                epyc.relay-rate = 1000
                epyc.sealed-rate = 800
                epyc-7763.cpus = 2
                epyc-7763.model = AMD EPYC 7763*
                epyc-7763.relay-rate = 3000
                epyc-7763.sealed-rate = 2000
                dev.cpus = 2
                dev.model = AMD EPYC
                dev.relay-rate = 2000
                dev.sealed-rate = 1600
                """);
        assertThat(MachineKind.detect(table, 2, GITHUB_RUNNER)).map(MachineKind::id).contains("epyc-7763");
        assertThat(MachineKind.detect(table, 2, DEV_VM)).map(MachineKind::id).contains("dev"); // exact before prefix
        assertThat(MachineKind.detect(table, 2, "model name\t: AMD EPYC 9654 96-Core Processor\n")).map(MachineKind::id).contains("epyc");
        assertThat(MachineKind.detect(table, 2, "model name\t: AMD Ryzen 9\n")).isEmpty();
    }

    @Test
    void aBadEntryIsRefusedByName() {
        String good = "k.cpus = 2\nk.model = AMD EPYC\nk.relay-rate = 20000\nk.sealed-rate = 16000\n";
        assertThat(MachineKind.parse(good)).containsExactly(new MachineKind("k", 2, "AMD EPYC", 20_000, 16_000));
        assertThat(MachineKind.parse("# none yet\n")).isEmpty();
        assertThatThrownBy(() -> MachineKind.parse(good.replace("20000", "fast"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("machine kinds: entry 'k': relay-rate 'fast' (expected: 1..1000000)");
        assertThatThrownBy(() -> MachineKind.parse(good.replace("16000", "0")))
                .hasMessage("machine kinds: entry 'k': sealed-rate '0' (expected: 1..1000000)");
        assertThatThrownBy(() -> MachineKind.parse(good.replace("k.cpus = 2", "k.cpus = 0")))
                .hasMessage("machine kinds: entry 'k': cpus '0' (expected: 1..4096)");
        assertThatThrownBy(() -> MachineKind.parse(good.replace("k.sealed-rate = 16000\n", "")))
                .hasMessage("machine kinds: entry 'k': k.sealed-rate is missing");
        assertThatThrownBy(() -> MachineKind.parse(good + "k.rate = 1\n"))
                .hasMessage("machine kinds: entry 'k': unknown key 'k.rate' (expected: k.cpus, .model, .relay-rate, .sealed-rate)");
        assertThatThrownBy(() -> MachineKind.parse(good.replace("k.", "K_1.")))
                .hasMessage("machine kinds: entry 'K_1': a name of a-z, 0-9 and '-' expected");
        assertThatThrownBy(() -> MachineKind.parse(good.replace("AMD EPYC", "*")))
                .hasMessage("machine kinds: entry 'k': model '*' (expected: a model name, or a prefix ending in *)");
        assertThatThrownBy(() -> MachineKind.parse(good.replace("AMD EPYC", "")))
                .hasMessage("machine kinds: entry 'k': model '' (expected: a model name, or a prefix ending in *)");
    }
}
