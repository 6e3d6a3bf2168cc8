package dev.anywhere.rpc.nspi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.Octets;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NspiCodecTest {

    static final ContextHandle HANDLE = new ContextHandle(0, UUID.fromString("11111111-2222-3333-4444-555555555555"));
    static final Stat STAT = new Stat(0, 0, 0x12, -3, 5, 303, Nspi.CP_TELETEX, 0x409, 0x409);

    /** A row with every kind of value the address book serves, and one PT_ERROR. */
    static PropertyRowSet sampleRows() {
        byte[] sid = Octets.ofHex("010500000000000515000000010000000200000003000000 50040000").toByteArray();
        PropertyRow franky = new PropertyRow(List.of(
                PropertyValue.unicode(PropTags.ACCOUNT, "franky"),
                PropertyValue.unicode(PropTags.SMTP_ADDRESS, "franky@frankysweb.org"),
                PropertyValue.binary(PropTags.EMS_AB_OBJECT_SID, Octets.of(sid)),
                new PropertyValue(PropTags.CREATION_TIME, 134_000_000_000_000_000L),
                PropertyValue.error(PropTags.LAST_MODIFICATION_TIME, Nspi.NOT_FOUND),
                PropertyValue.binary(PropTags.EMS_AB_OBJECT_GUID,
                        Octets.of(Guids.toBytes(UUID.fromString("33221100-5544-7766-8899-aabbccddeeff")))),
                PropertyValue.binary(PropTags.INSTANCE_KEY, Octets.ofHex("10000000")),
                new PropertyValue(PropTags.EMS_AB_PROXY_ADDRESSES, List.of("SMTP:franky@frankysweb.org",
                        "smtp:fw@frankysweb.org")),
                new PropertyValue(0x3001001E, Octets.of("Jürgen Müller".getBytes(StandardCharsets.ISO_8859_1))),
                PropertyValue.bool(0x3A40000B, true),
                PropertyValue.int32(PropTags.OBJECT_TYPE, 6),
                new PropertyValue(0x3A1B1003, List.of(1, 2)),
                new PropertyValue(0x3A1C0002, (short) -2)));
        PropertyRow second = new PropertyRow(List.of(PropertyValue.unicode(PropTags.ACCOUNT, "hanna"),
                new PropertyValue(0x81B6101E, List.of(Octets.of("MAPI".getBytes(StandardCharsets.US_ASCII)))),
                new PropertyValue(0x8C6A1102, List.of(Octets.ofHex("0102"), Octets.EMPTY)),
                new PropertyValue(0x80481048, List.of(Octets.zeros(16))),
                new PropertyValue(0x80491040, List.of(1L, 2L)),
                new PropertyValue(0x804A0048, Octets.zeros(16)),
                new PropertyValue(0x804B001F, null)));
        return new PropertyRowSet(List.of(franky, second));
    }

    /** The GAL row and one address list, as exchanger's list-tables reads them. */
    static PropertyRowSet hierarchy() {
        byte[] dn = "/guid=00112233445566778899aabbccddeeff\0".getBytes(StandardCharsets.US_ASCII);
        Octets entryId = Octets.of(java.nio.ByteBuffer.allocate(28 + dn.length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(0).put(Nspi.GUID_NSPI).putInt(1).putInt(Nspi.DT_CONTAINER).put(dn).array());
        return new PropertyRowSet(List.of(
                new PropertyRow(List.of(PropertyValue.int32(PropTags.EMS_AB_CONTAINERID, 0),
                        PropertyValue.int32(PropTags.CONTAINER_FLAGS, 9), PropertyValue.int32(PropTags.DEPTH, 0),
                        PropertyValue.unicode(PropTags.DISPLAY_NAME, "Default Global Address List"),
                        PropertyValue.bool(PropTags.EMS_AB_IS_MASTER, false))),
                new PropertyRow(List.of(PropertyValue.int32(PropTags.EMS_AB_CONTAINERID, 17),
                        PropertyValue.int32(PropTags.CONTAINER_FLAGS, 9), PropertyValue.int32(PropTags.DEPTH, 0),
                        PropertyValue.unicode(PropTags.DISPLAY_NAME, "All Users"),
                        PropertyValue.binary(PropTags.ENTRYID, entryId),
                        PropertyValue.bool(PropTags.EMS_AB_IS_MASTER, false)))));
    }

    @Test
    void propertyTagArrayIsConformantVaryingWithOneSpareSlot() {
        Octets wire = new NspiCalls.TagsResult(Optional.of(PropertyTagArray.of(0x3001001F)), 0).encode();
        // referent id | max_count = cValues + 1 | cValues | offset | actual_count | tag | return value
        assertThat(wire).isEqualTo(Octets.ofHex("00000200 02000000 01000000 00000000 01000000 1f000130 00000000"));
        assertThat(NspiCalls.TagsResult.decode(wire).tags()).contains(PropertyTagArray.of(0x3001001F));
    }

    @Test
    void rowSetDefersEachRowsPropertiesAndTheirStrings() {
        Octets wire = new NspiCalls.ResolveNamesResult(Optional.empty(), Optional.of(new PropertyRowSet(List.of(
                new PropertyRow(List.of(PropertyValue.unicode(PropTags.DISPLAY_NAME, "A")))))), 0).encode();
        assertThat(wire).isEqualTo(Octets.ofHex(
                "00000000" // ppMIds: NULL
                + "00000200 01000000 01000000" // ppRows referent, max_count, cRows
                + "00000000 01000000 04000200" // row: Reserved, cValues, lpProps
                + "01000000 1f000130 00000000 1f000000 08000200" // lpProps: max_count, tag, reserved, arm, lpszW
                + "02000000 00000000 02000000 41000000" // "A" and NUL
                + "00000000")); // return value
    }

    @Test
    void impacketsGetSpecialTableWithAUniquePointerStatIsRead() {
        Octets impacket = Octets.ofHex("00000000 11111111 22223333 44445555 55555555" + "04000000" + "7e1d0000"
                + "00".repeat(24) + "254f0000" + "00".repeat(8) + "00000000");
        assertThat(impacket.length()).isEqualTo(68);
        NspiCalls.GetSpecialTable q = NspiCalls.GetSpecialTable.decode(impacket);
        assertThat(q.flags()).isEqualTo(NspiCalls.GetSpecialTable.UNICODE_STRINGS);
        assertThat(q.stat().codePage()).isEqualTo(Nspi.CP_TELETEX);
        assertThat(q.version()).isEmpty();
        NspiCalls.GetSpecialTable spec = new NspiCalls.GetSpecialTable(HANDLE, 4, STAT, Optional.of(9));
        assertThat(spec.encode().length()).isEqualTo(64);
        assertThat(NspiCalls.GetSpecialTable.decode(spec.encode())).isEqualTo(spec);
    }

    @Test
    void everyRequestAndResultRoundTrips() {
        PropertyTagArray tags = PropertyTagArray.of(PropTags.DISPLAY_NAME, PropTags.EMS_AB_OBJECT_GUID);
        Restriction filter = new Restriction.And(List.of(
                new Restriction.Property(4, PropTags.ANR, PropertyValue.unicode(PropTags.ANR, "fra")),
                new Restriction.Not(new Restriction.Exist(PropTags.EMS_AB_TARGET_ADDRESS)),
                new Restriction.Or(List.of(new Restriction.Content(0x10001, PropTags.DISPLAY_NAME,
                        PropertyValue.unicode(PropTags.DISPLAY_NAME, "web")), new Restriction.Size(1, 2, 3))),
                new Restriction.BitMask(0, 1, 2), new Restriction.CompareProps(4, 5, 6),
                new Restriction.Sub(7, new Restriction.Exist(8))));
        List<Object> all = List.of(
                new NspiCalls.Bind(0, STAT, Optional.of(UUID.randomUUID())), new NspiCalls.Bind(0x20, STAT, Optional.empty()),
                new NspiCalls.BindResult(Optional.of(UUID.randomUUID()), HANDLE, 0),
                new NspiCalls.Unbind(HANDLE, 1), new NspiCalls.UnbindResult(ContextHandle.NULL, 1),
                new NspiCalls.UpdateStat(HANDLE, 0, STAT, Optional.of(-7)),
                new NspiCalls.UpdateStatResult(STAT, Optional.of(3), 0),
                new NspiCalls.QueryRows(HANDLE, 1, STAT, Optional.of(List.of(16, 17)), 50, Optional.of(tags)),
                new NspiCalls.QueryRows(HANDLE, 0, STAT, Optional.empty(), 0, Optional.empty()),
                new NspiCalls.RowsResult(STAT, Optional.of(sampleRows()), 0),
                new NspiCalls.SeekEntries(HANDLE, 0, STAT, PropertyValue.unicode(PropTags.DISPLAY_NAME, "M"),
                        Optional.of(PropertyTagArray.of(16)), Optional.of(tags)),
                new NspiCalls.GetMatches(HANDLE, 0, STAT, Optional.empty(), 0, Optional.of(filter),
                        Optional.of(new NspiCalls.PropertyName(Optional.of(Octets.zeros(16)), 0, 0x8009)), 100, Optional.of(tags)),
                new NspiCalls.GetMatchesResult(STAT, Optional.of(PropertyTagArray.of(16)), Optional.of(hierarchy()), 0),
                new NspiCalls.DnToMid(HANDLE, 0, List.of("/o=First Organization/cn=x", "")),
                new NspiCalls.TagsResult(Optional.of(tags), 0), new NspiCalls.TagsResult(Optional.empty(), Nspi.NOT_FOUND),
                new NspiCalls.GetPropList(HANDLE, 1, 16, 1252),
                new NspiCalls.GetProps(HANDLE, 1, STAT, Optional.of(tags)),
                new NspiCalls.GetPropsResult(Optional.of(sampleRows().rows().get(1)), Nspi.ERRORS_RETURNED),
                new NspiCalls.GetSpecialTableResult(7, Optional.of(hierarchy()), 0),
                new NspiCalls.QueryColumns(HANDLE, 0, 0x80000000),
                new NspiCalls.ResolveNames(true, HANDLE, 0, STAT, Optional.of(tags), List.of("Jürgen", "/guid=00")),
                new NspiCalls.ResolveNames(false, HANDLE, 0, STAT, Optional.empty(), List.of("max")),
                new NspiCalls.ResolveNamesResult(Optional.of(PropertyTagArray.of(16, 0)), Optional.of(sampleRows()), 0));
        for (Object message : all) {
            assertThat(roundTrip(message)).as(message.getClass().getSimpleName()).isEqualTo(message);
        }
    }

    private static Object roundTrip(Object m) {
        if (m instanceof NspiCalls.Bind b) {
            return NspiCalls.Bind.decode(b.encode());
        } else if (m instanceof NspiCalls.BindResult b) {
            return NspiCalls.BindResult.decode(b.encode());
        } else if (m instanceof NspiCalls.Unbind b) {
            return NspiCalls.Unbind.decode(b.encode());
        } else if (m instanceof NspiCalls.UnbindResult b) {
            return NspiCalls.UnbindResult.decode(b.encode());
        } else if (m instanceof NspiCalls.UpdateStat b) {
            return NspiCalls.UpdateStat.decode(b.encode());
        } else if (m instanceof NspiCalls.UpdateStatResult b) {
            return NspiCalls.UpdateStatResult.decode(b.encode());
        } else if (m instanceof NspiCalls.QueryRows b) {
            return NspiCalls.QueryRows.decode(b.encode());
        } else if (m instanceof NspiCalls.RowsResult b) {
            return NspiCalls.RowsResult.decode(b.encode());
        } else if (m instanceof NspiCalls.SeekEntries b) {
            return NspiCalls.SeekEntries.decode(b.encode());
        } else if (m instanceof NspiCalls.GetMatches b) {
            return NspiCalls.GetMatches.decode(b.encode());
        } else if (m instanceof NspiCalls.GetMatchesResult b) {
            return NspiCalls.GetMatchesResult.decode(b.encode());
        } else if (m instanceof NspiCalls.DnToMid b) {
            return NspiCalls.DnToMid.decode(b.encode());
        } else if (m instanceof NspiCalls.TagsResult b) {
            return NspiCalls.TagsResult.decode(b.encode());
        } else if (m instanceof NspiCalls.GetPropList b) {
            return NspiCalls.GetPropList.decode(b.encode());
        } else if (m instanceof NspiCalls.GetProps b) {
            return NspiCalls.GetProps.decode(b.encode());
        } else if (m instanceof NspiCalls.GetPropsResult b) {
            return NspiCalls.GetPropsResult.decode(b.encode());
        } else if (m instanceof NspiCalls.GetSpecialTableResult b) {
            return NspiCalls.GetSpecialTableResult.decode(b.encode());
        } else if (m instanceof NspiCalls.QueryColumns b) {
            return NspiCalls.QueryColumns.decode(b.encode());
        } else if (m instanceof NspiCalls.ResolveNames b) {
            return NspiCalls.ResolveNames.decode(b.encode(), b.wide());
        } else if (m instanceof NspiCalls.ResolveNamesResult b) {
            return NspiCalls.ResolveNamesResult.decode(b.encode());
        }
        throw new AssertionError(m);
    }

    // ---- bad stub data: exact errors ----

    @Test
    void aTagArrayLargerThanTheIdlAllowsIsRefusedBeforeAllocation() {
        Octets wire = Octets.ofHex("00000200 a2860100 a1860100 00000000 a1860100");
        assertThatThrownBy(() -> NspiCalls.TagsResult.decode(wire)).isInstanceOf(DceProtocolException.class)
                .hasMessage("PropertyTagArray_r aulPropTag max_count: 100002 (expected: <= 100001)");
    }

    @Test
    void aTagArrayWhoseValuesAreMissingIsRefused() {
        Octets wire = Octets.ofHex("00000200 0b000000 0a000000 00000000 0a000000 1f000130");
        assertThatThrownBy(() -> NspiCalls.TagsResult.decode(wire)).isInstanceOf(DceProtocolException.class)
                .hasMessage("PropertyTagArray_r aulPropTag: 10 values, 4 bytes left (expected: 4 per value)");
    }

    @Test
    void aUnionArmThatDisagreesWithTheTagIsRefused() {
        Octets wire = Octets.ofHex("00000200 00000000 01000000 04000200 01000000 1f000130 00000000 03000000 05000000"
                + "00000000");
        assertThatThrownBy(() -> NspiCalls.GetPropsResult.decode(wire)).isInstanceOf(DceProtocolException.class)
                .hasMessage("PROP_VAL_UNION discriminant: 0x3 (expected: 0x001F, the type of tag 0x3001001F)");
    }

    @Test
    void anUnknownPropertyTypeIsRefused() {
        Octets wire = Octets.ofHex("00000200 00000000 01000000 04000200 01000000 99000130 00000000 99000000 05000000"
                + "00000000");
        assertThatThrownBy(() -> NspiCalls.GetPropsResult.decode(wire)).isInstanceOf(DceProtocolException.class)
                .hasMessage("PropertyValue_r ulPropTag: 0x30010099 (expected: a type of PROP_VAL_UNION)");
    }

    @Test
    void restrictionsNestedDeeperThanThirtyTwoLevelsAreRefused() {
        Restriction deep = new Restriction.Exist(1);
        for (int i = 0; i < 40; i++) {
            deep = new Restriction.Not(deep);
        }
        Octets wire = new NspiCalls.GetMatches(HANDLE, 0, STAT, Optional.empty(), 0, Optional.of(deep), Optional.empty(),
                10, Optional.empty()).encode();
        assertThatThrownBy(() -> NspiCalls.GetMatches.decode(wire)).isInstanceOf(DceProtocolException.class)
                .hasMessage("Restriction_r nesting: 33 (expected: <= 32)");
    }

    @Test
    void anExplicitTableLargerThanTheIdlAllowsIsRefused() {
        Octets good = new NspiCalls.QueryRows(HANDLE, 0, STAT, Optional.empty(), 5, Optional.empty()).encode();
        byte[] b = good.toByteArray();
        b[60] = (byte) 0xa1; // dwETableCount = 100001
        b[61] = (byte) 0x86;
        b[62] = 0x01;
        assertThatThrownBy(() -> NspiCalls.QueryRows.decode(Octets.of(b))).isInstanceOf(DceProtocolException.class)
                .hasMessage("dwETableCount: 100001 (expected: <= 100000)");
    }

    @Test
    void aStringArrayWhoseCountDisagreesWithItsSizeIsRefused() {
        Octets wire = Octets.ofHex("00000000" + "11111111222233334444555555555555" + "00000000" + "02000000 03000000");
        assertThatThrownBy(() -> NspiCalls.DnToMid.decode(wire)).isInstanceOf(DceProtocolException.class)
                .hasMessage("StringsArray_r Count: 3 (expected: max_count 2)");
    }

    @Test
    void aTruncatedRequestIsRefused() {
        assertThatThrownBy(() -> NspiCalls.Unbind.decode(Octets.ofHex("00000000 1111"))).isInstanceOf(DceProtocolException.class);
    }

    @Test
    void aValueOfTheWrongJavaTypeIsAProgrammingError() {
        assertThatThrownBy(() -> new PropertyValue(PropTags.DISPLAY_NAME, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value of tag 0x3001001F: Integer (expected: String)");
    }
}
