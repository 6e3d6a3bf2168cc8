package dev.anywhere.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.anywhere.analyzer.rpch.AddressBookClient;
import dev.anywhere.analyzer.rpch.AddressBookClient.Entry;
import dev.anywhere.analyzer.rpch.AddressBookClient.Resolution;
import dev.anywhere.analyzer.rpch.AddressBookClient.Table;
import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.RpchFailure;
import dev.anywhere.analyzer.rpch.Transcript;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code anywhere addressbook}: what Outlook's address book sees through the RPC proxy — the hierarchy table, a
 * container's entries, or ambiguous name resolution — over NSPI sealed at packet privacy. docs/address-book.md shows
 * the output.
 */
@Command(name = "addressbook", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "dev.anywhere.cli.rpch")
final class AddressBookCommand implements Callable<Integer> {

    /** Progress lines go to stderr once a dump has run this long, then at most every half of it; tests shorten it. */
    static long progressNanos = 2_000_000_000L;
    /** Rows per NspiQueryRows; tests make pages small to see progress. */
    static int page = AddressBookClient.PAGE;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ADDRESS", descriptionKey = "address")
    String address;

    @Option(names = "--list-tables")
    boolean listTables;

    @Option(names = "--dump", paramLabel = "NAME")
    String dump;

    @Option(names = "--resolve", paramLabel = "NAME")
    List<String> resolve = new ArrayList<>();

    @Option(names = "--format", paramLabel = "text|json")
    String format = "text";

    @Mixin
    RpchConnectionOptions connection;

    @Option(names = "--endpoint", paramLabel = "PORT")
    int endpoint = 6004;

    @Option(names = "--rpc-auth", paramLabel = "connect|integrity|privacy")
    String rpcAuth = "privacy";

