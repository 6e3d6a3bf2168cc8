package dev.anywhere.server.nspi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.directory.addressbook.AddressBook;
import dev.anywhere.directory.addressbook.AddressList;
import dev.anywhere.directory.addressbook.Recipient;
import dev.anywhere.directory.addressbook.Sid;
import dev.anywhere.directory.model.ExchangeServer;
import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceProtocolException;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.nspi.Nspi;
import dev.anywhere.rpc.nspi.NspiCalls;
import dev.anywhere.rpc.nspi.PropTags;
import dev.anywhere.rpc.nspi.PropertyRow;
import dev.anywhere.rpc.nspi.PropertyTagArray;
import dev.anywhere.rpc.nspi.PropertyValue;
import dev.anywhere.rpc.nspi.Restriction;
import dev.anywhere.rpc.nspi.Stat;
import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.AssociationScope;
import dev.anywhere.server.endpoints.CallSecurity;
import dev.anywhere.server.endpoints.RpcCall;
import dev.anywhere.server.endpoints.RpcFaultException;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NspiServiceTest {

    static final String ORG = "/o=First Organization/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)";
    private static final UUID SERVER_GUID = UUID.fromString("0a0b0c0d-0000-4000-8000-000000000001");
    private static final InetSocketAddress HERE = new InetSocketAddress("127.0.0.1", 6004);
    private static final CallSecurity FRANKY = new CallSecurity(CallSecurity.Level.PRIVACY, "franky", "FRANKYSWEB");

    private final AddressBook book = book();
    private final NspiService service = new NspiService(() -> book, SERVER_GUID);
    private final AssociationScope association = new AssociationScope();

    static Recipient recipient(int mid, String alias, String display, boolean hidden, Optional<String> title) {
        return new Recipient(mid, "CN=" + display + ",CN=Users,DC=frankysweb,DC=local",
                UUID.nameUUIDFromBytes(alias.getBytes()), display, alias, alias + "@frankysweb.org",
                List.of("SMTP:" + alias + "@frankysweb.org"), ORG + "/cn=Recipients/cn=" + alias,
                Optional.of(Sid.parse("S-1-5-21-1-2-3-" + (1000 + mid))), Optional.of(UUID.nameUUIDFromBytes(display.getBytes())),
                Optional.of("EX1"), Optional.of(ORG + "/cn=Configuration/cn=Servers/cn=EX1"), Optional.of("CN=DB"),
                Optional.of(ORG + "/cn=Configuration/cn=Servers/cn=EX1/cn=Microsoft Private MDB"), Optional.empty(), hidden,
                title, Optional.of(mid % 2 == 0 ? "Sales" : "IT"), Optional.of(Instant.parse("2026-01-02T03:04:05Z")),
                Optional.empty(), false, List.of());
    }

    /** Seven visible recipients (out of display-name order on purpose) and a hidden one. */
    static AddressBook book() {
        List<Recipient> all = new ArrayList<>(List.of(
                recipient(0x10, "franky", "Franky Weber", false, Optional.of("Admin")),
                recipient(0x11, "hanna", "Hanna Heim", false, Optional.empty()),
                recipient(0x12, "j.mueller", "Jürgen Müller", false, Optional.empty()),
                recipient(0x13, "a.schmidt", "Anna Schmidt", false, Optional.empty()),
                recipient(0x14, "m.meyer", "Max Meyer", false, Optional.empty()),
                recipient(0x15, "m.mueller", "Marie Müller", false, Optional.empty()),
                recipient(0x16, "z.wolf", "Zoe Wolf", false, Optional.empty()),
                recipient(0x17, "DiscoverySearchMailbox", "Discovery Search Mailbox", true, Optional.empty())));
        all.sort(AddressBook.DISPLAY_ORDER);
        List<Integer> gal = all.stream().filter(r -> !r.hidden()).map(Recipient::mid).toList();
        List<Integer> sales = all.stream().filter(r -> !r.hidden() && r.department().orElse("").equals("Sales"))
                .map(Recipient::mid).toList();
        return new AddressBook(all, List.of(
                new AddressList(AddressBook.GAL_MID, "CN=Default Global Address List", UUID.randomUUID(),
                        "Default Global Address List", true, gal),
                new AddressList(0x20, "CN=Sales", UUID.fromString("33221100-5544-7766-8899-aabbccddeeff"), "Sales", false,
                        sales)), List.of(new ExchangeServer("EX1", "ex1.frankysweb.local", true)), Instant.now());
    }

    private Octets call(int opnum, Octets stub) {
        return call(opnum, stub, association);
    }

    private Octets call(int opnum, Octets stub, AssociationScope scope) {
        return service.invoke(new RpcCall(Nspi.INTERFACE, opnum, stub, Optional.empty(), 1,
                RpcCall.Transport.NCACN_HTTP_V2, HERE, HERE, FRANKY, scope));
    }

    private ContextHandle bind() {
        NspiCalls.BindResult r = NspiCalls.BindResult.decode(call(0,
                new NspiCalls.Bind(0, Stat.start(Nspi.CP_TELETEX, 0x409), Optional.of(new UUID(0, 0))).encode()));
        assertThat(r.returnCode()).isEqualTo(Nspi.SUCCESS);
        assertThat(r.serverGuid()).contains(SERVER_GUID);
        assertThat(r.handle().isNull()).isFalse();
        return r.handle();
    }

    private static Stat stat(int container, int currentRec, int codePage) {
        return new Stat(0, container, currentRec, 0, 0, 0, codePage, 0x409, 0x409);
    }

    private static List<Integer> mids(List<PropertyRow> rows) {
        return rows.stream().map(r -> {
            Octets key = (Octets) r.get(PropTags.INSTANCE_KEY).orElseThrow().value();
            return key.get(0) | key.get(1) << 8;
        }).toList();
    }

    @Test
    void exchangersListTablesAndDumpTablesSequence() {
        ContextHandle h = bind();
        // impacket marshals pStat as a unique pointer: referent ID, STAT, NULL lpVersion (68 bytes)
        Octets special = Octets.ofHex("00000000" + HexFormat.of().formatHex(Guids.toBytes(h.uuid())) + "04000000"
                + "7e1d0000" + "00".repeat(36) + "00000000");
        NspiCalls.GetSpecialTableResult hierarchy = NspiCalls.GetSpecialTableResult.decode(call(12, special));
        assertThat(hierarchy.returnCode()).isEqualTo(Nspi.SUCCESS);
        List<PropertyRow> rows = hierarchy.rows().orElseThrow().rows();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get(PropTags.EMS_AB_CONTAINERID)).contains(PropertyValue.int32(PropTags.EMS_AB_CONTAINERID, 0));
        assertThat(rows.get(0).get(0x0FFF000A)).isPresent(); // the GAL has no entry ID: PT_ERROR
        assertThat(rows.get(1).get(PropTags.DISPLAY_NAME)).contains(PropertyValue.unicode(PropTags.DISPLAY_NAME, "Sales"));
        assertThat(rows.get(1).get(PropTags.CONTAINER_FLAGS)).contains(PropertyValue.int32(PropTags.CONTAINER_FLAGS, 9));
        Octets entryId = (Octets) rows.get(1).get(PropTags.ENTRYID).orElseThrow().value();
        assertThat(new String(entryId.toByteArray(), 28, entryId.length() - 29, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("/guid=00112233445566778899aabbccddeeff");
        assertThat(entryId.slice(4, 20)).isEqualTo(Octets.of(Nspi.GUID_NSPI));

        NspiCalls.UpdateStatResult first = NspiCalls.UpdateStatResult.decode(call(2,
                new NspiCalls.UpdateStat(h, 0, stat(0, 0, Nspi.CP_TELETEX), Optional.empty()).encode()));
        List<Integer> gal = book.globalAddressList().members();
        assertThat(first.stat().currentRec()).isEqualTo(gal.get(0));
        assertThat(first.stat().totalRecs()).isEqualTo(7);

        List<Integer> seen = new ArrayList<>();
        Stat position = first.stat();
        for (int page = 0; page < 10 && position.currentRec() != Stat.MID_END_OF_TABLE; page++) {
            NspiCalls.RowsResult r = NspiCalls.RowsResult.decode(call(3, new NspiCalls.QueryRows(h, 1, position,
                    Optional.empty(), 3, Optional.of(PropertyTagArray.of(PropTags.INSTANCE_KEY, PropTags.ACCOUNT))).encode()));
            assertThat(r.returnCode()).isEqualTo(Nspi.SUCCESS);
            seen.addAll(mids(r.rows().orElseThrow().rows()));
            position = r.stat();
            assertThat(position.numPos()).isEqualTo(seen.size());
        }
        assertThat(seen).isEqualTo(gal).doesNotContain(0x17);

        NspiCalls.RowsResult explicit = NspiCalls.RowsResult.decode(call(3, new NspiCalls.QueryRows(h, 1,
                stat(0, 0, 0), Optional.of(List.of(0x10, 0x17, 0x7FFF)), 50,
                Optional.of(PropertyTagArray.of(PropTags.EMS_AB_OBJECT_GUID, PropTags.EMS_AB_OBJECT_SID))).encode()));
        List<PropertyRow> e = explicit.rows().orElseThrow().rows();
        assertThat(e.get(0).values().get(0)).isEqualTo(PropertyValue.binary(PropTags.EMS_AB_OBJECT_GUID,
                Octets.of(Guids.toBytes(UUID.nameUUIDFromBytes("franky".getBytes())))));
        assertThat(e.get(0).values().get(1)).isEqualTo(PropertyValue.binary(PropTags.EMS_AB_OBJECT_SID,
                Octets.of(Sid.parse("S-1-5-21-1-2-3-1016").toBytes())));
        assertThat(e.get(1).values()).containsExactly(PropertyValue.error(PropTags.EMS_AB_OBJECT_GUID, Nspi.NOT_FOUND),
                PropertyValue.error(PropTags.EMS_AB_OBJECT_SID, Nspi.NOT_FOUND)); // hidden stays hidden
        assertThat(e.get(2).values().get(0).tag()).isEqualTo(0x8C6D000A);

        NspiCalls.UnbindResult unbind = NspiCalls.UnbindResult.decode(call(1, new NspiCalls.Unbind(h, 1).encode()));
        assertThat(unbind).isEqualTo(new NspiCalls.UnbindResult(ContextHandle.NULL, Nspi.UNBIND_SUCCESS));
        assertThatThrownBy(() -> call(1, new NspiCalls.Unbind(h, 1).encode())).isInstanceOf(RpcFaultException.class)
                .extracting(x -> ((RpcFaultException) x).status()).isEqualTo(DceStatus.NCA_S_FAULT_CONTEXT_MISMATCH);
    }

    @Test
    void guidKnownResolvesSlashGuidAndAnswersNonNullRowsWhenNothingResolves() {
        ContextHandle h = bind();
        String guid = HexFormat.of().formatHex(Guids.toBytes(UUID.nameUUIDFromBytes("hanna".getBytes())));
        String hidden = HexFormat.of().formatHex(Guids.toBytes(UUID.nameUUIDFromBytes("DiscoverySearchMailbox".getBytes())));
        NspiCalls.ResolveNamesResult r = NspiCalls.ResolveNamesResult.decode(call(20, new NspiCalls.ResolveNames(true, h,
                0, stat(0, 0, 0), Optional.of(PropertyTagArray.of(PropTags.DISPLAY_NAME)),
                List.of("/guid=" + guid, "/guid=" + hidden, "m", "müller", "nobody", "FRANKY@FRANKYSWEB.ORG")).encode()));
        assertThat(r.returnCode()).isEqualTo(Nspi.SUCCESS);
        assertThat(r.mids().orElseThrow().values()).containsExactly(0x11, Nspi.MID_UNRESOLVED, Nspi.MID_AMBIGUOUS,
                Nspi.MID_AMBIGUOUS, Nspi.MID_UNRESOLVED, 0x10);
        assertThat(r.rows().orElseThrow().rows()).extracting(row -> row.values().get(0).value())
                .containsExactly("Hanna Heim", "Franky Weber");

        NspiCalls.ResolveNamesResult none = NspiCalls.ResolveNamesResult.decode(call(20, new NspiCalls.ResolveNames(true,
                h, 0, stat(0, 0, 0), Optional.empty(), List.of("nobody")).encode()));
        assertThat(none.rows()).isPresent();
        assertThat(none.rows().get().rows()).isEmpty();
    }

    @Test
    void checkNameByDnToMidAndGetProps() {
        ContextHandle h = bind();
        NspiCalls.TagsResult mids = NspiCalls.TagsResult.decode(call(7, new NspiCalls.DnToMid(h, 0, List.of(
                ORG + "/cn=Recipients/cn=FRANKY", ORG + "/cn=Recipients/cn=DiscoverySearchMailbox", "/o=nowhere")).encode()));
        assertThat(mids.tags().orElseThrow().values()).containsExactly(0x10, 0x17, 0);

        NspiCalls.GetPropsResult props = NspiCalls.GetPropsResult.decode(call(9, new NspiCalls.GetProps(h, 0,
                stat(0, 0x10, Nspi.CP_TELETEX), Optional.of(PropertyTagArray.of(PropTags.DISPLAY_NAME, PropTags.EMAIL_ADDRESS,
                        PropTags.EMS_AB_HOME_MDB, 0x3A19001F))).encode()));
        assertThat(props.returnCode()).isEqualTo(Nspi.ERRORS_RETURNED);
        assertThat(props.row().orElseThrow().values()).containsExactly(
                PropertyValue.unicode(PropTags.DISPLAY_NAME, "Franky Weber"),
                PropertyValue.unicode(PropTags.EMAIL_ADDRESS, ORG + "/cn=Recipients/cn=franky"),
                PropertyValue.unicode(PropTags.EMS_AB_HOME_MDB, ORG + "/cn=Configuration/cn=Servers/cn=EX1/cn=Microsoft Private MDB"),
                PropertyValue.error(0x3A19001F, Nspi.NOT_FOUND));

        NspiCalls.GetPropsResult unknown = NspiCalls.GetPropsResult.decode(call(9, new NspiCalls.GetProps(h, 0,
                stat(0, 0x7FFF, 0), Optional.empty()).encode()));
        assertThat(unknown).isEqualTo(new NspiCalls.GetPropsResult(Optional.empty(), Nspi.NOT_FOUND));
    }

    @Test
    void eightBitStringsFollowTheCodePageAndCpWinUnicodeMakesThemUnicodeInGetProps() {
        ContextHandle h = bind();
        int name8 = 0x3001001E;
        NspiCalls.GetPropsResult teletex = NspiCalls.GetPropsResult.decode(call(9, new NspiCalls.GetProps(h, 0,
                stat(0, 0x12, Nspi.CP_TELETEX), Optional.of(PropertyTagArray.of(name8))).encode()));
        assertThat(teletex.row().orElseThrow().values()).containsExactly(new PropertyValue(name8,
                Octets.of("Jürgen Müller".getBytes(Charset.forName("windows-1252")))));
        NspiCalls.GetPropsResult unicode = NspiCalls.GetPropsResult.decode(call(9, new NspiCalls.GetProps(h, 0,
                stat(0, 0x12, Nspi.CP_WINUNICODE), Optional.of(PropertyTagArray.of(name8))).encode()));
        assertThat(unicode.row().orElseThrow().values()).containsExactly(PropertyValue.unicode(PropTags.DISPLAY_NAME,
                "Jürgen Müller"));
    }

    @Test
    void cpWinUnicodeIsRefusedWhereTheSpecSaysNotSupported() {
        NspiCalls.BindResult bind = NspiCalls.BindResult.decode(call(0, new NspiCalls.Bind(0,
                Stat.start(Nspi.CP_WINUNICODE, 0x409), Optional.empty()).encode()));
        assertThat(bind).isEqualTo(new NspiCalls.BindResult(Optional.empty(), ContextHandle.NULL, Nspi.NOT_SUPPORTED));
        ContextHandle h = bind();
        assertThat(NspiCalls.RowsResult.decode(call(3, new NspiCalls.QueryRows(h, 0, stat(0, 0, Nspi.CP_WINUNICODE),
                Optional.empty(), 10, Optional.empty()).encode())).returnCode()).isEqualTo(Nspi.NOT_SUPPORTED);
        assertThat(NspiCalls.ResolveNamesResult.decode(call(20, new NspiCalls.ResolveNames(true, h, 0,
                stat(0, 0, Nspi.CP_WINUNICODE), Optional.empty(), List.of("franky")).encode())))
                .isEqualTo(new NspiCalls.ResolveNamesResult(Optional.empty(), Optional.empty(), Nspi.NOT_SUPPORTED));
    }

    @Test
    void badPositionsAndCountsGetTheSpecsErrors() {
        ContextHandle h = bind();
        assertThat(NspiCalls.RowsResult.decode(call(3, new NspiCalls.QueryRows(h, 0, stat(0, 0, 0), Optional.empty(), 0,
                Optional.empty()).encode())).returnCode()).isEqualTo(Nspi.INVALID_PARAMETER);
        assertThat(NspiCalls.RowsResult.decode(call(3, new NspiCalls.QueryRows(h, 0, stat(0x7777, 0, 0), Optional.empty(),
                5, Optional.empty()).encode())).returnCode()).isEqualTo(Nspi.INVALID_BOOKMARK);
        assertThat(NspiCalls.RowsResult.decode(call(3, new NspiCalls.QueryRows(h, 0, stat(0, 0x17, 0), Optional.empty(),
                5, Optional.empty()).encode())).returnCode()).isEqualTo(Nspi.INVALID_BOOKMARK); // hidden: not in the GAL
        NspiCalls.UpdateStatResult back = NspiCalls.UpdateStatResult.decode(call(2, new NspiCalls.UpdateStat(h, 0,
                new Stat(0, 0, Stat.MID_END_OF_TABLE, -2, 0, 0, 0, 0, 0), Optional.of(0)).encode()));
        assertThat(back.stat().numPos()).isEqualTo(5);
        assertThat(back.stat().currentRec()).isEqualTo(book.globalAddressList().members().get(5));
        assertThat(back.delta()).contains(-2);
    }

    @Test
    void anExplicitTableAnswersEveryMidWhateverCountSays() {
        ContextHandle h = bind();
        List<Integer> table = List.of(0x16, 0x15, 0x14, 0x13, 0x12, 0x11, 0x10);
        NspiCalls.RowsResult r = NspiCalls.RowsResult.decode(call(3, new NspiCalls.QueryRows(h, 1, stat(0, 0, 0),
                Optional.of(table), 2, Optional.of(PropertyTagArray.of(PropTags.INSTANCE_KEY))).encode()));
        assertThat(mids(r.rows().orElseThrow().rows())).isEqualTo(table);
        List<Integer> huge = java.util.stream.IntStream.range(0, NspiService.MAX_EXPLICIT_ROWS + 1).boxed().toList();
        assertThat(NspiCalls.RowsResult.decode(call(3, new NspiCalls.QueryRows(h, 1, stat(0, 0, 0), Optional.of(huge),
                50, Optional.empty()).encode()))).isEqualTo(new NspiCalls.RowsResult(stat(0, 0, 0), Optional.empty(),
                Nspi.TABLE_TOO_BIG));
    }

    @Test
    void handlesAreBoundToTheirAssociation() {
        ContextHandle h = bind();
        assertThatThrownBy(() -> call(2, new NspiCalls.UpdateStat(h, 0, stat(0, 0, 0), Optional.empty()).encode(),
                new AssociationScope())).isInstanceOf(RpcFaultException.class)
                .extracting(x -> ((RpcFaultException) x).status()).isEqualTo(DceStatus.NCA_S_FAULT_CONTEXT_MISMATCH);
        assertThatThrownBy(() -> call(16, new NspiCalls.QueryColumns(new ContextHandle(0, UUID.randomUUID()), 0, 0).encode()))
                .isInstanceOf(RpcFaultException.class).hasMessageContaining("context handle unknown on this association");
    }

    @Test
    void opnumsNotServedAndBadStubData() {
        assertThatThrownBy(() -> call(15, Octets.EMPTY)).isInstanceOf(RpcFaultException.class)
                .extracting(x -> ((RpcFaultException) x).status()).isEqualTo(DceStatus.NCA_S_OP_RNG_ERROR);
        assertThatThrownBy(() -> call(0, Octets.ofHex("00000000"))).isInstanceOf(DceProtocolException.class);
    }

    @Test
    void columnsPropListMatchesAndSeek() {
        ContextHandle h = bind();
        NspiCalls.TagsResult unicode = NspiCalls.TagsResult.decode(call(16,
                new NspiCalls.QueryColumns(h, 0, NspiCalls.QueryColumns.UNICODE_PROPTYPES).encode()));
        assertThat(unicode.tags().orElseThrow().values()).contains(PropTags.DISPLAY_NAME, PropTags.EMS_AB_PROXY_ADDRESSES,
                PropTags.EMS_AB_OBJECT_GUID);
        NspiCalls.TagsResult ansi = NspiCalls.TagsResult.decode(call(16, new NspiCalls.QueryColumns(h, 0, 0).encode()));
        assertThat(ansi.tags().orElseThrow().values()).contains(0x3001001E, 0x800F101E).doesNotContain(PropTags.DISPLAY_NAME);

        NspiCalls.TagsResult list = NspiCalls.TagsResult.decode(call(8, new NspiCalls.GetPropList(h, 0, 0x11, 1252).encode()));
        assertThat(list.tags().orElseThrow().values()).contains(0x3001001E, PropTags.EMS_AB_MAILBOX_GUID)
                .doesNotContain(0x3A17001E); // hanna has no title

        NspiCalls.GetMatchesResult anr = NspiCalls.GetMatchesResult.decode(call(5, new NspiCalls.GetMatches(h, 0,
                stat(0, 0, 0), Optional.empty(), 0, Optional.of(new Restriction.Property(4, PropTags.ANR,
                        PropertyValue.unicode(PropTags.ANR, "müller"))), Optional.empty(), 10,
                Optional.of(PropertyTagArray.of(PropTags.ACCOUNT))).encode()));
        assertThat(anr.returnCode()).isEqualTo(Nspi.SUCCESS);
        assertThat(anr.mids().orElseThrow().values()).containsExactly(0x12, 0x15);
        NspiCalls.GetMatchesResult tooMany = NspiCalls.GetMatchesResult.decode(call(5, new NspiCalls.GetMatches(h, 0,
                stat(0, 0, 0), Optional.empty(), 0, Optional.of(new Restriction.Exist(PropTags.DISPLAY_NAME)),
                Optional.empty(), 3, Optional.empty()).encode()));
        assertThat(tooMany.returnCode()).isEqualTo(Nspi.TABLE_TOO_BIG);

        NspiCalls.RowsResult seek = NspiCalls.RowsResult.decode(call(4, new NspiCalls.SeekEntries(h, 0, stat(0, 0, 0),
                PropertyValue.unicode(PropTags.DISPLAY_NAME, "m"), Optional.empty(), Optional.empty()).encode()));
        assertThat(seek.returnCode()).isEqualTo(Nspi.SUCCESS);
        assertThat(seek.stat().currentRec()).isEqualTo(0x15); // Marie Müller, the first name >= "m"
    }
}
