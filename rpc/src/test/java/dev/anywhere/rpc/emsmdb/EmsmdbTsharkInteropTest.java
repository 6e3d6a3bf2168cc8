package dev.anywhere.rpc.emsmdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.ContextResult;
import dev.anywhere.rpc.dce.DceCodec;
import dev.anywhere.rpc.dce.DcePdu;
import dev.anywhere.rpc.dce.PresentationContext;
import dev.anywhere.rpc.dce.SyntaxId;
import dev.anywhere.rpc.testing.Pcap;
import dev.anywhere.rpc.testing.Peers;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark's DCE/RPC and EMSMDB ("MAPI") dissectors, written by nobody here, read the golden bytes of
 * {@link EmsmdbGoldenTest} as a bind to EMSMDB v0.81 followed by EcDoConnectEx, EcDoRpcExt2 and EcDoDisconnect
 * calls on ncacn_ip_tcp port 6001, with every stub exactly as long as ours and no malformed-packet or error-level
 * expert item. The capture is written here ({@link Pcap}: raw IPv4, one PDU per TCP segment). Skipped without tshark
 * unless {@code CI=true}.
 */
class EmsmdbTsharkInteropTest {

    static final Path TSHARK = Path.of("/usr/bin/tshark");
    static final int CLIENT_PORT = 49200;
    static final int SERVER_PORT = 6001;

    @TempDir
    Path dir;

    @Test
    void wiresharkDissectsTheGoldenCalls() throws Exception {
        Peers.requireExecutable(TSHARK, "tshark");
        List<DcePdu> pdus = List.of(
                new DcePdu.Bind(1, 5840, 5840, 0, List.of(PresentationContext.ndr(0, Emsmdb.INTERFACE))),
                new DcePdu.BindAck(1, 5840, 5840, 0x1234, "6001", List.of(ContextResult.accepted(SyntaxId.NDR))),
                new DcePdu.Request(2, 0, EcDoConnectEx.OPNUM, Octets.ofHex(EmsmdbGoldenTest.CONNECT_REQUEST)),
                new DcePdu.Response(2, 0, Octets.ofHex(EmsmdbGoldenTest.CONNECT_RESPONSE)),
                new DcePdu.Request(3, 0, EcDoRpcExt2.OPNUM, Octets.ofHex(EmsmdbGoldenTest.RPC_REQUEST)),
                new DcePdu.Response(3, 0, Octets.ofHex(EmsmdbGoldenTest.RPC_RESPONSE)),
                new DcePdu.Request(4, 0, EcDoDisconnect.OPNUM, Octets.ofHex(EmsmdbGoldenTest.CXH_HEX)),
                new DcePdu.Response(4, 0, new EcDoDisconnect.Response(dev.anywhere.rpc.dce.ContextHandle.NULL, 0).encode()));
        Path pcap = dir.resolve("emsmdb.pcap");
        Files.write(pcap, pcap(pdus));

        List<String> decode = List.of(TSHARK.toString(), "-r", pcap.toString(), "-d", "tcp.port==" + SERVER_PORT + ",dcerpc");
        String bind = exec(concat(decode, "-Y", "dcerpc.pkt_type == 11", "-T", "fields", "-e", "dcerpc.cn_bind_to_uuid",
                "-e", "dcerpc.cn_bind_if_ver", "-e", "dcerpc.cn_bind_if_ver_minor"));
        assertThat(bind.strip()).isEqualTo("a4f1db00-ca47-1067-b31f-00dd010662da\t0\t81");

        // Wireshark 4.0 names the interface but has no layout for opnums 10 and 11: it shows their stub data as is,
        // which must be exactly ours; EcDoDisconnect (1) it dissects field by field.
        String calls = exec(concat(decode, "-Y", "dcerpc.pkt_type == 0 || dcerpc.pkt_type == 2", "-T", "fields",
                "-e", "dcerpc.pkt_type", "-e", "dcerpc.opnum", "-e", "dcerpc.cn_call_id", "-e", "dcerpc.stub_data"));
        assertThat(calls.lines().map(String::strip).toList()).containsExactly(
                "0\t10\t2\t" + Octets.ofHex(EmsmdbGoldenTest.CONNECT_REQUEST).hex(),
                "2\t10\t2\t" + Octets.ofHex(EmsmdbGoldenTest.CONNECT_RESPONSE).hex(),
                "0\t11\t3\t" + Octets.ofHex(EmsmdbGoldenTest.RPC_REQUEST).hex(),
                "2\t11\t3\t" + Octets.ofHex(EmsmdbGoldenTest.RPC_RESPONSE).hex(),
                "0\t1\t4",
                "2\t1\t4");
        String verbose = exec(concat(decode, "-V", "-Y", "dcerpc.opnum == 1"));
        assertThat(verbose).contains("Exchange 5.5 EMSMDB, EcDoDisconnect", "Handle: 0000000033221100554477668899aabbccddeeff",
                "Handle: 0000000000000000000000000000000000000000", "MAPISTATUS: MAPI_E_SUCCESS (0x00000000)");

        assertThat(exec(concat(decode, "-Y", "_ws.malformed || _ws.expert.severity >= \"error\""))).doesNotContain("DCERPC");
        String expert = exec(concat(decode, "-q", "-z", "expert"));
        assertThat(expert).doesNotContain("Malformed").doesNotContain("Errors");
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }

    /** Runs {@code command}; its standard output (tshark warns about running as root on standard error). */
    String exec(List<String> command) throws IOException, InterruptedException {
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, Files.readString(err)).isZero();
        return out;
    }

    /** Client → server for requests and binds, server → client otherwise, one PDU per segment. */
    static byte[] pcap(List<DcePdu> pdus) {
        List<Pcap.Segment> segments = new ArrayList<>();
        for (DcePdu pdu : pdus) {
            ByteBuf b = Unpooled.buffer();
            DceCodec.encode(pdu, b);
            boolean fromClient = pdu instanceof DcePdu.Bind || pdu instanceof DcePdu.Request;
            segments.add(new Pcap.Segment(fromClient, CLIENT_PORT, SERVER_PORT, Octets.copyOf(b).toByteArray()));
        }
        return Pcap.of(segments);
    }
}
