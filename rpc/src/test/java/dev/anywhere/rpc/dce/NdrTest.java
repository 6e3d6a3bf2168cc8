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
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NdrTest {

    // ---- winreg BaseRegOpenKey (rapid7/smbj-rpc Test_BaseRegOpenKey, see DceCodecTest.REQUEST) ----

    /** The [in] parameters of BaseRegOpenKey: hKey, lpSubKey (RRP_UNICODE_STRING), dwOptions, samDesired. */
    record OpenKeyRequest(ContextHandle key, int length, int maximumLength, String subKey, long options, long access) {
        static OpenKeyRequest read(NdrReader r) {
            ContextHandle key = r.contextHandle("hKey");
            // RRP_UNICODE_STRING by [ref] pointer: Length, MaximumLength, embedded unique Buffer
            int length = r.u16("Length");
            int max = r.u16("MaximumLength");
            NdrReader.Deferred<String> buffer = r.uniquePointer("Buffer", x -> x.wideString("Buffer", 32_767));
            r.readDeferred();
            long options = r.u32("dwOptions");
            long access = r.u32("samDesired");
            r.expectEnd("BaseRegOpenKey request");
            return new OpenKeyRequest(key, length, max, buffer.get(), options, access);
        }

        void write(NdrWriter w) {
            w.contextHandle(key);
            w.topLevelRef(this, (x, self) -> {
                x.u16(self.length).u16(self.maximumLength);
                x.uniquePointer(self.subKey, NdrWriter::wideString);
            });
            w.u32(options).u32(access);
        }
    }

    @Test
    void winregOpenKeyRequestStubDecodesAndReencodes() {
        DcePdu.Request pdu = (DcePdu.Request) DceCodec.decode(DceCodecTest.buf(DceCodecTest.REQUEST));
        OpenKeyRequest req = OpenKeyRequest.read(new NdrReader(pdu.stub()));
        assertThat(req.key()).isEqualTo(new ContextHandle(0, UUID.fromString("34f2da32-7cb7-4086-9d29-efe60d326683")));
        assertThat(req.subKey()).isEqualTo("Software\\Microsoft\\Windows NT\\CurrentVersion");
        assertThat(req.length()).isEqualTo(90);
        assertThat(req.access()).isEqualTo(0x0200_0000L); // MAXIMUM_ALLOWED
        ByteBuf out = Unpooled.buffer();
        req.write(new NdrWriter(out));
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo(pdu.stub().hex());
    }

    @Test
    void winregOpenKeyResponseStub() {
        DcePdu.Response pdu = (DcePdu.Response) DceCodec.decode(DceCodecTest.buf(DceCodecTest.RESPONSE));
        NdrReader r = new NdrReader(pdu.stub());
        assertThat(r.contextHandle("phkResult"))
                .isEqualTo(new ContextHandle(0, UUID.fromString("9353660a-66f4-496e-a68c-d99f269d020f")));
        assertThat(r.u32("return value")).isZero();
        r.expectEnd("BaseRegOpenKey response");
    }

    // ---- endpoint mapper: a Windows 10 ept_lookup reply ----

    /**
     * A one-entry ept_lookup reply from a real Windows 10 endpoint mapper ("Ngc Pop Key Service" on
     * 192.168.122.248:49664), quoted in a public Zig DCE/RPC client's tests (found by code search); the
     * bind_ack before it carries non-zero pad2 bytes ({@code 38 00}).
     */
    static final String EPM_BIND_ACK = "05000c03100000003c00000002000000d016d016744e000004003133350038000100000000000000"
            + "045d888aeb1cc9119fe808002b10486002000000";
    static final String EPM_LOOKUP_REPLY = "0500020310000000c400000004000000ac00000000000000"
            + "0000000076a825e6472bf64eb6b7e1caeda1c43c" // entry_handle
            + "01000000" // num_ents
            + "01000000 00000000 01000000" // entries: max_count, offset, actual_count
            + "00000000000000000000000000000000" // entries[0].object
            + "01000000" // entries[0].tower: full pointer, referent id 1
            + "00000000 14000000 4e676320506f70204b65792053657276696365 00" // entries[0].annotation
            + "4b000000 4b000000" // deferred tower: max_count, tower_length
            + "0500 1300 0dae27a2515b82f241b4a91ac9557a10180100 0200 0000"
            + "     1300 0d045d888aeb1cc9119fe808002b1048600200 0200 0000"
            + "     0100 0b 0200 0000"
            + "     0100 07 0200 c200"
            + "     0100 09 0400 c0a87af8"
            + "00" // align 4
            + "00000000"; // status

    static final SyntaxId NGC_POP = new SyntaxId(UUID.fromString("51a227ae-825b-41f2-b4a9-1ac9557a1018"), 1, 0);

    /** ept_entry_t: object, tower (full pointer to twr_t), annotation ([string] char[64]). */
    record EptEntry(UUID object, Tower tower, String annotation) {}

    record LookupReply(ContextHandle entryHandle, List<EptEntry> entries, long status) {}

    static LookupReply readLookupReply(NdrReader r) {
        ContextHandle handle = r.contextHandle("entry_handle");
        long numEnts = r.u32("num_ents");
        record Flat(UUID object, NdrReader.Deferred<Tower> tower, String annotation) {}
        List<Flat> flat = r.conformantVaryingArray("entries", 500, 28, x -> new Flat(
                x.uuid("object"),
                x.fullPointer("tower", y -> y.tower("tower", 1024)),
                x.varyingAsciiString("annotation", 64)));
        r.readDeferred();
        long status = r.u32("status");
        r.expectEnd("ept_lookup response");
        assertThat(numEnts).isEqualTo(flat.size());
        return new LookupReply(handle,
                flat.stream().map(f -> new EptEntry(f.object(), f.tower().get(), f.annotation())).toList(), status);
    }

    static void writeLookupReply(NdrWriter w, LookupReply reply) {
        w.contextHandle(reply.entryHandle());
        w.u32(reply.entries().size());
        w.conformantVaryingArray(reply.entries(), (x, e) -> {
            x.uuid(e.object());
            x.fullPointer(e.tower(), NdrWriter::tower);
            x.varyingAsciiString(e.annotation());
        });
        w.flushDeferred();
        w.u32(reply.status());
    }

    @Test
    void windowsEptLookupReplyDecodesAndReencodes() throws Exception {
        DcePdu.Response pdu = (DcePdu.Response) DceCodec.decode(DceCodecTest.buf(EPM_LOOKUP_REPLY));
        LookupReply reply = readLookupReply(new NdrReader(pdu.stub()));
        assertThat(reply.status()).isZero();
        assertThat(reply.entries()).hasSize(1);
        EptEntry e = reply.entries().get(0);
        assertThat(e.annotation()).isEqualTo("Ngc Pop Key Service");
        assertThat(e.object()).isEqualTo(new UUID(0, 0));
        assertThat(e.tower().interfaceId()).contains(NGC_POP);
        assertThat(e.tower().transferSyntax()).contains(SyntaxId.NDR);
        assertThat(e.tower().protocolSequence()).contains("ncacn_ip_tcp");
        assertThat(e.tower().port()).hasValue(49664);
        assertThat(e.tower().host()).contains((Inet4Address) InetAddress.getByName("192.168.122.248"));
        assertThat(e.tower()).isEqualTo(Tower.ncacnIpTcp(NGC_POP,
                (Inet4Address) InetAddress.getByName("192.168.122.248"), 49664));

        ByteBuf out = Unpooled.buffer();
        writeLookupReply(new NdrWriter(out, 1, 1), reply); // Windows numbers referents 1, 2, …
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo(pdu.stub().hex());
    }

    @Test
    void windowsBindAckPadGarbageIsIgnored() {
        DcePdu.BindAck ack = (DcePdu.BindAck) DceCodec.decode(DceCodecTest.buf(EPM_BIND_ACK));
        assertThat(ack.secondaryAddress()).isEqualTo("135");
        assertThat(ack.results()).containsExactly(ContextResult.accepted(SyntaxId.NDR));
    }

    // ---- towers ----

    @Test
    void towerGoldenBytesFromWindowsCapture() throws Exception {
        Tower t = Tower.ncacnIpTcp(NGC_POP, (Inet4Address) InetAddress.getByName("192.168.122.248"), 49664);
        String expected = "0500 1300 0dae27a2515b82f241b4a91ac9557a10180100 0200 0000"
                + "1300 0d045d888aeb1cc9119fe808002b1048600200 0200 0000"
                + "0100 0b 0200 0000 | 0100 07 0200 c200 | 0100 09 0400 c0a87af8";
        assertThat(t.encode()).isEqualTo(Octets.ofHex(expected));
        assertThat(Tower.decode(Octets.ofHex(expected))).isEqualTo(t);
    }

    @Test
    void ncacnHttpTowerCarriesPortBigEndianUnderProtocol0x1f() throws Exception {
        SyntaxId epm = new SyntaxId(UUID.fromString("e1af8308-5d1f-11c9-91a4-08002b14a0fa"), 3, 0);
        Tower t = Tower.ncacnHttp(epm, (Inet4Address) InetAddress.getByName("127.0.100.251"), 593);
        // Assembled from [C706] Appendix L and [MS-RPCH] 2.1 (protocol id 0x1F): port 593 = 0x0251, big-endian.
        String expected = "0500 1300 0d0883afe11f5dc91191a408002b14a0fa0300 0200 0000"
                + "1300 0d045d888aeb1cc9119fe808002b1048600200 0200 0000"
                + "0100 0b 0200 0000 | 0100 1f 0200 0251 | 0100 09 0400 7f0064fb";
        assertThat(t.encode()).isEqualTo(Octets.ofHex(expected));
        Tower back = Tower.decode(Octets.ofHex(expected));
        assertThat(back.protocolSequence()).contains("ncacn_http");
        assertThat(back.port()).hasValue(593);
        assertThat(back.interfaceId()).contains(epm);
    }

    @Test
    void malformedTowers() {
        assertThatThrownBy(() -> Tower.decode(Octets.ofHex("0000")))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("tower floor count: 0 (expected: 1..16)");
        assertThatThrownBy(() -> Tower.decode(Octets.ofHex("0100 0100 0b 0200 00")))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("truncated tower floor rhs: 1 bytes (expected: 2)");
        assertThatThrownBy(() -> Tower.decode(Octets.ofHex("0100 0000")))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("tower floor 1 lhs length: 0 (expected: >= 1)");
    }

    // ---- primitives, pointers, arrays ----

    @Test
    void primitivesAreAlignedFromTheStubStart() {
        ByteBuf out = Unpooled.buffer();
        new NdrWriter(out).u8(1).u16(0x0203).u8(4).u32(0x05060708L).u8(9).hyper(0x1112131415161718L).enum16(3);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("01" + "00" + "0302" + "04" + "000000" + "08070605" + "09"
                + "000000" + "1817161514131211" + "0300");
        NdrReader r = new NdrReader(out);
        assertThat(r.u8("a")).isEqualTo(1);
        assertThat(r.u16("b")).isEqualTo(0x0203);
        assertThat(r.u8("c")).isEqualTo(4);
        assertThat(r.u32("d")).isEqualTo(0x05060708L);
        assertThat(r.u8("e")).isEqualTo(9);
        assertThat(r.hyper("f")).isEqualTo(0x1112131415161718L);
        assertThat(r.enum16("g")).isEqualTo(3);
        r.expectEnd("primitives");
    }

    record Node(String name, Node child) {}

    static void writeNode(NdrWriter w, Node n) {
        w.uniquePointer(n.name(), NdrWriter::wideString);
        w.uniquePointer(n.child(), NdrTest::writeNode);
    }

    @Test
    void embeddedPointerReferentsAreDeferredDepthFirst() {
        // struct { [unique] wchar_t *a; [unique] struct { wchar_t *c; void *null } *b; [unique] wchar_t *d; }
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out);
        w.uniquePointer("a", NdrWriter::wideString);
        w.uniquePointer(new Node("c", null), NdrTest::writeNode);
        w.uniquePointer("d", NdrWriter::wideString);
        w.flushDeferred();
        String hex = ByteBufUtil.hexDump(out);
        assertThat(hex).isEqualTo(
                "00000200" + "04000200" + "08000200" // referent ids a, b, d
                        + "020000000000000002000000" + "61000000" // *a = "a"
                        + "0c000200" + "00000000" // *b: c -> id, child null
                        + "020000000000000002000000" + "63000000" // *c, before *d (depth first)
                        + "020000000000000002000000" + "64000000"); // *d

        NdrReader r = new NdrReader(out);
        NdrReader.Deferred<String> a = r.uniquePointer("a", x -> x.wideString("a", 8));
        NdrReader.Deferred<NdrReader.Deferred<String>> b = r.uniquePointer("b", x -> {
            NdrReader.Deferred<String> c = x.uniquePointer("c", y -> y.wideString("c", 8));
            assertThat(x.uniquePointer("child", y -> y.u8("never")).isPresent()).isFalse();
            return c;
        });
        NdrReader.Deferred<String> d = r.uniquePointer("d", x -> x.wideString("d", 8));
        r.readDeferred();
        r.expectEnd("struct");
        assertThat(a.get()).isEqualTo("a");
        assertThat(b.get().get()).isEqualTo("c");
        assertThat(d.get()).isEqualTo("d");
    }

    @Test
    void fullPointersShareReferents() {
        String shared = "x";
        ByteBuf out = Unpooled.buffer();
        NdrWriter w = new NdrWriter(out);
        w.fullPointer(shared, NdrWriter::wideString);
        w.fullPointer(shared, NdrWriter::wideString);
        w.fullPointer(null, NdrWriter::wideString);
        w.flushDeferred();
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("00000200" + "00000200" + "00000000"
                + "020000000000000002000000" + "78000000");
        NdrReader r = new NdrReader(out);
        NdrReader.Deferred<String> p1 = r.fullPointer("p1", x -> x.wideString("s", 8));
        NdrReader.Deferred<String> p2 = r.fullPointer("p2", x -> x.wideString("s", 8));
        NdrReader.Deferred<String> p3 = r.fullPointer("p3", x -> x.wideString("s", 8));
        r.readDeferred();
        r.expectEnd("pointers");
        assertThat(p1).isSameAs(p2);
        assertThat(p1.get()).isEqualTo("x");
        assertThat(p3.isPresent()).isFalse();
    }

    @Test
    void topLevelUniquePointerIsFollowedByItsReferent() {
        ByteBuf out = Unpooled.buffer();
        new NdrWriter(out).topLevelUnique("hi", NdrWriter::wideString).topLevelUnique(null, NdrWriter::wideString)
                .u32(7);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("00000200" + "030000000000000003000000" + "680069000000"
                + "0000" + "00000000" + "07000000");
        NdrReader r = new NdrReader(out);
        assertThat(r.topLevelUnique("p", x -> x.wideString("p", 8))).contains("hi");
        assertThat(r.topLevelUnique("q", x -> x.wideString("q", 8))).isEmpty();
        assertThat(r.u32("n")).isEqualTo(7);
    }

    @Test
    void arraysRoundTrip() {
        ByteBuf out = Unpooled.buffer();
        new NdrWriter(out)
                .conformantBytes(Octets.ofHex("010203"))
                .conformantVaryingBytes(Octets.ofHex("0405"))
                .conformantArray(List.of(1L, 2L), NdrWriter::u32)
                .conformantVaryingArray(4, List.of(9L), NdrWriter::u32)
                .uuid(SyntaxId.NDR.uuid());
        NdrReader r = new NdrReader(out);
        assertThat(r.conformantBytes("a", 16)).isEqualTo(Octets.ofHex("010203"));
        assertThat(r.conformantVaryingBytes("b", 16)).isEqualTo(Octets.ofHex("0405"));
        assertThat(r.conformantArray("c", 16, 4, x -> x.u32("c[i]"))).containsExactly(1L, 2L);
        assertThat(r.conformantVaryingArray("d", 16, 4, x -> x.u32("d[i]"))).containsExactly(9L);
        assertThat(r.uuid("e")).isEqualTo(SyntaxId.NDR.uuid());
        r.expectEnd("arrays");
    }

    // ---- hostile counts ----

    @Test
    void conformanceOverCapIsRefusedBeforeAllocating() {
        NdrReader r = new NdrReader(Octets.ofHex("ffffffff"));
        assertThatThrownBy(() -> r.conformantArray("entries", 500, 28, x -> x.u32("never")))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("entries max_count: 4294967295 (expected: <= 500)");
    }

    @Test
    void countWithinCapButBeyondTheDataIsRefusedBeforeAllocating() {
        NdrReader r = new NdrReader(Octets.ofHex("f4010000 00000000 f4010000 00000000"));
        assertThatThrownBy(() -> r.conformantVaryingArray("entries", 500, 28, x -> x.u32("never")))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("truncated entries: 4 bytes (expected: 14000)");
    }

    @Test
    void actualCountAboveMaxCount() {
        NdrReader r = new NdrReader(Octets.ofHex("02000000 00000000 03000000 6100620063000000"));
        assertThatThrownBy(() -> r.wideString("name", 256))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("name actual_count: 3 (expected: <= max_count 2)");
    }

    @Test
    void stringWithoutTerminator() {
        NdrReader r = new NdrReader(Octets.ofHex("02000000 00000000 02000000 61006200"));
        assertThatThrownBy(() -> r.wideString("name", 256))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("name: no terminating NUL (expected: last of 2 characters is 0)");
    }

    @Test
    void nonZeroOffsetIsRefused() {
        NdrReader r = new NdrReader(Octets.ofHex("04000000 01000000 01000000 0000"));
        assertThatThrownBy(() -> r.wideString("name", 256))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("name offset: 1 (expected: 0)");
    }

    @Test
    void nullRefPointerIsRefused() {
        NdrReader r = new NdrReader(Octets.ofHex("00000000"));
        assertThatThrownBy(() -> r.refPointer("p", x -> x.u8("never")))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("p referent id: 0 (expected: non-null [ref] pointer)");
    }

    @Test
    void towerLengthMustMatchConformance() {
        NdrReader r = new NdrReader(Octets.ofHex("05000000 04000000 0100010b0000"));
        assertThatThrownBy(() -> r.tower("tower", 1024))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("tower tower_length: 4 (expected: max_count 5)");
    }
}
