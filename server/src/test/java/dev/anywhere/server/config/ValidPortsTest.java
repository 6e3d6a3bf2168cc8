package dev.anywhere.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValidPortsTest {

    @Test
    void forServerListsShortNameFqdnAndLocalhostWithMergedRanges() {
        ValidPorts v = ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001, 6002, 6004, 593));
        assertThat(v.toString()).isEqualTo("ex1:593;ex1:6001-6002;ex1:6004;"
                + "ex1.frankysweb.local:593;ex1.frankysweb.local:6001-6002;ex1.frankysweb.local:6004;"
                + "localhost:593;localhost:6001-6002;localhost:6004");
    }

    @Test
    void permitsOnlyListedNamesAndPorts() {
        ValidPorts v = ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001, 6002, 6004, 593));
        assertThat(v.permits("EX1", 6001)).isTrue();
        assertThat(v.permits("ex1.FRANKYSWEB.local", 6002)).isTrue();
        assertThat(v.permits("localhost", 593)).isTrue();
        assertThat(v.permits("ex1", 6003)).isFalse();
        assertThat(v.permits("ex1", 22)).isFalse();
        assertThat(v.permits("dc1", 6004)).isFalse();
        assertThat(v.permits("127.0.0.1", 6001)).isFalse();
    }

    @Test
    void parseRoundTripsAndHonoursWildcards() {
        ValidPorts v = ValidPorts.parse(" *.frankysweb.local:6001-6004 ; ex1:593;");
        assertThat(v.toString()).isEqualTo("*.frankysweb.local:6001-6004;ex1:593");
        assertThat(ValidPorts.parse(v.toString())).isEqualTo(v);
        assertThat(v.permits("ex2.frankysweb.local", 6003)).isTrue();
        assertThat(v.permits("frankysweb.local", 6003)).isFalse();
        assertThat(ValidPorts.parse("*:1-65535").permits("anything", 80)).isTrue();
        assertThat(ValidPorts.parse("").isEmpty()).isTrue();
    }

    @Test
    void parseRejectsMalformedEntries() {
        assertThatThrownBy(() -> ValidPorts.parse("ex1"))
                .hasMessage("valid ports entry: 'ex1' (expected: name:port or name:low-high)");
        assertThatThrownBy(() -> ValidPorts.parse("ex1:abc"))
                .hasMessage("valid ports entry: 'ex1:abc' (expected: name:port or name:low-high)");
        assertThatThrownBy(() -> ValidPorts.parse("ex1:6004-6001"))
                .hasMessage("valid ports entry: port range 6004-6001 (expected: 1 <= low <= high <= 65535)");
        assertThatThrownBy(() -> ValidPorts.parse("ex1:70000"))
                .hasMessage("valid ports entry: port range 70000-70000 (expected: 1 <= low <= high <= 65535)");
    }
}
