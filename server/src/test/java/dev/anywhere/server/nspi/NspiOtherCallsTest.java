package dev.anywhere.server.nspi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.directory.addressbook.AddressBook;
import dev.anywhere.directory.addressbook.AddressList;
import dev.anywhere.directory.addressbook.Recipient;
import dev.anywhere.directory.addressbook.Sid;
import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.nspi.Nspi;
import dev.anywhere.rpc.nspi.NspiCalls;
import dev.anywhere.rpc.nspi.NspiCalls.PropertyName;
import dev.anywhere.rpc.nspi.NspiModifyCalls;
import dev.anywhere.rpc.nspi.NspiNameCalls;
import dev.anywhere.rpc.nspi.NspiSortCalls;
import dev.anywhere.rpc.nspi.PropTags;
import dev.anywhere.rpc.nspi.PropertyRow;
import dev.anywhere.rpc.nspi.PropertyTagArray;
import dev.anywhere.rpc.nspi.PropertyValue;
import dev.anywhere.rpc.nspi.Restriction;
import dev.anywhere.rpc.nspi.Stat;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.AssociationScope;
import dev.anywhere.server.endpoints.CallSecurity;
import dev.anywhere.server.endpoints.RpcCall;
import dev.anywhere.server.endpoints.RpcFaultException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * NspiResortRestriction, NspiCompareMIds, NspiModProps, NspiGetTemplateInfo, NspiModLinkAtt, NspiGetNamesFromIDs,
 * NspiGetIDsFromNames, and NspiGetMatches on link properties (a distribution list's members, the lists a recipient is
 * a member of), each against the return values its section of the specification names.
 */
class NspiOtherCallsTest {

    private static final Octets PS_MAPI = Octets.ofHex("2803020000000000c000000000000046");
    private static final Octets PS_PUBLIC_STRINGS = Octets.ofHex("2903020000000000c000000000000046");
    private static final InetSocketAddress HERE = new InetSocketAddress("127.0.0.1", 6004);
    /** The distribution lists: Sales Team (Anna Schmidt, Franky Weber) and All Staff (Sales Team, Hanna Heim). */
    private static final int SALES_TEAM = 0x18;
    private static final int ALL_STAFF = 0x19;

    private final AddressBook book = book();
    private final NspiService service = new NspiService(() -> book, UUID.fromString("0a0b0c0d-0000-4000-8000-000000000001"));
    private final AssociationScope association = new AssociationScope();
    private final ContextHandle h = bind();

    /** NspiServiceTest's seven visible recipients, the hidden one, the Sales list, and two distribution lists. */
    static AddressBook book() {
        AddressBook base = NspiServiceTest.book();
        List<Recipient> all = new ArrayList<>(base.recipients());
        all.add(distributionList(SALES_TEAM, "sales-team", "Sales Team", List.of(0x13, 0x10)));
        all.add(distributionList(ALL_STAFF, "all-staff", "All Staff", List.of(0x11, SALES_TEAM)));
        all.sort(AddressBook.DISPLAY_ORDER);
        List<Integer> gal = all.stream().filter(r -> !r.hidden()).map(Recipient::mid).toList();
        List<AddressList> lists = new ArrayList<>(base.addressLists());
        AddressList old = lists.remove(0);
        lists.add(0, new AddressList(old.mid(), old.dn(), old.objectGuid(), old.displayName(), true, gal));
        return new AddressBook(all, lists, base.servers(), Instant.now());
    }