    @Option(names = "--resolve-proxy", paramLabel = "HOST:PORT:ADDR")
    String resolveProxy;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int modes = (listTables ? 1 : 0) + (dump != null ? 1 : 0) + (resolve.isEmpty() ? 0 : 1);
        if (modes != 1) {
            throw UserError.usage(CliText.local("addressbook.mode-one"));
        }
        boolean json = switch (format.toLowerCase(Locale.ROOT)) {
            case "text" -> false;
            case "json" -> true;
            default -> throw UserError.usage(CliText.local("format-bad", "format", format, "expected", CliText.local("format.text-or-json")));
        };
        int level = RpchConnectionOptions.rpcAuthLevel(rpcAuth);
        if (level < 0) {
            throw UserError.usage(CliText.local("addressbook.rpc-auth-none"));
        }
        RpchConnectionOptions.Proxy proxy = connection.proxy("ADDRESS", address);
        RpcAuth auth = new RpcAuth(level, connection.credentials("addressbook"));
        ProxyAuth proxyAuth = connection.auth();
        RpchClientOptions options = connection.client(proxy, endpoint, proxyAuth, err, "--resolve-proxy", resolveProxy);
        Transcript transcript = new Transcript(connection.verbose ? err::println : line -> { });
        if (!json) {
            out.println("addressbook: " + proxy.describe(connection.tls) + " -> " + connection.server + ":" + endpoint
                    + ", " + RpchConnectionOptions.authName(proxyAuth) + ", rpc auth " + auth.levelName() + " as "
                    + connection.user);
            out.flush();
        }
        try (AddressBookClient book = AddressBookClient.open(options, auth, transcript)) {
            if (listTables) {
                return listTables(book, out, json);
            }
            if (dump != null) {
                return dump(book, out, err, json);
            }
            return resolve(book, out, json);
        } catch (RpchFailure f) {
            out.flush();
            err.println("addressbook: " + f.getMessage());
            err.flush();
            return Anywhere.FINDINGS;
        }
    }

    private int listTables(AddressBookClient book, PrintWriter out, boolean json) throws Exception {
        List<Table> tables = book.tables();
        List<String[]> rows = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (Table t : tables) {
            int count = book.count(t);
            rows.add(new String[] {t.displayName(), t.global() ? "0 (GAL)" : Integer.toString(t.containerId()),
                Integer.toString(count)});
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("displayName", t.displayName());
            m.put("containerId", t.containerId());
            m.put("global", t.global());
            m.put("rows", count);
            items.add(m);
        }
        if (json) {
            json(out, Map.of("tables", items));
        } else {
            table(out, new String[] {"Display name", "Container", "Rows"}, rows);
            out.println(tables.size() + " table" + (tables.size() == 1 ? "" : "s"));
        }
        return Anywhere.OK;
    }

    private int dump(AddressBookClient book, PrintWriter out, PrintWriter err, boolean json) throws Exception {
        Table table = book.table(dump).orElseThrow(() -> new RpchFailure(RpchFailure.Hop.CALL, RpchFailure.Kind.PROTOCOL,
                "no table '" + dump + "' in the hierarchy (expected: GAL or a name --list-tables shows)"));
        int total = book.count(table);
        List<Entry> entries = new ArrayList<>();
        long start = System.nanoTime();
        long[] lastProgress = {start};
        book.dump(table, page, entries::add, read -> {
            long now = System.nanoTime();
            if (now - start >= progressNanos && now - lastProgress[0] >= progressNanos / 2 && read < total) {
                lastProgress[0] = now;
                err.println("addressbook: " + read + " of " + total + " rows");
                err.flush();
            }
        });
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>(); // fixed key order: the table first, the entries last
            m.put("table", table.displayName());
            m.put("containerId", table.containerId());
            m.put("count", entries.size());
            m.put("entries", entries);
            json(out, m);
        } else {
            table(out, entryHeader(), entries.stream().map(AddressBookCommand::entryRow).toList());
            out.println(entries.size() + " row" + (entries.size() == 1 ? "" : "s") + " in " + table.displayName());
        }
        return Anywhere.OK;
    }

    private int resolve(AddressBookClient book, PrintWriter out, boolean json) throws Exception {
        List<Resolution> results = book.resolve(resolve);
        boolean all = results.stream().allMatch(r -> r.status() == Resolution.Status.RESOLVED);
        if (json) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (Resolution r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("status", r.status().name().toLowerCase(Locale.ROOT));
                r.entry().ifPresent(e -> m.put("entry", e));
                items.add(m);
            }
            json(out, Map.of("names", items));
        } else {
            List<String[]> rows = new ArrayList<>();
            for (Resolution r : results) {
                r.entry().ifPresent(e -> rows.add(entryRow(e)));
            }
            if (!rows.isEmpty()) {
                table(out, entryHeader(), rows);
            }
            for (Resolution r : results) {
                out.println(r.name() + ": " + switch (r.status()) {
                    case RESOLVED -> "resolved to " + r.entry().map(Entry::displayName).orElse("?");
                    case AMBIGUOUS -> "ambiguous (several entries match; give more of the name or the SMTP address)";
                    case UNRESOLVED -> "not found";
                });
            }
        }
        return all ? Anywhere.OK : Anywhere.FINDINGS;
    }

    private static String[] entryHeader() {
        return new String[] {"Display name", "SMTP address", "Account", "legacyExchangeDN"};
    }

    private static String[] entryRow(Entry e) {
        return new String[] {e.displayName(), e.smtpAddress(), e.account(), e.legacyExchangeDn()};
    }

    /** Columns padded to their widest cell; the last column is not padded. */
    static void table(PrintWriter out, String[] header, List<String[]> rows) {
        int[] width = new int[header.length];
        for (String[] r : concat(header, rows)) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : concat(header, rows)) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format(Locale.ROOT, "%-" + width[i] + "s  ", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static List<String[]> concat(String[] header, List<String[]> rows) {
        List<String[]> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static void json(PrintWriter out, Object value) throws Exception {
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value));
    }
}
