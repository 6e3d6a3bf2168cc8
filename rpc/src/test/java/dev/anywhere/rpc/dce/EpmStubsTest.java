package dev.anywhere.rpc.dce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The endpoint mapper's layouts, which the analyzer's client and the endpoints both use: golden bytes both ways. */
class EpmStubsTest {

    static final SyntaxId MGMT = new SyntaxId(UUID.fromString("afa8bd80-7d8a-11c9-bef4-08002b102989"), 1, 0);

    /** MGMT v1.0 over ncacn_http on 127.0.100.251:6001 (75 octets), as Windows' mapper answers it. */
    static final String MGMT_TOWER_6001 = "0500"
            + "1300" + "0d80bda8af8a7dc911bef408002b1029890100" + "0200" + "0000" // floor 1: MGMT v1.0
            + "1300" + "0d045d888aeb1cc9119fe808002b1048600200" + "0200" + "0000" // floor 2: NDR 2.0
            + "0100" + "0b" + "0200" + "0000" // floor 3: RPC connection-oriented
            + "0100" + "1f" + "0200" + "1771" // floor 4: ncacn_http, port 6001 big-endian
            + "0100" + "09" + "0400" + "7f0064fb"; // floor 5: 127.0.100.251

    /** ept_map's response with that one tower for max_towers 1. */
    static final String MAP_RESPONSE = "00000000" + "00".repeat(16) // entry_handle: NULL
            + "01000000" // num_towers
            + "01000000" + "00000000" + "01000000" // towers: max_count = max_towers, offset, actual_count
            + "01000000" // towers[0]: full pointer, referent id 1 as Windows numbers them
            + "4b000000" + "4b000000" + MGMT_TOWER_6001 + "00" // deferred twr_t: max_count, tower_length, octets, align 4
            + "00000000"; // status

    @Test
    void eptMapRequestAsImpacketSendsIt() throws Exception {
        Tower query = Tower.ncacnHttp(MGMT, (Inet4Address) InetAddress.getByName("0.0.0.0"), 0);
        String towerHex = query.encode().hex();
        String request = "00000000" // object: NULL
                + "00000200" // map_tower referent id
                + "4b000000" + "4b000000" + towerHex + "00" // twr_t: max_count, tower_length, octets, align 4
                + "00".repeat(20) // entry_handle: NULL
                + "04000000"; // max_towers
        assertThat(hex(EpmStubs.encodeMapRequest(new EpmStubs.MapRequest(Optional.empty(), Optional.of(query),
                ContextHandle.NULL, 4)))).isEqualTo(request);
        // impacket sends a non-NULL object (the nil UUID) and other referent ids; the reader takes both
        String impacket = "0a360000" + "00".repeat(16) + "dc650000" + "4b000000" + "4b000000" + towerHex + "ab"
                + "00".repeat(20) + "01000000";
        assertThat(EpmStubs.decodeMapRequest(reader(impacket)))
                .isEqualTo(new EpmStubs.MapRequest(Optional.of(new UUID(0, 0)), Optional.of(query), ContextHandle.NULL, 1));
    }

    @Test
    void eptMapResponseGolden() throws Exception {
        Tower t = Tower.ncacnHttp(MGMT, (Inet4Address) InetAddress.getByName("127.0.100.251"), 6001);
        EpmStubs.MapResult result = new EpmStubs.MapResult(List.of(t), ContextHandle.NULL, DceStatus.SUCCESS);
        assertThat(hex(EpmStubs.encodeMapResponse(result, 1))).isEqualTo(MAP_RESPONSE);
        assertThat(EpmStubs.decodeMapResponse(reader(MAP_RESPONSE))).isEqualTo(result);
    }

