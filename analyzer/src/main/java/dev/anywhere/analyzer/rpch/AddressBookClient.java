package dev.anywhere.analyzer.rpch;

import dev.anywhere.analyzer.rpch.RpchFailure.Hop;
import dev.anywhere.analyzer.rpch.RpchFailure.Kind;
import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.nspi.Nspi;
import dev.anywhere.rpc.nspi.NspiCalls;
import dev.anywhere.rpc.nspi.PropTags;
import dev.anywhere.rpc.nspi.PropertyRow;
import dev.anywhere.rpc.nspi.PropertyRowSet;
import dev.anywhere.rpc.nspi.PropertyTagArray;
import dev.anywhere.rpc.nspi.PropertyValue;
import dev.anywhere.rpc.nspi.Stat;
import dev.anywhere.rpc.wire.Octets;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * What Outlook's address book sees, as a library: an NSPI session through the RPC proxy (normally port 6004), bound
 * with NTLM (NSPI refuses anonymous callers), NspiBind with CP_TELETEX, the hierarchy table, a container's rows in
 * pages, ambiguous name resolution, NspiUnbind. Not thread-safe: one caller at a time.
 *
 * @see [MS-OXNSPI] 3.1.4 Message Processing Events and Sequencing Rules
 */
public final class AddressBookClient implements AutoCloseable {

    /** Rows one NspiQueryRows asks for by default; the server sends at most 1000. */
    public static final int PAGE = 500;
    /** US English: the sort and template locale a client sends. */
    static final int LOCALE = 0x409;
    /** The columns of an entry, all as PtypString. */
    static final PropertyTagArray ENTRY_COLUMNS = PropertyTagArray.of(PropTags.DISPLAY_NAME, PropTags.SMTP_ADDRESS,
            PropTags.ACCOUNT, PropTags.EMAIL_ADDRESS);
    private static final Map<Integer, String> RETURN_VALUES = Map.ofEntries(
            Map.entry(Nspi.GENERAL_FAILURE, "GeneralFailure"), Map.entry(Nspi.NOT_SUPPORTED, "NotSupported"),
            Map.entry(Nspi.INVALID_OBJECT, "InvalidObject"), Map.entry(Nspi.NOT_ENOUGH_RESOURCES, "NotEnoughResources"),
            Map.entry(Nspi.NOT_FOUND, "NotFound"), Map.entry(Nspi.LOGON_FAILED, "LogonFailed"),
            Map.entry(Nspi.TABLE_TOO_BIG, "TableTooBig"), Map.entry(Nspi.INVALID_BOOKMARK, "InvalidBookmark"),
            Map.entry(Nspi.ACCESS_DENIED, "AccessDenied"), Map.entry(Nspi.OUT_OF_MEMORY, "OutOfMemory"),
            Map.entry(Nspi.INVALID_PARAMETER, "InvalidParameter"), Map.entry(Nspi.ERRORS_RETURNED, "ErrorsReturned"));

    /** A container of the hierarchy table; the GAL is container 0. */
    public record Table(String displayName, int containerId) {
        public boolean global() {
            return containerId == 0;
        }
    }

    /** One address book entry as a dump or a resolution shows it; absent values are empty strings. */
    public record Entry(String displayName, String smtpAddress, String account, String legacyExchangeDn) {
    }

    /** One name given to NspiResolveNamesW and what the server made of it. */
    public record Resolution(String name, Status status, Optional<Entry> entry) {
        public enum Status { RESOLVED, AMBIGUOUS, UNRESOLVED }
    }

    /**
     * The user's own entry as Outlook reads it after NspiBind: the entry and the legacy DN of its home database
     * (PR_EMS_AB_HOME_MDB), from which the home server's DN follows.
     */
    public record Mailbox(int mid, Entry entry, Optional<String> homeDatabaseDn) {
        /**
         * The home server's DN: the database DN up to {@code /cn=Servers/cn=NAME}, e.g.
         * {@code /o=First Organization/ou=…/cn=Configuration/cn=Servers/cn=EX1}; empty without a home database or when
         * its DN names no server.
         */
        public Optional<String> homeServerDn() {
            return homeDatabaseDn.flatMap(dn -> {
                String lower = dn.toLowerCase(Locale.ROOT);
                String marker = "/cn=servers/cn=";
                int at = lower.indexOf(marker);
                if (at < 0 || at + marker.length() == dn.length()) {
                    return Optional.empty();
                }
                int end = dn.indexOf('/', at + marker.length());
                return Optional.of(end < 0 ? dn : dn.substring(0, end));
            });
        }
    }

    /** The columns of {@link #mailbox}: an entry's and the home database. */
    static final PropertyTagArray MAILBOX_COLUMNS = PropertyTagArray.of(PropTags.DISPLAY_NAME, PropTags.SMTP_ADDRESS,
            PropTags.ACCOUNT, PropTags.EMAIL_ADDRESS, PropTags.EMS_AB_HOME_MDB);

    private final Binding binding;
    private final ContextHandle handle;
    private final Stat start = Stat.start(Nspi.CP_TELETEX, LOCALE);
    private boolean unbound;

