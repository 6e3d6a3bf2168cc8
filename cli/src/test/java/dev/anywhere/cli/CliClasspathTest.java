package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * What the command line ships: its runtime classpath (this module's, which {@code target/lib} copies) carries
 * neither JMH nor the JMH benchmarks; they stay in the bench module's test sources (docs/performance.md).
 */
class CliClasspathTest {

    @Test
    void jmhIsNotOnTheCommandLinesClasspath() {
        assertThatThrownBy(() -> Class.forName("org.openjdk.jmh.runner.Runner")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("dev.anywhere.bench.jmh.CodecBenchmarks")).isInstanceOf(ClassNotFoundException.class);
    }
}