    private static Recipient distributionList(int mid, String alias, String display, List<Integer> members) {
        return new Recipient(mid, "CN=" + display + ",CN=Users,DC=frankysweb,DC=local",
                UUID.nameUUIDFromBytes(alias.getBytes()), display, alias, alias + "@frankysweb.org",
                List.of("SMTP:" + alias + "@frankysweb.org"), NspiServiceTest.ORG + "/cn=Recipients/cn=" + alias,
                Optional.of(Sid.parse("S-1-5-21-1-2-3-" + (1300 + mid))), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), true, members);
    }

    private Octets call(int opnum, Octets stub) {
        return service.invoke(new RpcCall(Nspi.INTERFACE, opnum, stub, Optional.empty(), 1, RpcCall.Transport.NCACN_HTTP_V2,
                HERE, HERE, new CallSecurity(CallSecurity.Level.PRIVACY, "franky", "FRANKYSWEB"), association));
    }

    private ContextHandle bind() {
        return NspiCalls.BindResult.decode(call(0, new NspiCalls.Bind(0, Stat.start(Nspi.CP_TELETEX, 0x409),
                Optional.empty()).encode())).handle();
    }

    private static Stat stat(int sortType, int container, int currentRec, int codePage) {
        return new Stat(sortType, container, currentRec, 7, 0, 0, codePage, 0x409, 0x409);
    }

    // ---- NspiCompareMIds ([MS-OXNSPI] 3.1.4.1.12) ----

    private NspiSortCalls.CompareMidsResult compare(Stat stat, int mid1, int mid2) {
        return NspiSortCalls.CompareMidsResult.decode(call(10, new NspiSortCalls.CompareMids(h, 0, stat, mid1, mid2).encode()));
    }

    @Test
    void compareMidsSaysWhichComesFirstInTheContainer() {
        Stat gal = stat(0, 0, 0, Nspi.CP_TELETEX);
        assertThat(compare(gal, 0x10, 0x13)).isEqualTo(new NspiSortCalls.CompareMidsResult(1, Nspi.SUCCESS)); // Franky after Anna
        assertThat(compare(gal, 0x13, 0x16).result()).isNegative(); // Anna before Zoe
        assertThat(compare(gal, 0x11, 0x11)).isEqualTo(new NspiSortCalls.CompareMidsResult(0, Nspi.SUCCESS));
        assertThat(compare(stat(0, 0x20, 0, 0), 0x10, 0x12).returnCode()).isEqualTo(Nspi.SUCCESS); // both in Sales
        assertThat(compare(stat(0, 0x20, 0, 0), 0x10, 0x11).returnCode()).isEqualTo(Nspi.GENERAL_FAILURE); // hanna is IT
        assertThat(compare(gal, 0x10, 0x17).returnCode()).isEqualTo(Nspi.GENERAL_FAILURE); // hidden: in no table
        assertThat(compare(gal, 0x7FFF, 0x10).returnCode()).isEqualTo(Nspi.GENERAL_FAILURE);
        assertThat(compare(stat(0, 0x7777, 0, 0), 0x10, 0x11).returnCode()).isEqualTo(Nspi.INVALID_BOOKMARK);
        assertThat(compare(stat(0, 0, 0, Nspi.CP_WINUNICODE), 0x10, 0x11).returnCode()).isEqualTo(Nspi.NOT_SUPPORTED);
    }

    // ---- NspiResortRestriction ([MS-OXNSPI] 3.1.4.1.11) ----

    private NspiSortCalls.ResortRestrictionResult resort(Stat stat, Integer... mids) {
        return NspiSortCalls.ResortRestrictionResult.decode(call(6, new NspiSortCalls.ResortRestriction(h, 0, stat,
                PropertyTagArray.of(mids), Optional.empty()).encode()));
    }

    @Test
    void resortRestrictionSortsByDisplayNameDropsWhatIsNotThereAndPlacesCurrentRec() {
        Stat in = new Stat(0, 0x20, 0x10, 7, 9, 99, Nspi.CP_TELETEX, 0x409, 0x407);
        NspiSortCalls.ResortRestrictionResult r = resort(in, 0x16, 0x7FFF, 0x10, 0x17, 0x13);
        assertThat(r.returnCode()).isEqualTo(Nspi.SUCCESS);
        assertThat(r.mids().orElseThrow().values()).containsExactly(0x13, 0x10, 0x16); // Anna, Franky, Zoe
        assertThat(r.stat()).isEqualTo(new Stat(0, 0x20, 0x10, 7, 1, 3, Nspi.CP_TELETEX, 0x409, 0x407));

        NspiSortCalls.ResortRestrictionResult elsewhere = resort(in.withCurrentRec(0x11), 0x16, 0x13);
        assertThat(elsewhere.stat()).isEqualTo(new Stat(0, 0x20, Stat.MID_BEGINNING_OF_TABLE, 7, 0, 2, Nspi.CP_TELETEX,
                0x409, 0x407));

        Stat phonetic = new Stat(Nspi.SORT_TYPE_PHONETIC_DISPLAY_NAME, 0, 0x10, 0, 0, 0, 0, 0, 0);
        assertThat(resort(phonetic, 0x10)).isEqualTo(new NspiSortCalls.ResortRestrictionResult(phonetic, Optional.empty(),
                Nspi.GENERAL_FAILURE));
        assertThat(resort(stat(0, 0, 0, Nspi.CP_WINUNICODE), 0x10).returnCode()).isEqualTo(Nspi.NOT_SUPPORTED);
    }

    // ---- NspiModProps, NspiModLinkAtt ([MS-OXNSPI] 3.1.4.1.14, 3.1.4.1.15): read-only ----

    private int modProps(Stat stat, Optional<PropertyTagArray> tags) {
        PropertyRow certificate = new PropertyRow(List.of(new PropertyValue(0x3A701102, List.of(Octets.ofHex("3082")))));
        return NspiModifyCalls.StatusResult.decode(call(11, new NspiModifyCalls.ModProps(h, 0, stat, tags, certificate)
                .encode())).returnCode();
    }

    @Test
    void modPropsRefusesEveryChangeWithTheSpecsAnswers() {
        Optional<PropertyTagArray> tags = Optional.of(PropertyTagArray.of(0x3A701102));
        assertThat(modProps(stat(0, 0, 0x10, Nspi.CP_TELETEX), tags)).isEqualTo(Nspi.ACCESS_DENIED); // the caller's own
        assertThat(modProps(stat(0, 0, 0x17, 0), tags)).isEqualTo(Nspi.ACCESS_DENIED);
        assertThat(modProps(stat(0, 0, 0x10, 0), Optional.empty())).isEqualTo(Nspi.INVALID_PARAMETER);
        assertThat(modProps(stat(0, 0, 0x7FFF, 0), tags)).isEqualTo(Nspi.INVALID_PARAMETER);
        assertThat(modProps(stat(0, 0, 0x20, 0), tags)).isEqualTo(Nspi.INVALID_OBJECT); // an address list
        assertThat(modProps(stat(0, 0, 0x10, Nspi.CP_WINUNICODE), tags)).isEqualTo(Nspi.NOT_SUPPORTED);
        assertThat(book.byMid(0x10).orElseThrow()).isEqualTo(NspiServiceTest.book().byMid(0x10).orElseThrow());
    }

    private int modLinkAtt(int tag, int mid) {
        return NspiModifyCalls.StatusResult.decode(call(14, new NspiModifyCalls.ModLinkAtt(h, 0, tag, mid,
                List.of(Octets.ofHex("00000000"))).encode())).returnCode();
    }

    @Test
    void modLinkAttRefusesEveryChangeWithTheSpecsAnswers() {
        assertThat(modLinkAtt(PropTags.EMS_AB_MEMBER, SALES_TEAM)).isEqualTo(Nspi.ACCESS_DENIED);
        assertThat(modLinkAtt(PropTags.EMS_AB_PUBLIC_DELEGATES, 0x10)).isEqualTo(Nspi.ACCESS_DENIED);
        assertThat(modLinkAtt(PropTags.EMS_AB_MEMBER, 0x10)).isEqualTo(Nspi.ACCESS_DENIED); // not a list: display type
        assertThat(modLinkAtt(0x7ABC000D, SALES_TEAM)).isEqualTo(Nspi.NOT_FOUND);
        assertThat(modLinkAtt(PropTags.EMS_AB_MEMBER, 0x7FFF)).isEqualTo(Nspi.INVALID_PARAMETER);
        assertThat(book.byMid(SALES_TEAM).orElseThrow().members()).containsExactly(0x13, 0x10);
    }

    // ---- NspiGetTemplateInfo ([MS-OXNSPI] 3.1.4.1.18) ----

    private NspiCalls.TemplateInfoResult template(Optional<String> dn, int codePage) {
        return NspiCalls.TemplateInfoResult.decode(call(13, new NspiCalls.GetTemplateInfo(h,
                NspiCalls.GetTemplateInfo.TI_TEMPLATE, Nspi.DT_MAILUSER, dn, codePage, 0x409).encode()));
    }

    @Test
    void withoutTemplatesGetTemplateInfoAnswersInvalidLocaleOrInvalidCodepage() {
        assertThat(template(Optional.empty(), 1252)).isEqualTo(new NspiCalls.TemplateInfoResult(Optional.empty(),
                Nspi.INVALID_LOCALE));
        assertThat(template(Optional.of("/o=First Organization/cn=Address Templates/cn=409/cn=0"), Nspi.CP_TELETEX)
                .returnCode()).isEqualTo(Nspi.INVALID_LOCALE);
        assertThat(template(Optional.empty(), Nspi.CP_WINUNICODE).returnCode()).isEqualTo(Nspi.INVALID_CODEPAGE);
        assertThat(template(Optional.empty(), 437).returnCode()).isEqualTo(Nspi.INVALID_CODEPAGE);
    }

    // ---- NspiGetNamesFromIDs, NspiGetIDsFromNames ([MS-NSPI] 3.1.4.16, 3.1.4.17) ----

    private NspiNameCalls.NamesResult names(Optional<Octets> guid, Optional<PropertyTagArray> tags) {
        return NspiNameCalls.NamesResult.decode(call(17, new NspiNameCalls.GetNamesFromIds(h, 0, guid, tags).encode()));
    }

    private NspiCalls.TagsResult ids(int flags, PropertyName... names) {
        return NspiCalls.TagsResult.decode(call(18, new NspiNameCalls.GetIdsFromNames(h, 0, flags, List.of(names)).encode()));
    }

    @Test
    void everyPropertyIsNamedInPsMapiByItsIdAndNothingElseHasAName() {
        PropertyName displayName = new PropertyName(Optional.of(PS_MAPI), 0, 0x3001);
        PropertyName member = new PropertyName(Optional.of(PS_MAPI), 0, 0x8009);
        PropertyName none = new PropertyName(Optional.empty(), 0, 0);
        Optional<PropertyTagArray> tags = Optional.of(PropertyTagArray.of(PropTags.DISPLAY_NAME, PropTags.EMS_AB_MEMBER,
                0x9999001F));
        assertThat(names(Optional.of(PS_MAPI), tags)).isEqualTo(new NspiNameCalls.NamesResult(Optional.empty(),
                Optional.of(List.of(displayName, member, none)), Nspi.SUCCESS));
        assertThat(names(Optional.empty(), tags).names().orElseThrow()).containsExactly(displayName, member, none);
        assertThat(names(Optional.of(PS_PUBLIC_STRINGS), tags).names().orElseThrow()).containsExactly(none, none, none);
        assertThat(names(Optional.of(PS_MAPI), Optional.empty())).isEqualTo(new NspiNameCalls.NamesResult(Optional.empty(),
                Optional.empty(), Nspi.NOT_SUPPORTED));
        assertThat(names(Optional.empty(), Optional.empty())).isEqualTo(new NspiNameCalls.NamesResult(
                Optional.of(PropertyTagArray.of()), Optional.of(List.of()), Nspi.SUCCESS));

        assertThat(ids(0, displayName, member)).isEqualTo(new NspiCalls.TagsResult(
                Optional.of(PropertyTagArray.of(0x30010000, 0x80090000)), Nspi.SUCCESS));
        PropertyName publicString = new PropertyName(Optional.of(PS_PUBLIC_STRINGS), 0, 0x8001);
        PropertyName unknownAbId = new PropertyName(Optional.of(PS_MAPI), 0, 0x9999);
        assertThat(ids(0, displayName, publicString, none, unknownAbId)).isEqualTo(new NspiCalls.TagsResult(
                Optional.of(PropertyTagArray.of(0x30010000, 0xA, 0xA, 0xA)), Nspi.ERRORS_RETURNED));
        assertThat(ids(NspiNameCalls.GetIdsFromNames.VERIFY_NAMES, displayName, publicString)).isEqualTo(
                new NspiCalls.TagsResult(Optional.empty(), Nspi.ACCESS_DENIED));
    }

    // ---- NspiGetMatches on link properties ([MS-OXNSPI] 3.1.4.1.10) ----

    private NspiCalls.GetMatchesResult links(Stat stat, Optional<PropertyName> name, int requested) {
        return NspiCalls.GetMatchesResult.decode(call(5, new NspiCalls.GetMatches(h, 0, stat, Optional.empty(), 0,
                Optional.empty(), name, requested, Optional.of(PropertyTagArray.of(PropTags.INSTANCE_KEY,
                        PropTags.DISPLAY_TYPE, PropTags.ENTRYID))).encode()));
    }

    @Test
    void theMembersOfADistributionListAreItsMemberPropertyOpenedAsATable() {
        Stat members = stat(Nspi.SORT_TYPE_DISPLAY_NAME_RO, PropTags.EMS_AB_MEMBER, SALES_TEAM, Nspi.CP_TELETEX);
        NspiCalls.GetMatchesResult r = links(members, Optional.empty(), 10);
        assertThat(r.returnCode()).isEqualTo(Nspi.SUCCESS);
        assertThat(r.mids().orElseThrow().values()).containsExactly(0x13, 0x10); // Anna Schmidt, Franky Weber
        assertThat(r.stat()).isEqualTo(members.withContainer(SALES_TEAM));
        List<PropertyRow> rows = r.rows().orElseThrow().rows();
        assertThat(rows.get(1).values().get(1)).isEqualTo(PropertyValue.int32(PropTags.DISPLAY_TYPE, Nspi.DT_MAILUSER));
        Octets entryId = (Octets) rows.get(1).values().get(2).value();
        assertThat(entryId.get(0) & 0xFF).isEqualTo(0x87); // rows as QueryRows with fEphID
        assertThat(entryId.slice(28, 32)).isEqualTo(Octets.ofHex("10000000"));

        // by lpPropName (PS_MAPI names PR_EMS_AB_MEMBER by its ID), and the other direction of the link
        assertThat(links(stat(Nspi.SORT_TYPE_DISPLAY_NAME_RO, 0, ALL_STAFF, 0),
                Optional.of(new PropertyName(Optional.of(PS_MAPI), 0, 0x8009)), 10).mids().orElseThrow().values())
                .containsExactly(0x11, SALES_TEAM); // Hanna Heim, Sales Team
        assertThat(links(stat(Nspi.SORT_TYPE_DISPLAY_NAME_RO, PropTags.EMS_AB_IS_MEMBER_OF_DL, 0x10, 0), Optional.empty(), 10)
                .mids().orElseThrow().values()).containsExactly(SALES_TEAM);
        assertThat(links(stat(Nspi.SORT_TYPE_DISPLAY_NAME_RO, PropTags.EMS_AB_IS_MEMBER_OF_DL, SALES_TEAM, 0),
                Optional.empty(), 10).mids().orElseThrow().values()).containsExactly(ALL_STAFF);
        assertThat(links(stat(Nspi.SORT_TYPE_DISPLAY_NAME_RO, PropTags.EMS_AB_MEMBER, 0x10, 0), Optional.empty(), 10)
                .mids().orElseThrow().values()).isEmpty(); // a mailbox has no members
    }

    @Test
    void linkTablesGetTheSpecsErrors() {
        int ro = Nspi.SORT_TYPE_DISPLAY_NAME_RO;
        NspiCalls.GetMatchesResult tooBig = links(stat(ro, PropTags.EMS_AB_MEMBER, SALES_TEAM, 0), Optional.empty(), 1);
        assertThat(tooBig).isEqualTo(new NspiCalls.GetMatchesResult(stat(ro, PropTags.EMS_AB_MEMBER, SALES_TEAM, 0),
                Optional.empty(), Optional.empty(), Nspi.TABLE_TOO_BIG));
        assertThat(links(stat(Nspi.SORT_TYPE_DISPLAY_NAME_W, PropTags.EMS_AB_MEMBER, SALES_TEAM, 0), Optional.empty(), 10)
                .returnCode()).isEqualTo(Nspi.NOT_SUPPORTED); // opened for changing: read-only here
        assertThat(links(stat(ro, PropTags.DISPLAY_NAME, SALES_TEAM, 0), Optional.empty(), 10).returnCode())
                .isEqualTo(Nspi.NOT_SUPPORTED); // not a link
        assertThat(links(stat(ro, PropTags.EMS_AB_MEMBER, 0x7FFF, 0), Optional.empty(), 10).returnCode())
                .isEqualTo(Nspi.GENERAL_FAILURE);
        assertThat(links(stat(0, PropTags.EMS_AB_MEMBER, SALES_TEAM, 0), Optional.empty(), 10).returnCode())
                .isEqualTo(Nspi.INVALID_BOOKMARK); // SortTypeDisplayName: ContainerID must be a container
        assertThat(links(stat(Nspi.SORT_TYPE_PHONETIC_DISPLAY_NAME, 0, 0, 0), Optional.empty(), 10).returnCode())
                .isEqualTo(Nspi.GENERAL_FAILURE);
        NspiCalls.GetMatchesResult reserved = NspiCalls.GetMatchesResult.decode(call(5, new NspiCalls.GetMatches(h, 0,
                stat(0, 0, 0, 0), Optional.of(PropertyTagArray.of(1)), 0, Optional.of(new Restriction.Exist(
                        PropTags.DISPLAY_NAME)), Optional.empty(), 10, Optional.empty()).encode()));
        assertThat(reserved.returnCode()).isEqualTo(NspiService.TOO_COMPLEX);
    }

    @Test
    void aDistributionListIsADistListInItsRows() {
        NspiCalls.GetPropsResult props = NspiCalls.GetPropsResult.decode(call(9, new NspiCalls.GetProps(h, 0,
                stat(0, 0, SALES_TEAM, 0), Optional.of(PropertyTagArray.of(PropTags.OBJECT_TYPE, PropTags.DISPLAY_TYPE,
                        PropTags.EMS_AB_DL_MEMBER_COUNT, PropTags.ENTRYID))).encode()));
        assertThat(props.returnCode()).isEqualTo(Nspi.SUCCESS);
        List<PropertyValue> v = props.row().orElseThrow().values();
        assertThat(v.subList(0, 3)).containsExactly(PropertyValue.int32(PropTags.OBJECT_TYPE, 8),
                PropertyValue.int32(PropTags.DISPLAY_TYPE, Nspi.DT_DISTLIST),
                PropertyValue.int32(PropTags.EMS_AB_DL_MEMBER_COUNT, 2));
        assertThat(((Octets) v.get(3).value()).slice(24, 28)).isEqualTo(Octets.ofHex("01000000")); // DT_DISTLIST
    }

    @Test
    void theNewCallsNeedThisAssociationsHandle() {
        ContextHandle other = new ContextHandle(0, UUID.randomUUID());
        assertThatThrownBy(() -> call(10, new NspiSortCalls.CompareMids(other, 0, stat(0, 0, 0, 0), 1, 2).encode()))
                .isInstanceOf(RpcFaultException.class)
                .extracting(x -> ((RpcFaultException) x).status()).isEqualTo(DceStatus.NCA_S_FAULT_CONTEXT_MISMATCH);
    }
}
