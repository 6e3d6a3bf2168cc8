package dev.anywhere.rpc.nspi;

import static dev.anywhere.rpc.nspi.NspiCodecTest.HANDLE;
import static dev.anywhere.rpc.nspi.NspiCodecTest.STAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.wire.Octets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The codecs of NspiResortRestriction, NspiCompareMIds, NspiModProps, NspiGetTemplateInfo, NspiModLinkAtt,
 * NspiGetNamesFromIDs and NspiGetIDsFromNames: golden bytes laid out by hand from the IDL, round trips, and the exact
 * errors of bad stub data.
 */
class NspiOtherCallsCodecTest {

    private static final String H = "00000000 11111111 22223333 44445555 55555555";
    private static final String STAT_HEX = "00000000 00000000 12000000 fdffffff 05000000 2f010000 254f0000 09040000 09040000";
    private static final Octets PS_MAPI = Octets.ofHex("2803020000000000c000000000000046");

    @Test
    void compareMidsIsTheStatAndTwoMidsAndAnswersALong() {
        NspiSortCalls.CompareMids q = new NspiSortCalls.CompareMids(HANDLE, 0, STAT, 0x12, 0x34);
        assertThat(q.encode()).isEqualTo(Octets.ofHex(H + "00000000" + STAT_HEX + "12000000 34000000"));
        assertThat(new NspiSortCalls.CompareMidsResult(-1, Nspi.SUCCESS).encode()).isEqualTo(Octets.ofHex("ffffffff 00000000"));
        assertThat(NspiSortCalls.CompareMidsResult.decode(Octets.ofHex("01000000 05400080")))
                .isEqualTo(new NspiSortCalls.CompareMidsResult(1, Nspi.GENERAL_FAILURE));
    }

    @Test
    void resortRestrictionCarriesInMidsInlineAndOutMidsAsAUniquePointerBothWays() {
        NspiSortCalls.ResortRestriction q = new NspiSortCalls.ResortRestriction(HANDLE, 0, STAT, PropertyTagArray.of(0x10, 0x11),
                Optional.empty());
        assertThat(q.encode()).isEqualTo(Octets.ofHex(H + "00000000" + STAT_HEX
                + "03000000 02000000 00000000 02000000 10000000 11000000" // pInMIds: a ref pointer, inline
                + "00000000")); // ppOutMIds: NULL
        NspiSortCalls.ResortRestrictionResult r = new NspiSortCalls.ResortRestrictionResult(STAT,
                Optional.of(PropertyTagArray.of(0x11, 0x10)), Nspi.SUCCESS);
        assertThat(r.encode()).isEqualTo(Octets.ofHex(STAT_HEX
                + "00000200 03000000 02000000 00000000 02000000 11000000 10000000 00000000"));
    }

    @Test
    void namesResultIsAPropertyNameSetWhoseGuidsFollowTheStructures() {
        NspiNameCalls.NamesResult r = new NspiNameCalls.NamesResult(Optional.empty(), Optional.of(List.of(
                new NspiCalls.PropertyName(Optional.of(PS_MAPI), 0, 0x3001),
                new NspiCalls.PropertyName(Optional.empty(), 0, 0))), Nspi.SUCCESS);
        assertThat(r.encode()).isEqualTo(Octets.ofHex("00000000" // ppReturnedPropTags: NULL
                + "00000200 02000000 02000000" // ppNames, max_count, cNames
                + "04000200 00000000 01300000" + "00000000 00000000 00000000" // the two PropertyName_r
                + "2803020000000000c000000000000046" // the first one's lpguid
                + "00000000"));
    }

    @Test
    void getIdsFromNamesIsAnArrayOfPointersToNamesEachFollowedByItsGuid() {
        NspiNameCalls.GetIdsFromNames q = new NspiNameCalls.GetIdsFromNames(HANDLE, 0, NspiNameCalls.GetIdsFromNames.VERIFY_NAMES,
                List.of(new NspiCalls.PropertyName(Optional.of(PS_MAPI), 0, 0x3001),
                        new NspiCalls.PropertyName(Optional.of(PS_MAPI), 0, 0x8009)));
        Octets idl = Octets.ofHex(H + "00000000 02000000" + "02000000" // Reserved, dwFlags, cPropNames
                + "02000000 00000200 04000200" // pNames: max_count and the two pointers
                + "08000200 00000000 01300000 2803020000000000c000000000000046" // first name, then its GUID
                + "0c000200 00000000 09800000 2803020000000000c000000000000046");
        assertThat(q.encode()).isEqualTo(idl);
        assertThat(NspiNameCalls.GetIdsFromNames.decode(idl)).isEqualTo(q);
        // impacket 0.10's form: a conformant varying array of the structures themselves
        Octets impacket = Octets.ofHex(H + "00000000 00000000 01000000" + "01000000 00000000 01000000"
                + "031b0000 00000000 01300000 2803020000000000c000000000000046");
        assertThat(NspiNameCalls.GetIdsFromNames.decode(impacket).names())
                .containsExactly(new NspiCalls.PropertyName(Optional.of(PS_MAPI), 0, 0x3001));
    }

