package dev.anywhere.rpc.nspi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.rpc.wire.Octets;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * impacket's {@code impacket.dcerpc.v5.nspi} (Debian python3-impacket 0.10) as the oracle of the NSPI codecs:
 * requests impacket marshals as exchanger.py sends them decode into the values it put in, and re-encode to the same
 * bytes where impacket follows the IDL; responses we encode parse with impacket's response classes and
 * {@code simplifyPropertyRowSet} into what we meant. Skipped without impacket unless {@code CI=true}.
 */
class NspiImpacketInteropTest {

    private static final Pattern LINE = Pattern.compile("\\{\"name\": \"([\\w:]+)\", \"(hex|parsed|error)\": (.*)\\}");
    private static final ContextHandle HANDLE = new ContextHandle(0, dev.anywhere.rpc.wire.Guids.fromBytes(
            new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));

    @TempDir
    Path dir;

    @BeforeAll
    static void requireImpacket() {
        Peers.requireImpacket("impacket.dcerpc.v5.nspi");
    }

    private Map<String, String> oracle(String mode, String input) throws Exception {
        Path script = dir.resolve("impacket_nspi_oracle.py");
        if (!Files.exists(script)) {
            try (InputStream in = getClass().getResourceAsStream("impacket_nspi_oracle.py")) {
                Files.copy(in, script);
            }
        }
        Process p = new ProcessBuilder(Peers.PYTHON, script.toString(), mode)
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done && p.exitValue() == 0).as("oracle %s:%n%s%n%s", mode, out,
                Files.readString(dir.resolve("stderr.txt"))).isTrue();
        Map<String, String> byName = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = LINE.matcher(line.trim());
            if (m.matches()) {
                byName.put(m.group(1), m.group(2).equals("hex") ? m.group(3).replace("\"", "") : m.group(2) + ": " + m.group(3));
            }
        }
        return byName;
    }

    @Test
    void requestsImpacketMarshalsDecodeToWhatItPutIn() throws Exception {
        Map<String, String> hex = oracle("requests", "");
        assertThat(hex).hasSize(18);

        NspiCalls.Bind bind = NspiCalls.Bind.decode(Octets.ofHex(hex.get("bind")));
        assertThat(bind.stat().codePage()).isEqualTo(Nspi.CP_TELETEX);
        assertThat(bind.serverGuid()).contains(new UUID(0, 0));
        // impacket's referent IDs are random, ours are MIDL's: the bytes agree apart from the referent ID
        assertThat(bind.encode()).isEqualTo(Octets.ofHex(hex.get("bind").substring(0, 80) + "00000200" + "00".repeat(16)));

        assertThat(NspiCalls.Unbind.decode(Octets.ofHex(hex.get("unbind"))))
                .isEqualTo(new NspiCalls.Unbind(HANDLE, 1));
        assertThat(new NspiCalls.Unbind(HANDLE, 1).encode()).isEqualTo(Octets.ofHex(hex.get("unbind")));

        NspiCalls.GetSpecialTable special = NspiCalls.GetSpecialTable.decode(Octets.ofHex(hex.get("getSpecialTable")));
        assertThat(special).isEqualTo(new NspiCalls.GetSpecialTable(HANDLE, 4, new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0),
                Optional.empty()));

        NspiCalls.UpdateStat update = NspiCalls.UpdateStat.decode(Octets.ofHex(hex.get("updateStat")));
        assertThat(update.stat().containerId()).isEqualTo(0x11);
        assertThat(update.delta()).isEmpty();
        assertThat(update.encode()).isEqualTo(Octets.ofHex(hex.get("updateStat")));

        NspiCalls.QueryRows rows = NspiCalls.QueryRows.decode(Octets.ofHex(hex.get("queryRows")));
        assertThat(rows.flags()).isEqualTo(NspiCalls.QueryRows.SKIP_OBJECTS);
        assertThat(rows.stat().currentRec()).isEqualTo(0x12);
        assertThat(rows.stat().numPos()).isEqualTo(3);
        assertThat(rows.count()).isEqualTo(50);
        assertThat(rows.explicitTable()).isEmpty();
        assertThat(rows.propTags().orElseThrow().values()).containsExactly(0x3a00001f, 0x39fe001f, 0x80270102,
                0x30070040, 0x30080040, 0x8c6d0102);

        NspiCalls.QueryRows explicit = NspiCalls.QueryRows.decode(Octets.ofHex(hex.get("queryRowsExplicit")));
        assertThat(explicit.explicitTable()).contains(List.of(0x10, 0x13, 0x7FFF));
        assertThat(explicit.propTags().orElseThrow().values()).containsExactly(0x0ff60102, 0x3001001f);

        assertThat(NspiCalls.QueryColumns.decode(Octets.ofHex(hex.get("queryColumns"))))
                .isEqualTo(new NspiCalls.QueryColumns(HANDLE, 0, 0x80000000));
        assertThat(new NspiCalls.QueryColumns(HANDLE, 0, 0x80000000).encode()).isEqualTo(Octets.ofHex(hex.get("queryColumns")));

        NspiCalls.ResolveNames w = NspiCalls.ResolveNames.decode(Octets.ofHex(hex.get("resolveNamesW")), true);
        assertThat(w.names()).containsExactly("/guid=00112233445566778899aabbccddeeff", "Franky");
        assertThat(w.stat().codePage()).isZero();
        assertThat(w.propTags().orElseThrow().values()).containsExactly(0x3001001f, 0x8c6d0102);

        NspiCalls.ResolveNames a = NspiCalls.ResolveNames.decode(Octets.ofHex(hex.get("resolveNames")), false);
        assertThat(a.names()).containsExactly("franky@frankysweb.org");
        assertThat(a.stat().codePage()).isEqualTo(1252);

        NspiCalls.DnToMid dn = NspiCalls.DnToMid.decode(Octets.ofHex(hex.get("dnToMid")));
        assertThat(dn.names()).containsExactly(
                "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=franky", "/o=x");

        NspiCalls.GetProps props = NspiCalls.GetProps.decode(Octets.ofHex(hex.get("getProps")));
        assertThat(props.stat().currentRec()).isEqualTo(0x10);
        assertThat(props.stat().codePage()).isEqualTo(Nspi.CP_TELETEX);
        assertThat(props.propTags().orElseThrow().values()).containsExactly(0x3001001f, 0x3003001f);

        assertThat(NspiCalls.GetPropList.decode(Octets.ofHex(hex.get("getPropList"))))
                .isEqualTo(new NspiCalls.GetPropList(HANDLE, 1, 0x10, Nspi.CP_TELETEX));

        NspiSortCalls.CompareMids compare = new NspiSortCalls.CompareMids(HANDLE, 0,
                new Stat(0, 0x11, 0, 0, 0, 0, Nspi.CP_TELETEX, 0, 0), 0x12, 0x34);
        assertThat(NspiSortCalls.CompareMids.decode(Octets.ofHex(hex.get("compareMIds")))).isEqualTo(compare);
        assertThat(compare.encode()).isEqualTo(Octets.ofHex(hex.get("compareMIds")));

        NspiCalls.GetTemplateInfo template = new NspiCalls.GetTemplateInfo(HANDLE, NspiCalls.GetTemplateInfo.TI_TEMPLATE,
                Nspi.DT_MAILUSER, Optional.empty(), 1252, 0x409);
        assertThat(NspiCalls.GetTemplateInfo.decode(Octets.ofHex(hex.get("getTemplateInfo")))).isEqualTo(template);
        assertThat(template.encode()).isEqualTo(Octets.ofHex(hex.get("getTemplateInfo")));
        assertThat(NspiCalls.GetTemplateInfo.decode(Octets.ofHex(hex.get("getTemplateInfoDn")))).isEqualTo(
                new NspiCalls.GetTemplateInfo(HANDLE, 5, 0, Optional.of("/o=First Organization/cn=Templates"),
                        Nspi.CP_TELETEX, 0x407));

        assertThat(NspiModifyCalls.ModLinkAtt.decode(Octets.ofHex(hex.get("modLinkAtt")))).isEqualTo(
                new NspiModifyCalls.ModLinkAtt(HANDLE, NspiModifyCalls.ModLinkAtt.F_DELETE, PropTags.EMS_AB_MEMBER, 0x20,
                        List.of(Octets.ofHex("00000000616263"), Octets.EMPTY)));

        Octets psMapi = Octets.ofHex("2803020000000000c000000000000046");
        assertThat(NspiNameCalls.GetNamesFromIds.decode(Octets.ofHex(hex.get("getNamesFromIDs")))).isEqualTo(
                new NspiNameCalls.GetNamesFromIds(HANDLE, 0, Optional.of(psMapi),
                        Optional.of(PropertyTagArray.of(0x3001001f, 0x8009000d))));
        NspiNameCalls.GetNamesFromIds all = new NspiNameCalls.GetNamesFromIds(HANDLE, 0, Optional.empty(), Optional.empty());
        assertThat(NspiNameCalls.GetNamesFromIds.decode(Octets.ofHex(hex.get("getNamesFromIDsAll")))).isEqualTo(all);
        assertThat(all.encode()).isEqualTo(Octets.ofHex(hex.get("getNamesFromIDsAll")));
    }

    @Test
    void responsesWeEncodeParseInImpacket() throws Exception {
        Map<String, Octets> ours = new LinkedHashMap<>();
        ours.put("bind", new NspiCalls.BindResult(Optional.of(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff")),
                HANDLE, Nspi.SUCCESS).encode());
        ours.put("unbind", new NspiCalls.UnbindResult(ContextHandle.NULL, Nspi.UNBIND_SUCCESS).encode());
        Stat stat = new Stat(0, 0, 0x12, 0, 5, 303, Nspi.CP_TELETEX, 0x409, 0x409);
        ours.put("updateStat", new NspiCalls.UpdateStatResult(stat, Optional.empty(), Nspi.SUCCESS).encode());
        ours.put("queryRows", new NspiCalls.RowsResult(stat, Optional.of(NspiCodecTest.sampleRows()), Nspi.SUCCESS).encode());
        ours.put("getSpecialTable", new NspiCalls.GetSpecialTableResult(7, Optional.of(NspiCodecTest.hierarchy()),
                Nspi.SUCCESS).encode());
        ours.put("queryColumns", new NspiCalls.TagsResult(Optional.of(PropertyTagArray.of(0x3001001f, 0x8c6d0102)),
                Nspi.SUCCESS).encode());
        ours.put("resolveNamesW", new NspiCalls.ResolveNamesResult(Optional.of(PropertyTagArray.of(0x10, 0)),
                Optional.of(new PropertyRowSet(List.of(new PropertyRow(List.of(
                        PropertyValue.unicode(PropTags.DISPLAY_NAME, "Franky Weber")))))), Nspi.SUCCESS).encode());
        ours.put("resolveNames", new NspiCalls.ResolveNamesResult(Optional.of(PropertyTagArray.of(0)),
                Optional.of(new PropertyRowSet(List.of())), Nspi.SUCCESS).encode());
        ours.put("dnToMid", new NspiCalls.TagsResult(Optional.of(PropertyTagArray.of(0x10, 0)), Nspi.SUCCESS).encode());
        ours.put("getProps", new NspiCalls.GetPropsResult(Optional.of(NspiCodecTest.sampleRows().rows().get(0)),
                Nspi.ERRORS_RETURNED).encode());
        ours.put("getPropList", new NspiCalls.TagsResult(Optional.of(PropertyTagArray.of(0x3001001e)), Nspi.SUCCESS).encode());
        ours.put("compareMIds", new NspiSortCalls.CompareMidsResult(-1, Nspi.SUCCESS).encode());
        ours.put("getTemplateInfo", new NspiCalls.TemplateInfoResult(Optional.empty(), Nspi.INVALID_LOCALE).encode());
        ours.put("getTemplateInfo:row", new NspiCalls.TemplateInfoResult(Optional.of(new PropertyRow(List.of(
                PropertyValue.binary(0x00010102, Octets.ofHex("0102"))))), Nspi.SUCCESS).encode());
        ours.put("modLinkAtt", new NspiModifyCalls.StatusResult(Nspi.ACCESS_DENIED).encode());
        ours.put("getNamesFromIDs", new NspiNameCalls.NamesResult(Optional.of(PropertyTagArray.of(0x30010000)),
                Optional.of(List.of(new NspiCalls.PropertyName(Optional.of(Octets.ofHex("2803020000000000c000000000000046")),
                        0, 0x3001), new NspiCalls.PropertyName(Optional.empty(), 0, 0))), Nspi.SUCCESS).encode());
        ours.put("getIDsFromNames", new NspiCalls.TagsResult(Optional.of(PropertyTagArray.of(0x30010000, 0x0000000a)),
                Nspi.ERRORS_RETURNED).encode());
        StringBuilder in = new StringBuilder();
        ours.forEach((name, stub) -> in.append("{\"name\": \"").append(name).append("\", \"hex\": \"")
                .append(stub.hex()).append("\"}\n"));

        Map<String, String> parsed = oracle("responses", in.toString());
        assertThat(parsed).hasSize(ours.size()).allSatisfy((name, result) -> assertThat(result).as(name).startsWith("parsed"));
        assertThat(parsed.get("bind")).contains("\"guid\": \"33221100554477668899aabbccddeeff\"",
                "\"handle\": \"000000000102030405060708090a0b0c0d0e0f10\"", "\"ErrorCode\": 0");
        assertThat(parsed.get("unbind")).contains("\"ErrorCode\": 1");
        assertThat(parsed.get("updateStat")).contains("\"CurrentRec\": 18", "\"NumPos\": 5", "\"TotalRecs\": 303");
        assertThat(parsed.get("queryRows")).contains(
                "\"0x3a00001f\": \"franky\"",
                "\"0x39fe001f\": \"franky@frankysweb.org\"",
                "\"0x80270102\": \"S-1-5-21-1-2-3-1104\"",
                "\"0x8c6d0102\": \"33221100-5544-7766-8899-aabbccddeeff\"", // impacket reads GUIDs in Microsoft order too
                "\"0x0ff60102\": 16",
                "\"0x800f101f\": [\"SMTP:franky@frankysweb.org\", \"smtp:fw@frankysweb.org\"]",
                "\"0x3008000a\": 2147746063",
                "\"0x30070040\": \"2025-08-18 ",
                "\"0x3001001e\": \"4afc7267656e204dfc6c6c6572\"", // PtypString8 bytes (ISO-8859-1)
                "\"0x3a40000b\": 1");
        assertThat(parsed.get("getSpecialTable")).contains("\"version\": 7", "\"0xfffd0003\": 0",
                "\"0x3001001f\": \"All Users\"", "\"0xfffd0003\": 17", "\"0x36000003\": 9",
                "/guid=00112233445566778899aabbccddeeff");
        assertThat(parsed.get("queryColumns")).contains("\"tags\": [805371935, 2355953922]");
        assertThat(parsed.get("resolveNamesW")).contains("\"mids\": [16, 0]", "\"cRows\": 1", "Franky Weber");
        assertThat(parsed.get("resolveNames")).contains("\"mids\": [0]", "\"cRows\": 0");
        assertThat(parsed.get("dnToMid")).contains("\"tags\": [16, 0]");
        assertThat(parsed.get("getProps")).contains("\"ErrorCode\": 263040", "\"0x3a00001f\": \"franky\"");
        assertThat(parsed.get("getPropList")).contains("\"tags\": [805371934]");
        assertThat(parsed.get("compareMIds")).contains("\"result\": -1", "\"ErrorCode\": 0");
        assertThat(parsed.get("getTemplateInfo")).contains("\"ErrorCode\": 2147746079", "\"row\": null");
        assertThat(parsed.get("getTemplateInfo:row")).contains("\"0x00010102\": \"0102\"");
        assertThat(parsed.get("modLinkAtt")).contains("\"ErrorCode\": 2147942405");
        assertThat(parsed.get("getNamesFromIDs")).contains("\"tags\": [805371904]",
                "{\"guid\": \"2803020000000000c000000000000046\", \"lID\": 12289}", "{\"guid\": null, \"lID\": 0}");
        assertThat(parsed.get("getIDsFromNames")).contains("\"tags\": [805371904, 10]", "\"ErrorCode\": 263040");
    }
}
