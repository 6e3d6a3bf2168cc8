package dev.anywhere.server.nspi;

import dev.anywhere.directory.addressbook.AddressBook;
import dev.anywhere.directory.addressbook.AddressList;
import dev.anywhere.directory.addressbook.Recipient;
import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.dce.DceStatus;
import dev.anywhere.rpc.nspi.Nspi;
import dev.anywhere.rpc.nspi.NspiCalls;
import dev.anywhere.rpc.nspi.NspiModifyCalls;
import dev.anywhere.rpc.nspi.NspiNameCalls;
import dev.anywhere.rpc.nspi.NspiSortCalls;
import dev.anywhere.rpc.nspi.PropTags;
import dev.anywhere.rpc.nspi.PropertyRow;
import dev.anywhere.rpc.nspi.PropertyRowSet;
import dev.anywhere.rpc.nspi.PropertyTagArray;
import dev.anywhere.rpc.nspi.PropertyValue;
import dev.anywhere.rpc.nspi.Stat;
import dev.anywhere.rpc.wire.Guids;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.RpcCall;
import dev.anywhere.server.endpoints.RpcFaultException;
import dev.anywhere.server.endpoints.RpcHandler;
import dev.anywhere.server.endpoints.RpcInterface;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address book endpoint (NSPI on port 6004), answered from the in-memory {@link AddressBook} snapshot: it runs on
 * the event loop and never waits on the directory. Sessions live in the association's scope.
 *
 * <p>Served: every method of [MS-OXNSPI] and [MS-NSPI]'s NspiGetNamesFromIDs and NspiGetIDsFromNames; only the
 * undocumented opnum 15 faults with {@code nca_s_op_rng_error}. The address book is read-only: NspiModProps and
 * NspiModLinkAtt answer AccessDenied for every object they find (the caller's own entry too), and there are no
 * address templates (NspiGetTemplateInfo: InvalidLocale).
 *
 * <p>Decisions where the specification leaves room are listed in docs/address-book.md: MIds are stable for the
 * process; hidden recipients are in no table and never resolved by name, but DNToMId and GetProps find them (a user
 * must reach his own hidden mailbox); a STAT code page of CP_WINUNICODE is refused with NotSupported by every call
 * that positions or resolves, as Exchange does, while GetProps serves PtypString8 tags as PtypString then.
 *
 * @see [MS-OXNSPI] 3.1.4.1
 */
public final class NspiService implements RpcHandler {

    private static final Logger log = LoggerFactory.getLogger(NspiService.class);

    /** Sessions per association; NspiBind beyond it gets GeneralFailure. */
    static final int MAX_SESSIONS = 64;
    /** Rows one positioned QueryRows returns at most, whatever Count asks (the client pages on). */
    static final int MAX_ROWS = 1000;
    /** MIds of an explicit table QueryRows answers; larger tables get TableTooBig. */
    static final int MAX_EXPLICIT_ROWS = 5000;
    /** PidTagPrimaryTelephoneNumber, one of QueryRows' default columns. */
    private static final int PRIMARY_TELEPHONE = 0x3A1A001E;
    /** RELOP_EQ. */
    private static final int RELOP_EQ = 4;
    /** FL_SUBSTRING, FL_PREFIX ([MS-OXCDATA] 2.12.4). */
    private static final int FL_SUBSTRING = 1;
    private static final int FL_PREFIX = 2;
    /** TooComplex: a restriction this server does not evaluate ([MS-OXCDATA] 2.4.2). */
    static final int TOO_COMPLEX = Nspi.TOO_COMPLEX;

    /** Every tag the server knows (NspiModLinkAtt's "recognizes", the PS_MAPI names). */
    private static final List<Integer> KNOWN_TAGS = knownTags();

    private final Supplier<AddressBook> book;
    private final UUID serverGuid;
    private final AddressBookRows rows;
    private final NamedProperties names;

    /**
     * @param book the current snapshot (e.g. {@code addressBookService::current}); called once per call
     * @param serverGuid what NspiBind returns in pServerGuid and ephemeral entry IDs carry
     */
    public NspiService(Supplier<AddressBook> book, UUID serverGuid) {
        this.book = Objects.requireNonNull(book, "book");
        this.serverGuid = Objects.requireNonNull(serverGuid, "serverGuid");
        this.rows = new AddressBookRows(serverGuid);
        this.names = new NamedProperties(KNOWN_TAGS);
    }

    /** This service as the interface the endpoints register: on 6004, refusing anonymous callers (FAULT 5). */
    public RpcInterface asInterface() {
        return new RpcInterface(Nspi.INTERFACE, Nspi.ANNOTATION, Nspi.OPNUM_COUNT, Optional.of(6004), this)
                .refusingAnonymous();
    }

    @Override
    public Octets invoke(RpcCall call) {
        NspiSessions sessions = call.association().get(NspiSessions.class, NspiSessions::new);
        Octets stub = call.stub();
        return switch (call.opnum()) {
            case NspiCalls.Bind.OPNUM -> bind(NspiCalls.Bind.decode(stub), sessions).encode();
            case NspiCalls.Unbind.OPNUM -> unbind(NspiCalls.Unbind.decode(stub), sessions).encode();
            case NspiCalls.UpdateStat.OPNUM -> inSession(sessions, NspiCalls.UpdateStat.decode(stub),
                    NspiCalls.UpdateStat::handle, q -> updateStat(q).encode());
            case NspiCalls.QueryRows.OPNUM -> inSession(sessions, NspiCalls.QueryRows.decode(stub),
                    NspiCalls.QueryRows::handle, q -> queryRows(q).encode());
            case NspiCalls.SeekEntries.OPNUM -> inSession(sessions, NspiCalls.SeekEntries.decode(stub),
                    NspiCalls.SeekEntries::handle, q -> seekEntries(q).encode());
            case NspiCalls.GetMatches.OPNUM -> inSession(sessions, NspiCalls.GetMatches.decode(stub),
                    NspiCalls.GetMatches::handle, q -> getMatches(q).encode());
            case NspiCalls.DnToMid.OPNUM -> inSession(sessions, NspiCalls.DnToMid.decode(stub),
                    NspiCalls.DnToMid::handle, q -> dnToMid(q).encode());
            case NspiCalls.GetPropList.OPNUM -> inSession(sessions, NspiCalls.GetPropList.decode(stub),
                    NspiCalls.GetPropList::handle, q -> getPropList(q).encode());
            case NspiCalls.GetProps.OPNUM -> inSession(sessions, NspiCalls.GetProps.decode(stub),
                    NspiCalls.GetProps::handle, q -> getProps(q).encode());
            case NspiCalls.GetSpecialTable.OPNUM -> inSession(sessions, NspiCalls.GetSpecialTable.decode(stub),
                    NspiCalls.GetSpecialTable::handle, q -> getSpecialTable(q).encode());
            case NspiCalls.QueryColumns.OPNUM -> inSession(sessions, NspiCalls.QueryColumns.decode(stub),
                    NspiCalls.QueryColumns::handle, q -> queryColumns(q).encode());
            case NspiCalls.ResolveNames.OPNUM, NspiCalls.ResolveNames.OPNUM_W -> inSession(sessions,
                    NspiCalls.ResolveNames.decode(stub, call.opnum() == NspiCalls.ResolveNames.OPNUM_W),
                    NspiCalls.ResolveNames::handle, q -> resolveNames(q).encode());
            case NspiSortCalls.ResortRestriction.OPNUM -> inSession(sessions, NspiSortCalls.ResortRestriction.decode(stub),
                    NspiSortCalls.ResortRestriction::handle, q -> resortRestriction(q).encode());
            case NspiSortCalls.CompareMids.OPNUM -> inSession(sessions, NspiSortCalls.CompareMids.decode(stub),
                    NspiSortCalls.CompareMids::handle, q -> compareMids(q).encode());
            case NspiModifyCalls.ModProps.OPNUM -> inSession(sessions, NspiModifyCalls.ModProps.decode(stub),
                    NspiModifyCalls.ModProps::handle, q -> modProps(q).encode());
            case NspiCalls.GetTemplateInfo.OPNUM -> inSession(sessions, NspiCalls.GetTemplateInfo.decode(stub),
                    NspiCalls.GetTemplateInfo::handle, q -> getTemplateInfo(q).encode());
            case NspiModifyCalls.ModLinkAtt.OPNUM -> inSession(sessions, NspiModifyCalls.ModLinkAtt.decode(stub),
                    NspiModifyCalls.ModLinkAtt::handle, q -> modLinkAtt(q).encode());
            case NspiNameCalls.GetNamesFromIds.OPNUM -> inSession(sessions, NspiNameCalls.GetNamesFromIds.decode(stub),
                    NspiNameCalls.GetNamesFromIds::handle, q -> getNamesFromIds(q).encode());
            case NspiNameCalls.GetIdsFromNames.OPNUM -> inSession(sessions, NspiNameCalls.GetIdsFromNames.decode(stub),
                    NspiNameCalls.GetIdsFromNames::handle, q -> getIdsFromNames(q).encode());
            default -> throw new RpcFaultException(DceStatus.NCA_S_OP_RNG_ERROR,
                    "NSPI opnum " + call.opnum() + " is not served");
        };
    }

    /** Answers {@code q} if its handle is one of this association's sessions. */
    private static <Q> Octets inSession(NspiSessions sessions, Q q, Function<Q, ContextHandle> handle,
            Function<Q, Octets> answer) {
        session(sessions, handle.apply(q));
        return answer.apply(q);
    }

    /** An unknown handle is a context mismatch, as the RPC runtime reports it for strict context handles. */
    private static NspiSessions.Session session(NspiSessions sessions, ContextHandle h) {
        return sessions.find(h).orElseThrow(() -> new RpcFaultException(DceStatus.NCA_S_FAULT_CONTEXT_MISMATCH,
                "NSPI: context handle unknown on this association"));
    }

    // ---- NspiBind / NspiUnbind ([MS-OXNSPI] 3.1.4.1.1, 3.1.4.1.2) ----

    private NspiCalls.BindResult bind(NspiCalls.Bind q, NspiSessions sessions) {
        if (q.stat().codePage() == Nspi.CP_WINUNICODE) {
            return new NspiCalls.BindResult(q.serverGuid(), ContextHandle.NULL, Nspi.NOT_SUPPORTED);
        }
        if (sessions.size() >= MAX_SESSIONS) {
            log.debug("nspi: NspiBind refused: {} sessions on this association", sessions.size());
            return new NspiCalls.BindResult(q.serverGuid(), ContextHandle.NULL, Nspi.GENERAL_FAILURE);
        }
        NspiSessions.Session s = sessions.open(q.stat().codePage());
        return new NspiCalls.BindResult(q.serverGuid().map(g -> serverGuid), s.handle(), Nspi.SUCCESS);
    }

    private NspiCalls.UnbindResult unbind(NspiCalls.Unbind q, NspiSessions sessions) {
        if (!sessions.close(q.handle())) {
            throw new RpcFaultException(DceStatus.NCA_S_FAULT_CONTEXT_MISMATCH, "NspiUnbind: context handle unknown");
        }
        return new NspiCalls.UnbindResult(ContextHandle.NULL, Nspi.UNBIND_SUCCESS);
    }

    // ---- tables and positions ([MS-OXNSPI] 3.1.4.5 Positioning in a Table) ----

    /** The container's rows, or null when ContainerID names no container. */
    private static List<Integer> table(AddressBook b, int containerId) {
        return b.addressList(containerId).map(AddressList::members).orElse(null);
    }

    /** The index CurrentRec (then Delta) designates, clamped to the table; -1 when CurrentRec is not in it. */
    private static int position(Stat stat, List<Integer> table) {
        int pos;
        if (stat.currentRec() == Stat.MID_BEGINNING_OF_TABLE) {
            pos = 0;
        } else if (stat.currentRec() == Stat.MID_END_OF_TABLE) {
            pos = table.size();
        } else if (stat.currentRec() == Stat.MID_CURRENT) {
            pos = Math.min(Math.max(stat.numPos(), 0), table.size());
        } else {
            pos = table.indexOf(stat.currentRec());
            if (pos < 0) {
                return -1;
            }
        }
        long moved = (long) pos + stat.delta();
        return (int) Math.max(0, Math.min(moved, table.size()));
    }

    private static Stat at(Stat stat, List<Integer> table, int pos) {
        return stat.withPosition(pos < table.size() ? table.get(pos) : Stat.MID_END_OF_TABLE, pos, table.size());
    }

    private NspiCalls.UpdateStatResult updateStat(NspiCalls.UpdateStat q) {
        Stat stat = q.stat();
        if (stat.codePage() == Nspi.CP_WINUNICODE) {
            return new NspiCalls.UpdateStatResult(stat, q.delta(), Nspi.NOT_SUPPORTED);
        }
        List<Integer> table = table(book.get(), stat.containerId());
        if (table == null) {
            return new NspiCalls.UpdateStatResult(stat, q.delta(), Nspi.INVALID_BOOKMARK);
        }
        int before = position(stat.withPosition(stat.currentRec(), stat.numPos(), stat.totalRecs()), table);
        int pos = position(stat, table);
        if (pos < 0) {
            return new NspiCalls.UpdateStatResult(stat, q.delta(), Nspi.INVALID_BOOKMARK);
        }
        return new NspiCalls.UpdateStatResult(at(stat, table, pos), q.delta().map(d -> pos - before), Nspi.SUCCESS);
    }

    private NspiCalls.RowsResult queryRows(NspiCalls.QueryRows q) {
        Stat stat = q.stat();
        if (stat.codePage() == Nspi.CP_WINUNICODE) {
            return new NspiCalls.RowsResult(stat, Optional.empty(), Nspi.NOT_SUPPORTED);
        }
        AddressBook b = book.get();
        List<Integer> tags = q.propTags().map(PropertyTagArray::values).orElseGet(() -> defaultColumns());
        Charset charset = charset(stat.codePage());
        boolean ephemeral = (q.flags() & NspiCalls.QueryRows.EPH_ID) != 0;
        if (q.explicitTable().isPresent()) {
            // Every MId of an explicit table gets its row whatever Count says, as Exchange answers: exchanger's
            // dnt-lookup sends 350 MIds with Count 50 and expects 350 rows.
            List<Integer> mids = q.explicitTable().get();
            if (mids.size() > MAX_EXPLICIT_ROWS) {
                return new NspiCalls.RowsResult(stat, Optional.empty(), Nspi.TABLE_TOO_BIG);
            }
            List<PropertyRow> out = new ArrayList<>(mids.size());
            for (int mid : mids) {
                out.add(visibleRow(b, mid, tags, charset, ephemeral));
            }
            return new NspiCalls.RowsResult(stat, Optional.of(new PropertyRowSet(out)), Nspi.SUCCESS);
        }
        if (q.count() == 0) {
            return new NspiCalls.RowsResult(stat, Optional.empty(), Nspi.INVALID_PARAMETER);
        }
        List<Integer> table = table(b, stat.containerId());
        if (table == null) {
            return new NspiCalls.RowsResult(stat, Optional.empty(), Nspi.INVALID_BOOKMARK);
        }
        int pos = position(stat, table);
        if (pos < 0) {
            return new NspiCalls.RowsResult(stat, Optional.empty(), Nspi.INVALID_BOOKMARK);
        }
        int end = (int) Math.min((long) pos + Math.min(Integer.toUnsignedLong(q.count()), MAX_ROWS), table.size());
        List<PropertyRow> out = new ArrayList<>(end - pos);
        for (int i = pos; i < end; i++) {
            out.add(rows.recipient(b.byMid(table.get(i)).orElseThrow(), tags, charset, ephemeral));
        }
        return new NspiCalls.RowsResult(at(stat, table, end), Optional.of(new PropertyRowSet(out)), Nspi.SUCCESS);
    }

    /** A recipient's row for an explicit table; hidden recipients and unknown MIds read as all-NotFound rows. */
    private PropertyRow visibleRow(AddressBook b, int mid, List<Integer> tags, Charset charset, boolean ephemeral) {
        Optional<Recipient> r = b.byMid(mid).filter(x -> !x.hidden());
        return r.isPresent() ? rows.recipient(r.get(), tags, charset, ephemeral) : AddressBookRows.missing(tags);
    }

    private NspiCalls.RowsResult seekEntries(NspiCalls.SeekEntries q) {
        Stat stat = q.stat();
        if (stat.codePage() == Nspi.CP_WINUNICODE) {
            return new NspiCalls.RowsResult(stat, Optional.empty(), Nspi.NOT_SUPPORTED);
        }
        if (stat.sortType() != 0 || PropTags.id(q.target().tag()) != PropTags.id(PropTags.DISPLAY_NAME)) {
            return new NspiCalls.RowsResult(stat, Optional.empty(), Nspi.NOT_SUPPORTED); // only SortTypeDisplayName
        }
        AddressBook b = book.get();
        List<Integer> table = q.explicitTable().map(PropertyTagArray::values).orElseGet(() -> table(b, stat.containerId()));
        if (table == null) {
            return new NspiCalls.RowsResult(stat, Optional.empty(), Nspi.INVALID_BOOKMARK);
        }
        String target = q.target().value() instanceof Octets o ? new String(o.toByteArray(), charset(stat.codePage()))
                : String.valueOf(q.target().value());
        int found = -1;
        for (int i = 0; i < table.size() && found < 0; i++) {
            Optional<Recipient> r = b.byMid(table.get(i)).filter(x -> !x.hidden());
            if (r.isPresent() && r.get().displayName().compareToIgnoreCase(target) >= 0) {
                found = i;
            }
        }
        if (found < 0) {
            return new NspiCalls.RowsResult(at(stat, table, table.size()), Optional.empty(), Nspi.NOT_FOUND);
        }
        Stat moved = at(stat, table, found);
        if (q.propTags().isEmpty()) {
            return new NspiCalls.RowsResult(moved, Optional.empty(), Nspi.SUCCESS);
        }
        List<PropertyRow> out = new ArrayList<>();
        for (int i = found; i < table.size() && out.size() < MAX_ROWS; i++) {
            out.add(visibleRow(b, table.get(i), q.propTags().get().values(), charset(stat.codePage()), false));
        }
        return new NspiCalls.RowsResult(moved, Optional.of(new PropertyRowSet(out)), Nspi.SUCCESS);
    }

    // ---- NspiGetMatches ([MS-OXNSPI] 3.1.4.1.10) ----

    private NspiCalls.GetMatchesResult getMatches(NspiCalls.GetMatches q) {
        Stat stat = q.stat();
        if (stat.codePage() == Nspi.CP_WINUNICODE) {
            return noMatches(stat, Nspi.NOT_SUPPORTED);
        }
        if (q.reserved().isPresent()) {
            return noMatches(stat, TOO_COMPLEX); // pReserved must be NULL ([MS-NSPI] 3.1.4.10)
        }
        int sort = stat.sortType();
        boolean byName = sort == Nspi.SORT_TYPE_DISPLAY_NAME || sort == Nspi.SORT_TYPE_PHONETIC_DISPLAY_NAME;
        if (q.filter().isPresent() && !byName) {
            return noMatches(stat, Nspi.NOT_SUPPORTED); // constraint 2: any return value
        }
        if (sort == Nspi.SORT_TYPE_PHONETIC_DISPLAY_NAME) {
            return noMatches(stat, Nspi.GENERAL_FAILURE); // no phonetic names are kept
        }
        AddressBook b = book.get();
        List<Integer> table = table(b, stat.containerId());
        if (byName && table == null) {
            return noMatches(stat, Nspi.INVALID_BOOKMARK);
        }
        Charset charset = charset(stat.codePage());
        List<Integer> matches;
        Stat out = stat;
        if (q.filter().isPresent()) {
            matches = new ArrayList<>();
            for (int mid : table) {
                Optional<Boolean> m = RestrictionMatcher.matches(q.filter().get(), b.byMid(mid).orElseThrow(), charset);
                if (m.isEmpty()) {
                    return noMatches(stat, TOO_COMPLEX);
                }
                if (m.get()) {
                    matches.add(mid);
                }
            }
        } else {
            // A link property of the object at CurrentRec opened as a table: the property is lpPropName's, else the
            // proptag in ContainerID (constraint 9); Outlook's members of a distribution list.
            Optional<Recipient> object = b.byMid(stat.currentRec());
            if (object.isEmpty()) {
                return noMatches(stat, Nspi.GENERAL_FAILURE);
            }
            if (sort == Nspi.SORT_TYPE_DISPLAY_NAME_W) {
                return noMatches(stat, Nspi.NOT_SUPPORTED); // constraint 11: nothing is modified here
            }
            int tag = q.propName().map(names::tagFor).orElse(stat.containerId());
            Optional<List<Integer>> links = LinkTables.values(b, object.get(), tag);
            if (links.isEmpty()) {
                return noMatches(stat, Nspi.NOT_SUPPORTED); // constraint 12: not a property that links objects
            }
            matches = links.get();
            out = stat.withContainer(stat.currentRec()); // constraint 15
        }
        if (Integer.toUnsignedLong(q.requested()) < matches.size()) {
            return noMatches(stat, Nspi.TABLE_TOO_BIG);
        }
        // The rows are QueryRows' for the explicit table with fEphID (constraint 18).
        Optional<PropertyRowSet> found = q.propTags().map(t -> new PropertyRowSet(matches.stream()
                .map(mid -> visibleRow(b, mid, t.values(), charset, true)).toList()));
        return new NspiCalls.GetMatchesResult(out, Optional.of(new PropertyTagArray(matches)), found, Nspi.SUCCESS);
    }

    /** A failed GetMatches: pStat unchanged, ppOutMIds and ppRows NULL (constraint 4). */
    private static NspiCalls.GetMatchesResult noMatches(Stat stat, int returnCode) {
        return new NspiCalls.GetMatchesResult(stat, Optional.empty(), Optional.empty(), returnCode);
    }

    // ---- NspiResortRestriction, NspiCompareMIds ([MS-OXNSPI] 3.1.4.1.11, 3.1.4.1.12) ----

    private NspiSortCalls.ResortRestrictionResult resortRestriction(NspiSortCalls.ResortRestriction q) {
        Stat stat = q.stat();
        if (stat.codePage() == Nspi.CP_WINUNICODE) {
            return new NspiSortCalls.ResortRestrictionResult(stat, Optional.empty(), Nspi.NOT_SUPPORTED);
        }
        if (stat.sortType() != Nspi.SORT_TYPE_DISPLAY_NAME) {
            return new NspiSortCalls.ResortRestrictionResult(stat, Optional.empty(), Nspi.GENERAL_FAILURE); // constraint 5
        }
        AddressBook b = book.get();
        List<Recipient> found = new ArrayList<>();
        for (int mid : q.inMids().values()) {
            b.byMid(mid).filter(r -> !r.hidden()).ifPresent(found::add); // MIds naming nothing visible are ignored
        }
        found.sort(AddressBook.DISPLAY_ORDER);
        List<Integer> sorted = found.stream().map(Recipient::mid).toList();
        int pos = sorted.indexOf(stat.currentRec());
        // Constraint 8: TotalRecs, and NumPos (or CurrentRec and NumPos when CurrentRec is not in the table) only.
        Stat out = new Stat(stat.sortType(), stat.containerId(), pos < 0 ? Stat.MID_BEGINNING_OF_TABLE : stat.currentRec(),
                stat.delta(), Math.max(pos, 0), sorted.size(), stat.codePage(), stat.templateLocale(), stat.sortLocale());
        return new NspiSortCalls.ResortRestrictionResult(out, Optional.of(new PropertyTagArray(sorted)), Nspi.SUCCESS);
    }

    private NspiSortCalls.CompareMidsResult compareMids(NspiSortCalls.CompareMids q) {
        if (q.stat().codePage() == Nspi.CP_WINUNICODE) {
            return new NspiSortCalls.CompareMidsResult(0, Nspi.NOT_SUPPORTED);
        }
        List<Integer> table = table(book.get(), q.stat().containerId());
        if (table == null) {
            return new NspiSortCalls.CompareMidsResult(0, Nspi.INVALID_BOOKMARK);
        }
        int first = table.indexOf(q.mid1());
        int second = table.indexOf(q.mid2());
        if (first < 0 || second < 0) {
            return new NspiSortCalls.CompareMidsResult(0, Nspi.GENERAL_FAILURE);
        }
        return new NspiSortCalls.CompareMidsResult(Integer.compare(first, second), Nspi.SUCCESS);
    }

    // ---- NspiModProps, NspiModLinkAtt ([MS-OXNSPI] 3.1.4.1.14, 3.1.4.1.15): a read-only address book ----

    /**
     * Nothing is changed, for anyone: the address book is a snapshot of the directory and the endpoints do not write
     * to it. The caller's own entry (Outlook publishing a certificate) gets AccessDenied as well; section 5 leaves
     * who may modify what to local policy, and constraint 11 names AccessDenied for modifications not applied.
     */
    private NspiModifyCalls.StatusResult modProps(NspiModifyCalls.ModProps q) {
        if (q.stat().codePage() == Nspi.CP_WINUNICODE) {
            return new NspiModifyCalls.StatusResult(Nspi.NOT_SUPPORTED); // constraint 1: any return value
        }
        if (q.propTags().isEmpty()) {
            return new NspiModifyCalls.StatusResult(Nspi.INVALID_PARAMETER); // constraint 5
        }
        AddressBook b = book.get();
        int mid = q.stat().currentRec();
        if (b.byMid(mid).isPresent()) {
            return new NspiModifyCalls.StatusResult(Nspi.ACCESS_DENIED);
        }
        // Address lists are never modified through NSPI ([MS-NSPI] 5.1): refused by their display type (constraint 7).
        boolean container = b.addressList(mid).filter(l -> !l.global()).isPresent();
        return new NspiModifyCalls.StatusResult(container ? Nspi.INVALID_OBJECT : Nspi.INVALID_PARAMETER);
    }

    private NspiModifyCalls.StatusResult modLinkAtt(NspiModifyCalls.ModLinkAtt q) {
        if (!LinkTables.known(q.propTag(), KNOWN_TAGS)) {
            return new NspiModifyCalls.StatusResult(Nspi.NOT_FOUND); // constraint 3
        }
        AddressBook b = book.get();
        boolean located = b.byMid(q.mid()).isPresent() || b.addressList(q.mid()).filter(l -> !l.global()).isPresent();
        // Constraint 4; then every located object, whatever its display type, is left as it is: AccessDenied
        // (constraints 5 and 8).
        return new NspiModifyCalls.StatusResult(located ? Nspi.ACCESS_DENIED : Nspi.INVALID_PARAMETER);
    }

    // ---- NspiGetTemplateInfo ([MS-OXNSPI] 3.1.4.1.18) ----

    /**
     * No address templates are kept: a code page the server knows gets InvalidLocale, the answer for a template it
     * cannot locate (constraint 5), with or without pDN; CP_WINUNICODE and unknown code pages InvalidCodepage.
     */
    private NspiCalls.TemplateInfoResult getTemplateInfo(NspiCalls.GetTemplateInfo q) {
        int cp = q.codePage();
        boolean known = cp == Nspi.CP_TELETEX || cp == 65001 || (cp >= 1250 && cp <= 1258);
        return new NspiCalls.TemplateInfoResult(Optional.empty(), known ? Nspi.INVALID_LOCALE : Nspi.INVALID_CODEPAGE);
    }

    // ---- NspiGetNamesFromIDs, NspiGetIDsFromNames ([MS-NSPI] 3.1.4.16, 3.1.4.17) ----

    private NspiNameCalls.NamesResult getNamesFromIds(NspiNameCalls.GetNamesFromIds q) {
        boolean psMapi = q.guid().filter(NamedProperties.PS_MAPI::equals).isPresent();
        if (q.propTags().isEmpty()) {
            if (psMapi) {
                return new NspiNameCalls.NamesResult(Optional.empty(), Optional.empty(), Nspi.NOT_SUPPORTED);
            }
            // All names of the sets asked for: none outside PS_MAPI, and PS_MAPI's are not listed without a GUID.
            return new NspiNameCalls.NamesResult(Optional.of(new PropertyTagArray(List.of())), Optional.of(List.of()),
                    Nspi.SUCCESS);
        }
        boolean asked = q.guid().isEmpty() || psMapi; // no GUID: every set the server supports, i.e. PS_MAPI
        List<NspiCalls.PropertyName> found = q.propTags().get().values().stream().map(t -> names.nameOf(t, asked)).toList();
        return new NspiNameCalls.NamesResult(Optional.empty(), Optional.of(found), Nspi.SUCCESS);
    }

    private NspiCalls.TagsResult getIdsFromNames(NspiNameCalls.GetIdsFromNames q) {
        List<Integer> tags = q.names().stream().map(names::tagFor).toList();
        int status = NamedProperties.status(tags, (q.flags() & NspiNameCalls.GetIdsFromNames.VERIFY_NAMES) != 0);
        return new NspiCalls.TagsResult(status == Nspi.ACCESS_DENIED ? Optional.empty()
                : Optional.of(new PropertyTagArray(tags)), status);
    }

    // ---- lookups ----

    private NspiCalls.TagsResult dnToMid(NspiCalls.DnToMid q) {
        AddressBook b = book.get();
        List<Integer> mids = new ArrayList<>(q.names().size());
        for (String dn : q.names()) {
            mids.add(b.byLegacyDn(dn).map(Recipient::mid).orElse(Nspi.MID_UNRESOLVED));
        }
        return new NspiCalls.TagsResult(Optional.of(new PropertyTagArray(mids)), Nspi.SUCCESS);
    }

    private NspiCalls.TagsResult getPropList(NspiCalls.GetPropList q) {
        Optional<Recipient> r = book.get().byMid(q.mid());
        if (r.isEmpty()) {
            return new NspiCalls.TagsResult(Optional.empty(), Nspi.NOT_FOUND);
        }
        return new NspiCalls.TagsResult(Optional.of(new PropertyTagArray(
                rows.present(r.get(), q.codePage() == Nspi.CP_WINUNICODE))), Nspi.SUCCESS);
    }

    private NspiCalls.GetPropsResult getProps(NspiCalls.GetProps q) {
        AddressBook b = book.get();
        Stat stat = q.stat();
        // CP_WINUNICODE here means: PtypString8 tags come back as PtypString ([MS-OXNSPI] 3.1.4.1.7 rule 1).
        Charset charset = stat.codePage() == Nspi.CP_WINUNICODE ? null : charset(stat.codePage());
        List<Integer> tags = q.propTags().map(PropertyTagArray::values).orElseGet(() -> defaultColumns());
        PropertyRow row;
        Optional<Recipient> r = b.byMid(stat.currentRec());
        if (r.isPresent()) {
            row = rows.recipient(r.get(), tags, charset, (q.flags() & NspiCalls.QueryRows.EPH_ID) != 0);
        } else {
            Optional<AddressList> list = b.addressList(stat.currentRec()).filter(l -> !l.global());
            if (list.isEmpty()) {
                return new NspiCalls.GetPropsResult(Optional.empty(), Nspi.NOT_FOUND);
            }
            row = rows.container(list.get(), tags, charset);
        }
        boolean errors = row.values().stream().anyMatch(v -> v.type() == PropertyValue.PT_ERROR);
        return new NspiCalls.GetPropsResult(Optional.of(row), errors ? Nspi.ERRORS_RETURNED : Nspi.SUCCESS);
    }

    // ---- NspiGetSpecialTable ([MS-OXNSPI] 3.1.4.1.3, [MS-OXOABK] 3.1.4.1.1) ----

    private NspiCalls.GetSpecialTableResult getSpecialTable(NspiCalls.GetSpecialTable q) {
        AddressBook b = book.get();
        int version = hierarchyVersion(b);
        if ((q.flags() & NspiCalls.GetSpecialTable.ADDRESS_CREATION_TEMPLATES) != 0) {
            // No address creation templates: an empty table, so that "New Entry" shows nothing to create.
            return new NspiCalls.GetSpecialTableResult(version, Optional.of(new PropertyRowSet(List.of())), Nspi.SUCCESS);
        }
        if (q.version().isPresent() && q.version().get() == version) {
            return new NspiCalls.GetSpecialTableResult(version, Optional.empty(), Nspi.SUCCESS); // the client's is current
        }
        boolean unicode = (q.flags() & NspiCalls.GetSpecialTable.UNICODE_STRINGS) != 0;
        Charset charset = unicode ? StandardCharsets.UTF_8 : charset(q.stat().codePage());
        List<Integer> tags = AddressBookRows.hierarchyColumns(unicode);
        List<PropertyRow> out = new ArrayList<>();
        for (AddressList l : b.addressLists()) {
            out.add(rows.container(l, tags, charset));
        }
        return new NspiCalls.GetSpecialTableResult(version, Optional.of(new PropertyRowSet(out)), Nspi.SUCCESS);
    }

    /** Changes whenever a list is added, removed or renamed. */
    private static int hierarchyVersion(AddressBook b) {
        int h = 1;
        for (AddressList l : b.addressLists()) {
            h = 31 * h + l.mid();
            h = 31 * h + l.displayName().hashCode();
        }
        return h;
    }

    private NspiCalls.TagsResult queryColumns(NspiCalls.QueryColumns q) {
        boolean unicode = (q.flags() & NspiCalls.QueryColumns.UNICODE_PROPTYPES) != 0;
        List<Integer> tags = AddressBookRows.RECIPIENT_COLUMNS.stream()
                .map(t -> unicode ? t : AddressBookRows.string8(t)).toList();
        return new NspiCalls.TagsResult(Optional.of(new PropertyTagArray(tags)), Nspi.SUCCESS);
    }

    // ---- ambiguous name resolution ([MS-OXNSPI] 3.1.4.1.16, 3.1.4.1.17, 3.1.4.7) ----

    private NspiCalls.ResolveNamesResult resolveNames(NspiCalls.ResolveNames q) {
        Stat stat = q.stat();
        if (stat.codePage() == Nspi.CP_WINUNICODE) {
            return new NspiCalls.ResolveNamesResult(Optional.empty(), Optional.empty(), Nspi.NOT_SUPPORTED);
        }
        AddressBook b = book.get();
        Charset charset = charset(stat.codePage());
        List<Integer> tags = q.propTags().map(PropertyTagArray::values).orElseGet(() -> defaultColumns());
        List<Integer> mids = new ArrayList<>();
        List<PropertyRow> out = new ArrayList<>();
        for (String name : q.names()) {
            String text = q.wide() ? name : new String(name.getBytes(StandardCharsets.ISO_8859_1), charset);
            List<Recipient> found = resolve(b, text.trim());
            if (found.size() == 1) {
                mids.add(found.get(0).mid());
                out.add(rows.recipient(found.get(0), tags, charset, false));
            } else {
                mids.add(found.isEmpty() ? Nspi.MID_UNRESOLVED : Nspi.MID_AMBIGUOUS);
            }
        }
        // ppRows is never NULL: exchanger reads cRows of it even when nothing resolved.
        return new NspiCalls.ResolveNamesResult(Optional.of(new PropertyTagArray(mids)),
                Optional.of(new PropertyRowSet(out)), Nspi.SUCCESS);
    }

    /**
     * The visible recipients a name designates: {@code /guid=<hex of objectGUID>}, a legacy DN, an SMTP address
     * (with or without {@code SMTP:}), else ANR: the alias, or a prefix of the display name, of its words, or of an
     * SMTP address.
     */
    static List<Recipient> resolve(AddressBook b, String name) {
        if (name.isEmpty()) {
            return List.of();
        }
        if (name.regionMatches(true, 0, "/guid=", 0, 6)) {
            try {
                byte[] guid = HexFormat.of().parseHex(name.substring(6));
                return guid.length == 16 ? visible(b.byObjectGuid(Guids.fromBytes(guid))) : List.of();
            } catch (IllegalArgumentException e) {
                return List.of();
            }
        }
        if (name.startsWith("/")) {
            return visible(b.byLegacyDn(name));
        }
        String address = name.regionMatches(true, 0, "smtp:", 0, 5) ? name.substring(5) : name;
        if (address.contains("@")) {
            return visible(b.bySmtpAddress(address));
        }
        return RestrictionMatcher.anr(b.globalAddressList(), b, name);
    }

    private static List<Recipient> visible(Optional<Recipient> r) {
        return r.filter(x -> !x.hidden()).map(List::of).orElse(List.of());
    }

    // ---- helpers ----

    /** Every tag the server knows: the recipients' columns, the hierarchy's and the link properties. */
    private static List<Integer> knownTags() {
        List<Integer> out = new ArrayList<>(AddressBookRows.RECIPIENT_COLUMNS);
        out.addAll(AddressBookRows.hierarchyColumns(true));
        out.addAll(LinkTables.LINK_TAGS);
        return List.copyOf(out);
    }

    /** QueryRows' and GetProps' columns when pPropTags is NULL ([MS-OXNSPI] 3.1.4.1.8). */
    private static List<Integer> defaultColumns() {
        return List.of(PropTags.EMS_AB_CONTAINERID, PropTags.OBJECT_TYPE, PropTags.DISPLAY_TYPE,
                AddressBookRows.string8(PropTags.DISPLAY_NAME), PRIMARY_TELEPHONE,
                AddressBookRows.string8(PropTags.DEPARTMENT_NAME), AddressBookRows.string8(PropTags.OFFICE_LOCATION));
    }

    /**
     * The charset of 8-bit strings for a STAT code page: Windows code pages 1250-1258 and UTF-8 as Java knows them;
     * 0 (the default), CP_TELETEX (T.61, which Java lacks) and anything else as Windows-1252, whose Latin letters
     * are what Exchange sends for them in practice.
     */
    static Charset charset(int codePage) {
        if (codePage == 65001) {
            return StandardCharsets.UTF_8;
        }
        if (codePage >= 1250 && codePage <= 1258) {
            try {
                return Charset.forName("windows-" + codePage);
            } catch (IllegalArgumentException e) {
                return Charset.forName("windows-1252");
            }
        }
        return Charset.forName("windows-1252");
    }
}