    @Test
    void modLinkAttCarriesABinaryArrayWhoseBytesFollowTheArray() {
        NspiModifyCalls.ModLinkAtt q = new NspiModifyCalls.ModLinkAtt(HANDLE, NspiModifyCalls.ModLinkAtt.F_DELETE,
                PropTags.EMS_AB_MEMBER, 0x20, List.of(Octets.ofHex("616263"), Octets.EMPTY));
        assertThat(q.encode()).isEqualTo(Octets.ofHex(H + "01000000 0d000980 20000000"
                + "02000000 00000200" // cValues, lpbin
                + "02000000 03000000 04000200 00000000 08000200" // max_count, the two Binary_r
                + "03000000 616263 00" + "00000000")); // their bytes, each conformant
        assertThat(new NspiModifyCalls.StatusResult(Nspi.ACCESS_DENIED).encode()).isEqualTo(Octets.ofHex("05000780"));
    }

    @Test
    void getTemplateInfoCarriesTheDnAsAUniqueString() {
        NspiCalls.GetTemplateInfo q = new NspiCalls.GetTemplateInfo(HANDLE, NspiCalls.GetTemplateInfo.TI_TEMPLATE, 0,
                Optional.of("/o=x"), 1252, 0x409);
        assertThat(q.encode()).isEqualTo(Octets.ofHex(H + "01000000 00000000"
                + "00000200 05000000 00000000 05000000 2f6f3d7800 000000" // pDN: referent, "/o=x" and NUL, padding
                + "e4040000 09040000"));
        assertThat(new NspiCalls.TemplateInfoResult(Optional.empty(), Nspi.INVALID_LOCALE).encode())
                .isEqualTo(Octets.ofHex("00000000 1f010480"));
    }

    @Test
    void everyRequestAndResultRoundTrips() {
        PropertyTagArray tags = PropertyTagArray.of(PropTags.DISPLAY_NAME, PropTags.EMS_AB_OBJECT_GUID);
        PropertyRow row = NspiCodecTest.sampleRows().rows().get(0);
        roundTrips(new NspiSortCalls.CompareMids(HANDLE, 7, STAT, 16, 17), NspiSortCalls.CompareMids::encode,
                NspiSortCalls.CompareMids::decode);
        roundTrips(new NspiSortCalls.ResortRestriction(HANDLE, 0, STAT, PropertyTagArray.of(), Optional.of(tags)),
                NspiSortCalls.ResortRestriction::encode, NspiSortCalls.ResortRestriction::decode);
        roundTrips(new NspiSortCalls.ResortRestrictionResult(STAT, Optional.empty(), Nspi.GENERAL_FAILURE),
                NspiSortCalls.ResortRestrictionResult::encode, NspiSortCalls.ResortRestrictionResult::decode);
        roundTrips(new NspiModifyCalls.ModProps(HANDLE, 0, STAT, Optional.of(tags), row), NspiModifyCalls.ModProps::encode,
                NspiModifyCalls.ModProps::decode);
        roundTrips(new NspiModifyCalls.ModProps(HANDLE, 0, STAT, Optional.empty(), new PropertyRow(List.of())),
                NspiModifyCalls.ModProps::encode, NspiModifyCalls.ModProps::decode);
        roundTrips(new NspiModifyCalls.ModLinkAtt(HANDLE, 0, PropTags.EMS_AB_MEMBER, 16, List.of()),
                NspiModifyCalls.ModLinkAtt::encode, NspiModifyCalls.ModLinkAtt::decode);
        roundTrips(new NspiCalls.GetTemplateInfo(HANDLE, 5, 1, Optional.empty(), Nspi.CP_TELETEX, 0x407),
                NspiCalls.GetTemplateInfo::encode, NspiCalls.GetTemplateInfo::decode);
        roundTrips(new NspiCalls.TemplateInfoResult(Optional.of(row), Nspi.SUCCESS), NspiCalls.TemplateInfoResult::encode,
                NspiCalls.TemplateInfoResult::decode);
        roundTrips(new NspiNameCalls.GetNamesFromIds(HANDLE, 0, Optional.of(PS_MAPI), Optional.of(tags)),
                NspiNameCalls.GetNamesFromIds::encode, NspiNameCalls.GetNamesFromIds::decode);
        roundTrips(new NspiNameCalls.GetNamesFromIds(HANDLE, 0, Optional.empty(), Optional.empty()),
                NspiNameCalls.GetNamesFromIds::encode, NspiNameCalls.GetNamesFromIds::decode);
        roundTrips(new NspiNameCalls.NamesResult(Optional.of(tags), Optional.of(List.of()), Nspi.SUCCESS),
                NspiNameCalls.NamesResult::encode, NspiNameCalls.NamesResult::decode);
        roundTrips(new NspiNameCalls.GetIdsFromNames(HANDLE, 0, 0, List.of()), NspiNameCalls.GetIdsFromNames::encode,
                NspiNameCalls.GetIdsFromNames::decode);
    }

