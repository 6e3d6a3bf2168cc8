package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.text.TextAudit;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The bench commands' refusals of their numbers under a German locale: said in German from the command line's bundle
 * (the bench module's settings throw a keyed {@code InvalidValue}), naming the option, before anything starts. The
 * English ones are pinned by {@code BenchSmokeCommandTest} and {@code ArrayBenchCommandTest}.
 */
class BenchInGermanTest extends CommandTestBase {

    @Test
    void aBenchmarksNumbersOutOfRangeAreRefusedInGerman() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            refused("anywhere: --window: 4096 (erwartet: 8192..262144 Bytes)\n", "bench", "rpch", "--window", "4096");
            refused("anywhere: --rpc-auth: connect (erwartet: 'none', 'integrity' oder 'privacy')\n", "bench", "rpch", "--rpc-auth", "connect");
            refused("anywhere: --seconds: 0.0 (erwartet: >0..600)\n", "bench", "rpch", "--seconds", "0");
            refused("anywhere: --idle: 50001 (erwartet: 0..50000)\n", "bench", "rpch", "--idle", "50001");
            refused("anywhere: --rate: -1 (erwartet: auto (oder 0) oder 1..1000000)\n", "bench", "rpch", "--rate", "-1");
            refused("anywhere: --recycle-lifetime: 1 (erwartet: 0 oder 131072..2147483648 Bytes)\n", "bench", "rpch", "--recycle-lifetime", "1");
            refused("anywhere: --connections: 65 (erwartet: 1..64)\n", "bench", "array", "--connections", "65");
            refused("anywhere: --rounds: 0 (erwartet: 1..20)\n", "bench", "array", "--rounds", "0");
            refused("anywhere: --failover-clients: 0 (erwartet: 1..256)\n", "bench", "array", "--failover-clients", "0");
            refused("anywhere: --failover-rate: 0 Aufrufe/s je Client (erwartet: 1..1000)\n", "bench", "array", "--failover-rate", "0");
            refused("anywhere: --workers: 0 (erwartet: 1..64)\n", "bench", "logon", "--workers", "0");
            refused("anywhere: --seconds: 0.1 (erwartet: 0.5..600)\n", "bench", "logon", "--seconds", "0.1");
        } finally {
            Locale.setDefault(before);
        }
    }

    private void refused(String german, String... args) {
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(Anywhere.USAGE);
        assertThat(err).isEqualTo(german);
        assertThat(TextAudit.englishWords(err)).as(err).isEmpty();
    }
}
