package dev.anywhere.directory.ldap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code MAPI} value of a user's {@code protocolSettings}: fields separated by U+00A7 (§), where Exchange keeps the
 * CAS mailbox switches {@code MAPIEnabled} and {@code MAPIBlockOutlookRpcHttp}. A real mailbox reads
 * {@code MAPI§1§0§§§0§§§§§0} (Get-Mailbox ProtocolSettings output). No value means the defaults: enabled, not blocked.
 *
 * <p>Field layout [infer]: in the captured default exactly fields 1, 2, 5 and 10 carry a value, all {@code 0}/{@code 1};
 * the CAS mailbox has exactly four plain booleans on MAPI (MAPIEnabled, MAPIBlockOutlookNonCachedMode,
 * MAPIBlockOutlookRpcHttp, MAPIBlockOutlookExternalConnectivity, in the cmdlet's order) while MAPIBlockOutlookVersions
 * (string) and MapiHttpEnabled (nullable) print empty. So field 1 is MAPIEnabled ({@code 0} = disabled, empty =
 * enabled) and field 5 MAPIBlockOutlookRpcHttp ({@code 1} = blocked). No public source states the positions; the index
 * is one constant, {@link #BLOCK_RPC_HTTP_FIELD}, and every other field is preserved on rewrite.
 */
final class MapiProtocolSettings {

    static final String SEPARATOR = "\u00a7";
    static final String PROTOCOL = "MAPI";
    static final int ENABLED_FIELD = 1;
    static final int BLOCK_RPC_HTTP_FIELD = 5;
    /** What Exchange writes for a new mailbox (captured ProtocolSettings output). */
    static final String DEFAULT_VALUE = "MAPI§1§0§§§0§§§§§0";

    private MapiProtocolSettings() {
    }

    static boolean mapiEnabled(List<String> protocolSettings) {
        return mapiFields(protocolSettings).map(f -> !field(f, ENABLED_FIELD).equals("0")).orElse(true);
    }

    static boolean blockRpcHttp(List<String> protocolSettings) {
        return mapiFields(protocolSettings).map(f -> field(f, BLOCK_RPC_HTTP_FIELD).equals("1")).orElse(false);
    }

    /** The settings with the MAPI value rewritten (or added) for these switches; other protocols untouched. */
    static List<String> with(List<String> protocolSettings, boolean enabled, boolean blockRpcHttp) {
        List<String> out = new ArrayList<>();
        String mapi = DEFAULT_VALUE;
        for (String value : protocolSettings) {
            if (isMapi(value)) {
                mapi = value;
            } else {
                out.add(value);
            }
        }
        List<String> fields = new ArrayList<>(Arrays.asList(mapi.split(SEPARATOR, -1)));
        while (fields.size() <= BLOCK_RPC_HTTP_FIELD) {
            fields.add("");
        }
        fields.set(ENABLED_FIELD, enabled ? "1" : "0");
        fields.set(BLOCK_RPC_HTTP_FIELD, blockRpcHttp ? "1" : "0");
        out.add(0, String.join(SEPARATOR, fields));
        return out;
    }

    private static java.util.Optional<String[]> mapiFields(List<String> protocolSettings) {
        return protocolSettings.stream().filter(MapiProtocolSettings::isMapi).findFirst()
                .map(v -> v.split(SEPARATOR, -1));
    }

    private static boolean isMapi(String value) {
        return value.regionMatches(true, 0, PROTOCOL + SEPARATOR, 0, PROTOCOL.length() + 1);
    }

    private static String field(String[] fields, int index) {
        return index < fields.length ? fields[index].trim() : "";
    }
}