    private AddressBookClient(Binding binding, ContextHandle handle) {
        this.binding = binding;
        this.handle = handle;
    }

    /**
     * Opens the virtual connection to {@code options}' server and port, binds NSPI with {@code auth} and makes
     * NspiBind. Every failure is an {@link RpchFailure} naming the hop; the connection is closed then.
     */
    public static AddressBookClient open(RpchClientOptions options, RpcAuth auth, Transcript transcript) throws RpchFailure {
        Binding binding = Binding.open(options, Nspi.INTERFACE, auth, transcript);
        try {
            NspiCalls.BindResult r = binding.call(NspiCalls.Bind.OPNUM,
                    new NspiCalls.Bind(0, Stat.start(Nspi.CP_TELETEX, LOCALE), Optional.empty()).encode(),
                    NspiCalls.BindResult::decode);
            check("NspiBind", r.returnCode());
            return new AddressBookClient(binding, r.handle());
        } catch (RpchFailure | RuntimeException e) {
            binding.vc.close();
            throw e;
        }
    }

    /** The hierarchy table (NspiGetSpecialTable): the GAL first, then the address lists. */
    public List<Table> tables() throws RpchFailure {
        NspiCalls.GetSpecialTableResult r = call(NspiCalls.GetSpecialTable.OPNUM, new NspiCalls.GetSpecialTable(handle,
                NspiCalls.GetSpecialTable.UNICODE_STRINGS, start, Optional.of(0)).encode(),
                NspiCalls.GetSpecialTableResult::decode);
        check("NspiGetSpecialTable", r.returnCode());
        List<Table> out = new ArrayList<>();
        for (PropertyRow row : rows(r.rows())) {
            int id = row.get(PropTags.EMS_AB_CONTAINERID).map(v -> (Integer) v.value()).orElse(0);
            out.add(new Table(string(row, PropTags.DISPLAY_NAME), id));
        }
        return out;
    }

    /** The table displayed as {@code name} (case ignored), or the GAL for {@code GAL} as exchanger.py names it. */
    public Optional<Table> table(String name) throws RpchFailure {
        List<Table> all = tables();
        if (name.equalsIgnoreCase("GAL")) {
            return all.stream().filter(Table::global).findFirst();
        }
        return all.stream().filter(t -> t.displayName().equalsIgnoreCase(name)).findFirst();
    }

    /** Rows in a container: NspiUpdateStat's TotalRecs. */
    public int count(Table table) throws RpchFailure {
        NspiCalls.UpdateStatResult r = call(NspiCalls.UpdateStat.OPNUM, new NspiCalls.UpdateStat(handle, 0,
                start.withContainer(table.containerId()), Optional.empty()).encode(), NspiCalls.UpdateStatResult::decode);
        check("NspiUpdateStat", r.returnCode());
        return r.stat().totalRecs();
    }

    /**
     * Every entry of {@code table} in the server's order, {@code page} rows (1..1000) per NspiQueryRows;
     * {@code progress} hears the rows read so far after each call. Bounded by the IDL's 100,000 rows.
     */
    public void dump(Table table, int page, Consumer<Entry> each, IntConsumer progress) throws RpchFailure {
        if (page < 1 || page > 1000) {
            throw new IllegalArgumentException("page: " + page + " (expected: 1..1000)");
        }
        Stat stat = start.withContainer(table.containerId());
        int read = 0;
        for (int calls = 0; calls <= 100_000 / page; calls++) {
            NspiCalls.RowsResult r = call(NspiCalls.QueryRows.OPNUM, new NspiCalls.QueryRows(handle, 0, stat,
                    Optional.empty(), page, Optional.of(ENTRY_COLUMNS)).encode(), NspiCalls.RowsResult::decode);
            check("NspiQueryRows", r.returnCode());
            List<PropertyRow> rows = rows(r.rows());
            rows.forEach(row -> each.accept(entry(row)));
            read += rows.size();
            progress.accept(read);
            stat = r.stat(); // the server moved CurrentRec past the rows it sent
            if (rows.isEmpty() || stat.currentRec() == Stat.MID_END_OF_TABLE) {
                return;
            }
        }
    }

