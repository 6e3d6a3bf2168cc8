package dev.anywhere.rpc.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.wire.Guids;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * impacket (Debian {@code python3-impacket}, the independent RPC over HTTP client of the interop plan) builds
 * RTS PDUs and a bind that we decode, and parses every RTS PDU of the catalogue and a bind_ack that we encode.
 * Skipped when impacket is missing, unless {@code CI=true}, where that is a failure.
 */
class RpchImpacketInteropTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final UUID VC = UUID.fromString("33221100-5544-7766-8899-aabbccddeeff");
    private static final UUID OUT = UUID.fromString("33221100-5544-7766-8899-aabbccddee01");
    private static final UUID IN = UUID.fromString("33221100-5544-7766-8899-aabbccddee02");
    private static final UUID AG = UUID.fromString("33221100-5544-7766-8899-aabbccddee03");
    private static final UUID ACK = UUID.fromString("33221100-5544-7766-8899-aabbccddee04");
    private static final SyntaxId EPM = new SyntaxId(UUID.fromString("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);

    @TempDir
    Path dir;

    private Path script;

    @BeforeAll
    static void requireImpacket() {
        dev.anywhere.rpc.testing.Peers.requireImpacket("impacket.dcerpc.v5.rpch");
    }

    @BeforeEach
    void copyScript() throws IOException {
        script = dir.resolve("impacket_rts.py");
        try (InputStream in = getClass().getResourceAsStream("/rpch/impacket_rts.py")) {
            Files.copy(in, script);
        }
    }

    @Test
    void weDecodeWhatImpacketBuilds() throws Exception {
        String out = run(List.of("build", wire(VC), wire(OUT), wire(IN), wire(AG), wire(ACK)), "");
        Map<String, String> built = new LinkedHashMap<>();
        for (String line : out.strip().split("\n")) {
            String[] parts = line.split(" ");
            built.put(parts[0], parts[1]);
        }
        assertThat(built).containsOnlyKeys("CONN/A1", "CONN/B1", "FlowControlAckWithDestination", "Ping", "bind");
        assertDecodesTo(built.get("CONN/A1"), RtsPdus.connA1(1, VC, OUT, 262_144), RtsPduKind.CONN_A1);
        // impacket's B1: ChannelLifetime 1 GiB, ClientKeepalive 300 000 ms
        assertDecodesTo(built.get("CONN/B1"), RtsPdus.connB1(1, VC, IN, 0x4000_0000L, 300_000, AG), RtsPduKind.CONN_B1);
        assertDecodesTo(built.get("FlowControlAckWithDestination"),
                RtsPdus.flowControlAckWithDestination(ForwardDestination.OUT_PROXY, 1000, 262_144, ACK),
                RtsPduKind.FLOW_CONTROL_ACK_WITH_DESTINATION);
        assertDecodesTo(built.get("Ping"), RtsPdus.ping(), RtsPduKind.PING);

        DcePdu bind = DceCodec.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex(built.get("bind"))));
        assertThat(bind).isEqualTo(new DcePdu.Bind(1, 4280, 4280, 0, List.of(PresentationContext.ndr(0, EPM))));
        assertThat(hex(bind)).isEqualTo(built.get("bind"));
    }

    @Test
    void impacketParsesWhatWeEncode() throws Exception {
        Map<String, ByteBuf> ours = new LinkedHashMap<>();
        Map<String, RtsPdu> pdus = new LinkedHashMap<>();
        RpchCodecTest.samples().forEach((kind, pdu) -> {
            pdus.put(kind.name(), pdu);
            ours.put(kind.name(), RpchCodec.encode(pdu, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT));
        });
        DcePdu.BindAck ack = new DcePdu.BindAck(7, 5840, 5840, 0x1234, "6001",
                List.of(ContextResult.accepted(SyntaxId.NDR)));
        StringBuilder stdin = new StringBuilder();
        ours.forEach((name, buf) -> stdin.append(name).append(' ').append(ByteBufUtil.hexDump(buf)).append('\n'));
        stdin.append("bind_ack ").append(hex(ack)).append('\n');

        List<String> lines = List.of(run(List.of("parse"), stdin.toString()).strip().split("\n"));
        List<String> expected = new ArrayList<>();
        pdus.forEach((name, pdu) -> expected.add(name + " frag_len=" + pdu.fragLength()
                + " flags=" + RtsFlag.toBits(pdu.flags())
                + " types=" + pdu.commandTypes().stream().map(t -> Integer.toHexString(t.value()))
                        .collect(Collectors.joining(","))
                + " rest=0"));
        expected.add("bind_ack call_id=7 max_tfrag=5840 assoc_group=4660 sec_addr=6001 result=0 transfer="
                + HexFormat.of().formatHex(Guids.toBytes(SyntaxId.NDR.uuid())) + "02000000");
        assertThat(lines).containsExactlyElementsOf(expected);
        ours.values().forEach(ByteBuf::release);
    }

    private static void assertDecodesTo(String hex, RtsPdu expected, RtsPduKind kind) {
        RtsPdu pdu = RpchCodec.decode(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
        assertThat(pdu).isEqualTo(expected);
        assertThat(pdu.kinds()).contains(kind);
        ByteBuf again = Unpooled.buffer();
        RpchCodec.encode(pdu, again);
        assertThat(ByteBufUtil.hexDump(again)).isEqualTo(hex);
    }

    private static String hex(DcePdu pdu) {
        ByteBuf out = Unpooled.buffer();
        DceCodec.encode(pdu, out);
        return ByteBufUtil.hexDump(out);
    }

    private static String wire(UUID uuid) {
        return HexFormat.of().formatHex(Guids.toBytes(uuid));
    }

    private String run(List<String> args, String stdin) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("impacket_rts.py exit status, output: %s", out).isZero();
        return out;
    }
}