    @Test
    void eptLookupRequestGolden() {
        EpmStubs.LookupRequest q = new EpmStubs.LookupRequest(EpmStubs.RPC_C_EP_MATCH_BY_IF, Optional.empty(), Optional.of(MGMT),
                EpmStubs.RPC_C_VERS_EXACT, ContextHandle.NULL, 500);
        String golden = "01000000" // inquiry_type: rpc_c_ep_match_by_if
                + "00000000" // object: NULL
                + "00000200" + "80bda8af8a7dc911bef408002b102989" + "0100" + "0000" // interface_id: pointer, MGMT v1.0
                + "03000000" // vers_option: rpc_c_vers_exact
                + "00".repeat(20) // entry_handle: NULL
                + "f4010000"; // max_ents 500
        assertThat(hex(EpmStubs.encodeLookupRequest(q))).isEqualTo(golden);
        assertThat(EpmStubs.decodeLookupRequest(reader(golden))).isEqualTo(q);
    }

    @Test
    void eptLookupResponseGolden() throws Exception {
        Tower t = Tower.ncacnHttp(MGMT, (Inet4Address) InetAddress.getByName("127.0.100.251"), 6001);
        ContextHandle next = new ContextHandle(0, UUID.fromString("00000000-0000-0001-0000-000000000002"));
        EpmStubs.LookupResult result = new EpmStubs.LookupResult(List.of(new EpmStubs.Entry(new UUID(0, 0), Optional.of(t), "RPC"),
                new EpmStubs.Entry(new UUID(0, 0), Optional.empty(), "")), next, DceStatus.SUCCESS);
        String golden = "00000000" + "00000000" + "0000" + "0100" + "0000" + "000000000002" // entry_handle
                + "02000000" // num_ents
                + "02000000" + "00000000" + "02000000" // entries: max_count, offset, actual_count
                + "00".repeat(16) + "01000000" // entries[0]: object, tower pointer 1
                + "00000000" + "04000000" + "52504300" // annotation: offset, actual_count, "RPC\0"
                + "00".repeat(16) + "00000000" // entries[1]: object, NULL tower
                + "00000000" + "01000000" + "00" + "000000" // annotation "\0", align 4
                + "4b000000" + "4b000000" + MGMT_TOWER_6001 + "00" // entries[0].tower, align 4
                + "00000000"; // status
        assertThat(hex(EpmStubs.encodeLookupResponse(result, 2))).isEqualTo(golden);
        assertThat(EpmStubs.decodeLookupResponse(reader(golden))).isEqualTo(result);
    }

    @Test
    void aTruncatedMapResponseIsRefused() {
        String truncated = MAP_RESPONSE.substring(0, MAP_RESPONSE.length() - 8);
        assertThatThrownBy(() -> EpmStubs.decodeMapResponse(reader(truncated)))
                .isInstanceOf(DceProtocolException.class).hasMessage("truncated status: 0 bytes (expected: 4)");
    }

    @Test
    void aGarbageMapResponseIsRefused() {
        String hugeCount = "00".repeat(20) + "01000000" + "ffffff7f";
        assertThatThrownBy(() -> EpmStubs.decodeMapResponse(reader(hugeCount)))
                .isInstanceOf(DceProtocolException.class).hasMessage("towers max_count: 2147483647 (expected: <= 4096)");
        String numMismatch = "00".repeat(20) + "02000000" + "01000000" + "00000000" + "01000000" + "00000000" + "00000000";
        assertThatThrownBy(() -> EpmStubs.decodeMapResponse(reader(numMismatch)))
                .isInstanceOf(DceProtocolException.class).hasMessage("ept_map towers actual_count: 1 (expected: num_towers 2)");
        assertThatThrownBy(() -> EpmStubs.decodeMapResponse(reader(MAP_RESPONSE + "00000000")))
                .isInstanceOf(DceProtocolException.class).hasMessage("ept_map response: 4 trailing bytes (expected: 0)");
    }

    @Test
    void aLookupResponseWhoseCountsDisagreeIsRefused() {
        String bad = "00".repeat(20) + "01000000" + "00000000" + "00000000" + "00000000" + "00000000";
        assertThatThrownBy(() -> EpmStubs.decodeLookupResponse(reader(bad)))
                .isInstanceOf(DceProtocolException.class).hasMessage("ept_lookup entries actual_count: 0 (expected: num_ents 1)");
    }

    private static String hex(ByteBuf b) {
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    private static NdrReader reader(String hex) {
        return new NdrReader(Unpooled.wrappedBuffer(Octets.ofHex(hex).toByteArray()));
    }
}
