package dev.anywhere.rpc.emsmdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.wire.Octets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes written field by field from the IDL of [MS-OXCRPC] 3.1.4.1 / 3.1.4.2 (NDR 2.0, [C706] 14) and the
 * buffers of [MS-OXCROPS] 2.2.3.1 / [MS-OXCSTOR] 2.2.1.1, independently of the encoders: each encodes to exactly
 * these bytes and decodes back to the same value. {@code EmsmdbTsharkInteropTest} has Wireshark dissect the same
 * bytes.
 */
class EmsmdbGoldenTest {

    static final String USER_DN = "/o=Org/cn=alice";
    static final ContextHandle CXH = new ContextHandle(0, UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"));
    static final UUID MAILBOX = UUID.fromString("0a0b0c0d-0e0f-1011-1213-141516171819");
    static final UUID REPLICA = UUID.fromString("f0e0d0c0-b0a0-9080-7060-504030201000");
    /** Outlook 2010 RTM, 14.0.4760.1000, in the high-bit form. */
    static final ProtocolVersion OUTLOOK = ProtocolVersion.of(14, 0, 4760, 1000);

    static final String CXH_HEX = "00000000 33221100 55447766 8899aabb ccddeeff";
    static final String USER_DN_HEX = "2f6f3d4f72672f636e3d616c69636500"; // "/o=Org/cn=alice" and NUL

    static final String CONNECT_REQUEST = ""
            + "10000000 00000000 10000000 " + USER_DN_HEX // szUserDN: max_count, offset, actual_count, bytes
            + "00000000" // ulFlags
            + "00000000" // ulConMod
            + "00000000" // cbLimit
            + "e4040000" // ulCpid 1252
            + "09040000" // ulLcidString 0x409
            + "09040000" // ulLcidSort 0x409
            + "ffffffff" // ulIcxrLink
            + "0100" // usFCanConvertCodePages
            + "000e 9892 e803" // rgwClientVersion: 14<<8|0, 0x8000|4760, 1000
            + "00000000" // pulTimeStamp (4-aligned: no pad after 8 bytes of shorts)
            + "00000000" // rgbAuxIn max_count
            + "00000000" // cbAuxIn
            + "08100000"; // pcbAuxOut 0x1008

    static final String CONNECT_RESPONSE = ""
            + CXH_HEX // pcxh
            + "60ea0000" // pcmsPollsMax 60000
            + "06000000" // pcRetry 6
            + "10270000" // pcmsRetryDelay 10000
            + "0100 0000" // picxr 1, pad to 4
            + "00000200 01000000 00000000 01000000 00" // szDNPrefix: referent id, "" (just the NUL)
            + "000000" // pad to 4
            + "04000200 06000000 00000000 06000000 416c69636500" // szDisplayName: referent id, "Alice"
            + "030e 7b80 0300" // rgwServerVersion: 14<<8|3, 0x8000|123, 3
            + "000e 9892 e803" // rgwBestVersion: the client's
            + "0000" // pad to 4
            + "00000000" // pulTimeStamp
            + "00000000 00000000 00000000" // rgbAuxOut: max_count, offset, actual_count
            + "00000000" // pcbAuxOut
            + "00000000"; // return value ecNone

    /** RopLogon request, private mailbox, Outlook's OpenFlags. */
    static final String LOGON_ROP = ""
            + "fe" // RopId
            + "00" // LogonId
            + "00" // OutputHandleIndex
            + "01" // LogonFlags: Private
            + "0c040001" // OpenFlags 0x0100040C
            + "00000000" // StoreState
            + "1000" // EssdnSize 16
            + USER_DN_HEX; // Essdn

    /** RPC_HEADER_EXT (Last, 36 bytes) + RopSize 32 + the RopLogon + handle table [FFFFFFFF]. */
    static final String RGB_IN = "0000 0400 2400 2400" + "2000" + LOGON_ROP + "ffffffff";

    static final String RPC_REQUEST = ""
            + CXH_HEX // pcxh
            + "00000000" // pulFlags
            + "2c000000 " + RGB_IN // rgbIn: max_count 44, bytes
            + "2c000000" // cbIn
            + "00000400" // pcbOut 0x40000
            + "00000000" // rgbAuxIn max_count
            + "00000000" // cbAuxIn
            + "08100000"; // pcbAuxOut 0x1008

    /** The 166-byte private-mailbox success response. */
    static final String LOGON_RESPONSE = ""
            + "fe" // RopId
            + "00" // OutputHandleIndex
            + "00000000" // ReturnValue
            + "01" // LogonFlags
            + folders() // FolderIds[13]: ReplicaId 1 (LE), GlobalCounter 1..13 (BE)
            + "07" // ResponseFlags: Reserved | OwnerRight | SendAsRight
            + "0d0c0b0a 0f0e 1110 1213 141516171819" // MailboxGuid
            + "0100" // ReplId
            + "c0d0e0f0 a0b0 8090 7060 504030201000" // ReplGuid
            + "05 1e 0e 00 06 0c ea07" // LogonTime 14:30:05, Sunday, 6 December 2026
            + "0000000000000000" // GwartTime
            + "00000000"; // StoreState

    /** RPC_HEADER_EXT (Last, 172) + RopSize 168 + the response + handle table [the logon's handle 1]. */
    static final String RGB_OUT = "0000 0400 ac00 ac00" + "a800" + LOGON_RESPONSE + "01000000";

    static final String RPC_RESPONSE = ""
            + CXH_HEX // pcxh
            + "00000000" // pulFlags
            + "b4000000 00000000 b4000000 " + RGB_OUT // rgbOut: max_count 180, offset, actual_count 180
            + "b4000000" // pcbOut
            + "00000000 00000000 00000000" // rgbAuxOut
            + "00000000" // pcbAuxOut
            + "07000000" // pulTransTime
            + "00000000"; // return value

    static String folders() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 13; i++) {
            b.append(String.format("0100 0000000000%02x", i));
        }
        return b.toString();
    }

    static List<FolderId> folderIds() {
        List<FolderId> ids = new ArrayList<>();
        for (int i = 1; i <= 13; i++) {
            ids.add(new FolderId(1, i));
        }
        return ids;
    }

    static RopLogon.Success logonSuccess() {
        return new RopLogon.Success(0, RopLogon.PRIVATE, folderIds(), RopLogon.OWNER_RESPONSE_FLAGS, MAILBOX, 1, REPLICA,
                LocalDateTime.of(2026, 12, 6, 14, 30, 5), 0, 0);
    }

    @Test
    void ecDoConnectExRequest() {
        EcDoConnectEx.Request q = EcDoConnectEx.Request.outlook(USER_DN, OUTLOOK);
        assertThat(q.encode().hex()).isEqualTo(Octets.ofHex(CONNECT_REQUEST).hex());
        assertThat(EcDoConnectEx.Request.decode(Octets.ofHex(CONNECT_REQUEST))).isEqualTo(q);
        assertThat(q.clientVersion()).hasToString("14.0.4760.1000");
    }

    @Test
    void ecDoConnectExResponse() {
        EcDoConnectEx.Response r = new EcDoConnectEx.Response(CXH, 60000, 6, 10000, 1, "", "Alice",
                ProtocolVersion.of(14, 3, 123, 3), OUTLOOK, 0, Octets.EMPTY, EcCode.NONE);
        assertThat(r.encode().hex()).isEqualTo(Octets.ofHex(CONNECT_RESPONSE).hex());
        assertThat(EcDoConnectEx.Response.decode(Octets.ofHex(CONNECT_RESPONSE))).isEqualTo(r);
    }

    @Test
    void ropLogonRequestInsideEcDoRpcExt2() {
        RopLogon.Request logon = RopLogon.Request.privateMailbox(0, 0, USER_DN);
        ByteBuf rop = Unpooled.buffer();
        logon.writeTo(rop);
        assertThat(Octets.copyOf(rop).hex()).isEqualTo(Octets.ofHex(LOGON_ROP).hex());

        Octets rgbIn = RpcHeaderExt.wrap(new RopBuffer(Octets.copyOf(rop), List.of(RopBuffer.NO_HANDLE)).encode(), false, false);
        assertThat(rgbIn.hex()).isEqualTo(Octets.ofHex(RGB_IN).hex());
        EcDoRpcExt2.Request q = new EcDoRpcExt2.Request(CXH, 0, rgbIn, Emsmdb.MAX_RGB, Octets.EMPTY, Emsmdb.MAX_AUX);
        assertThat(q.encode().hex()).isEqualTo(Octets.ofHex(RPC_REQUEST).hex());

        EcDoRpcExt2.Request back = EcDoRpcExt2.Request.decode(Octets.ofHex(RPC_REQUEST));
        assertThat(back).isEqualTo(q);
        RopBuffer buffer = RopBuffer.decode(RpcHeaderExt.unwrap(back.rgbIn()));
        assertThat(buffer.handles()).containsExactly(RopBuffer.NO_HANDLE);
        assertThat(RopRequest.parse(buffer.rops())).containsExactly(logon);
    }

    @Test
    void ropLogonResponseInsideEcDoRpcExt2() {
        ByteBuf rop = Unpooled.buffer();
        logonSuccess().writeTo(rop);
        assertThat(rop.readableBytes()).isEqualTo(RopLogon.SUCCESS_LENGTH);
        assertThat(Octets.copyOf(rop).hex()).isEqualTo(Octets.ofHex(LOGON_RESPONSE).hex());

        Octets rgbOut = RpcHeaderExt.wrap(new RopBuffer(Octets.copyOf(rop), List.of(1)).encode(), false, false);
        assertThat(rgbOut.length()).isEqualTo(180);
        EcDoRpcExt2.Response r = new EcDoRpcExt2.Response(CXH, 0, rgbOut, Octets.EMPTY, 7, EcCode.NONE);
        assertThat(r.encode().hex()).isEqualTo(Octets.ofHex(RPC_RESPONSE).hex());

        EcDoRpcExt2.Response back = EcDoRpcExt2.Response.decode(Octets.ofHex(RPC_RESPONSE));
        assertThat(back).isEqualTo(r);
        RopBuffer buffer = RopBuffer.decode(RpcHeaderExt.unwrap(back.rgbOut()));
        assertThat(buffer.handles()).containsExactly(1);
        assertThat(RopLogon.readResponse(buffer.rops()))
                .isEqualTo(logonSuccess());
    }

    @Test
    void ecDoDisconnectAndEcDummyRpc() {
        assertThat(new EcDoDisconnect.Request(CXH).encode().hex()).isEqualTo(Octets.ofHex(CXH_HEX).hex());
        assertThat(EcDoDisconnect.Request.decode(Octets.ofHex(CXH_HEX)).cxh()).isEqualTo(CXH);
        Octets closed = Octets.ofHex("00000000 00000000 00000000 00000000 00000000" + "00000000");
        assertThat(new EcDoDisconnect.Response(ContextHandle.NULL, EcCode.NONE).encode()).isEqualTo(closed);
        assertThat(EcDoDisconnect.Response.decode(closed)).isEqualTo(new EcDoDisconnect.Response(ContextHandle.NULL, 0));
        assertThat(EcDummyRpc.encodeResponse(0)).isEqualTo(Octets.ofHex("00000000"));
        assertThat(EcDummyRpc.decodeResponse(Octets.ofHex("00000000"))).isZero();
    }
}
