package dev.anywhere.directory.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MapiProtocolSettingsTest {

    private static final String S = "\u00a7";

    @Test
    void absentMeansDefaults() {
        assertThat(MapiProtocolSettings.mapiEnabled(List.of())).isTrue();
        assertThat(MapiProtocolSettings.blockRpcHttp(List.of("RemotePowerShell" + S + "1"))).isFalse();
    }

    @Test
    void capturedValueReadsAsEnabledAndNotBlocked() {
        List<String> captured = List.of("RemotePowerShell" + S + "1", "MAPI" + S + "1" + S + "0" + S + S + S + "0" + S + S + S + S + S + "0");
        assertThat(MapiProtocolSettings.mapiEnabled(captured)).isTrue();
        assertThat(MapiProtocolSettings.blockRpcHttp(captured)).isFalse();
    }

    @Test
    void rewriteKeepsOtherProtocolsAndFields() {
        List<String> before = List.of("RemotePowerShell" + S + "1", "MAPI" + S + "1" + S + "0" + S + "x" + S);
        List<String> after = MapiProtocolSettings.with(before, false, true);
        assertThat(after).containsExactly("MAPI" + S + "0" + S + "0" + S + "x" + S + S + "1", "RemotePowerShell" + S + "1");
        assertThat(MapiProtocolSettings.mapiEnabled(after)).isFalse();
        assertThat(MapiProtocolSettings.blockRpcHttp(after)).isTrue();
    }

    @Test
    void newValueStartsFromExchangesDefault() {
        assertThat(MapiProtocolSettings.with(List.of(), true, false)).containsExactly(MapiProtocolSettings.DEFAULT_VALUE);
    }
}