    private static <T> void roundTrips(T message, Function<T, Octets> encode, Function<Octets, T> decode) {
        assertThat(decode.apply(encode.apply(message))).as(message.getClass().getSimpleName()).isEqualTo(message);
    }

    // ---- bad stub data: exact errors ----

    @Test
    void moreNamesThanTheIdlAllowsAreRefusedBeforeAllocation() {
        assertThatThrownBy(() -> NspiNameCalls.GetIdsFromNames.decode(Octets.ofHex(H + "00000000 00000000 a1860100"
                + "a1860100"))).isInstanceOf(DceProtocolException.class)
                .hasMessage("cPropNames: 100001 (expected: <= 100000)");
        assertThatThrownBy(() -> NspiNameCalls.GetIdsFromNames.decode(Octets.ofHex(H + "00000000 00000000 02000000"
                + "03000000"))).isInstanceOf(DceProtocolException.class)
                .hasMessage("pNames max_count: 3 (expected: cPropNames 2)");
        assertThatThrownBy(() -> NspiNameCalls.GetIdsFromNames.decode(Octets.ofHex(H + "00000000 00000000 a0860100"
                + "a0860100 00000200"))).isInstanceOf(DceProtocolException.class)
                .hasMessage("pNames: 100000 pointers, 4 bytes left (expected: 4 per pointer)");
    }

    @Test
    void aNameSetWhoseCountDisagreesWithItsSizeIsRefused() {
        assertThatThrownBy(() -> NspiNameCalls.NamesResult.decode(Octets.ofHex("00000000 00000200 02000000 01000000")))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("PropertyNameSet_r cNames: 1 (expected: max_count 2)");
        assertThatThrownBy(() -> NspiNameCalls.NamesResult.decode(Octets.ofHex("00000000 00000200 a0860100 a0860100")))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("PropertyNameSet_r aNames: 100000 names, 0 bytes left (expected: 12 per name)");
    }

    @Test
    void aBinaryArrayWhoseCountsDisagreeIsRefused() {
        assertThatThrownBy(() -> NspiModifyCalls.ModLinkAtt.decode(Octets.ofHex(H + "00000000 0d000980 20000000"
                + "02000000 00000200 03000000"))).isInstanceOf(DceProtocolException.class)
                .hasMessage("lpEntryIds lpbin max_count: 3 (expected: cValues 2)");
        assertThatThrownBy(() -> NspiModifyCalls.ModLinkAtt.decode(Octets.ofHex(H + "00000000 0d000980 20000000"
                + "a0860100 00000200 a0860100"))).isInstanceOf(DceProtocolException.class)
                .hasMessage("lpEntryIds lpbin: 100000 values, 0 bytes left (expected: 8 per Binary_r)");
    }

    @Test
    void aTemplateDnWithoutItsNulAndATruncatedCallAreRefused() {
        assertThatThrownBy(() -> NspiCalls.GetTemplateInfo.decode(Octets.ofHex(H + "01000000 00000000"
                + "00000200 02000000 00000000 02000000 2f6f 0000 e4040000 09040000")))
                .isInstanceOf(DceProtocolException.class)
                .hasMessage("pDN: no terminating NUL (expected: last of 2 bytes is 0)");
        assertThatThrownBy(() -> NspiSortCalls.CompareMids.decode(Octets.ofHex(H + "00000000" + STAT_HEX + "12000000")))
                .isInstanceOf(DceProtocolException.class).hasMessage("truncated MId2: 0 bytes (expected: 4)");
    }
}