    /** NspiResolveNamesW over the GAL: each name resolved to one entry, ambiguous, or unresolved. */
    public List<Resolution> resolve(List<String> names) throws RpchFailure {
        NspiCalls.ResolveNamesResult r = call(NspiCalls.ResolveNames.OPNUM_W, new NspiCalls.ResolveNames(true, handle, 0,
                start, Optional.of(ENTRY_COLUMNS), names).encode(), NspiCalls.ResolveNamesResult::decode);
        check("NspiResolveNamesW", r.returnCode());
        List<Integer> mids = r.mids().map(PropertyTagArray::values).orElse(List.of());
        List<PropertyRow> rows = rows(r.rows());
        if (mids.size() != names.size()) {
            throw new RpchFailure(Hop.CALL, Kind.PROTOCOL, RpchFailure.Text.of("nspi.mids-per-name", "mids", mids.size(), "names",
                    names.size()));
        }
        List<Resolution> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < names.size(); i++) {
            int mid = mids.get(i);
            if (mid == Nspi.MID_UNRESOLVED || mid == Nspi.MID_AMBIGUOUS) {
                out.add(new Resolution(names.get(i), mid == Nspi.MID_UNRESOLVED ? Resolution.Status.UNRESOLVED
                        : Resolution.Status.AMBIGUOUS, Optional.empty()));
            } else {
                // ppRows holds one row per resolved name, in the order of the names ([MS-OXNSPI] 3.1.4.1.17).
                Optional<Entry> e = next < rows.size() ? Optional.of(entry(rows.get(next++))) : Optional.empty();
                out.add(new Resolution(names.get(i), Resolution.Status.RESOLVED, e));
            }
        }
        return out;
    }

    /**
     * The entry whose legacyExchangeDN is {@code legacyDn}, as Outlook finds its own mailbox: NspiDNToMId, then
     * NspiGetProps of the entry's columns and PR_EMS_AB_HOME_MDB. Empty when the address book has no such DN.
     *
     * @see [MS-OXNSPI] 3.1.4.1.13 NspiDNToMId, 3.1.4.1.7 NspiGetProps
     */
    public Optional<Mailbox> mailbox(String legacyDn) throws RpchFailure {
        NspiCalls.TagsResult ids = call(NspiCalls.DnToMid.OPNUM, new NspiCalls.DnToMid(handle, 0, List.of(legacyDn)).encode(),
                NspiCalls.TagsResult::decode);
        check("NspiDNToMId", ids.returnCode());
        List<Integer> mids = ids.tags().map(PropertyTagArray::values).orElse(List.of());
        if (mids.size() != 1) {
            throw new RpchFailure(Hop.CALL, Kind.PROTOCOL, RpchFailure.Text.of("nspi.mids-per-dn", "mids", mids.size()));
        }
        int mid = mids.get(0);
        if (mid == 0) {
            return Optional.empty(); // [MS-OXNSPI] 3.1.4.1.13: an unresolved DN gets MId 0
        }
        NspiCalls.GetPropsResult r = call(NspiCalls.GetProps.OPNUM, new NspiCalls.GetProps(handle, 0, start.withCurrentRec(mid),
                Optional.of(MAILBOX_COLUMNS)).encode(), NspiCalls.GetPropsResult::decode);
        if (r.returnCode() != Nspi.ERRORS_RETURNED) { // some columns missing (PT_ERROR) is still an answer
            check("NspiGetProps", r.returnCode());
        }
        PropertyRow row = r.row().orElseThrow(() -> new RpchFailure(Hop.CALL, Kind.PROTOCOL,
                RpchFailure.Text.of("nspi.no-row", "mid", mid)));
        String home = string(row, PropTags.EMS_AB_HOME_MDB);
        return Optional.of(new Mailbox(mid, entry(row), home.isEmpty() ? Optional.empty() : Optional.of(home)));
    }

    /** NspiUnbind, then the virtual connection closes; an unbind that fails still closes. */
    @Override
    public void close() {
        try {
            if (!unbound) {
                unbound = true;
                call(NspiCalls.Unbind.OPNUM, new NspiCalls.Unbind(handle, 0).encode(), NspiCalls.UnbindResult::decode);
            }
        } catch (RpchFailure | RuntimeException e) {
            // the server drops the session with the association anyway
        } finally {
            binding.vc.close();
        }
    }

    private static List<PropertyRow> rows(Optional<PropertyRowSet> set) {
        return set.map(PropertyRowSet::rows).orElse(List.of());
    }

    static Entry entry(PropertyRow row) {
        return new Entry(string(row, PropTags.DISPLAY_NAME), string(row, PropTags.SMTP_ADDRESS),
                string(row, PropTags.ACCOUNT), string(row, PropTags.EMAIL_ADDRESS));
    }

    /** A string column: PtypString as is, PtypString8 as Windows-1252 (the server's CP_TELETEX strings), else "". */
    static String string(PropertyRow row, int tag) {
        for (PropertyValue v : row.values()) {
            if (PropTags.id(v.tag()) != PropTags.id(tag) || v.value() == null) {
                continue;
            }
            if (v.type() == PropertyValue.PT_UNICODE) {
                return v.string();
            }
            if (v.type() == PropertyValue.PT_STRING8 && v.value() instanceof Octets o) {
                String s = new String(o.toByteArray(), Charset.forName("windows-1252"));
                return s.endsWith("\0") ? s.substring(0, s.length() - 1) : s;
            }
        }
        return "";
    }

    private static void check(String call, int returnCode) throws RpchFailure {
        if (returnCode != Nspi.SUCCESS) {
            throw new RpchFailure(Hop.CALL, Kind.RPC_FAULT, RpchFailure.Text.of("nspi.returned", "call", call, "code",
                    returnValue(returnCode)));
        }
    }

    static String returnValue(int code) {
        return RETURN_VALUES.getOrDefault(code, "return value") + String.format(Locale.ROOT, "(0x%x)", code);
    }

    private <T> T call(int opnum, Octets stub, Function<Octets, T> decode) throws RpchFailure {
        return binding.call(opnum, stub, decode);
    }
}
