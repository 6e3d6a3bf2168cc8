package dev.anywhere.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import dev.anywhere.analyzer.rpch.AddressBookClient;
import dev.anywhere.analyzer.rpch.ProxyAuth;
import dev.anywhere.analyzer.rpch.RpcAuth;
import dev.anywhere.analyzer.rpch.RpchClientOptions;
import dev.anywhere.analyzer.rpch.RpchFailure;
import dev.anywhere.analyzer.rpch.Transcript;
import dev.anywhere.bench.BenchText;
import dev.anywhere.directory.addressbook.AddressBook;
import dev.anywhere.directory.addressbook.AddressBookService;
import dev.anywhere.directory.ldap.AddressBookSeed;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.lab.pki.CertificateRequest;
import dev.anywhere.lab.site.LabSite;
import dev.anywhere.rpc.ntlm.NtlmCredentials;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The GAL of {@code entries} rows dumped through the lab as Outlook's address book reads it — {@link AddressBookClient}
 * over RPC over HTTP (TLS, NTLM) through EX1's gateway to its endpoints, DCE/RPC sealed at PKT_PRIVACY, NspiQueryRows in
 * pages — against a paged LDAP search of the same entries and attributes straight from DC1 as the service account. DC1 is
 * the lab's embedded UnboundID server (in this JVM) on the default site and OpenLDAP slapd (a child process) on the
 * {@code cas-array} site. Per round and arm: wall time, this JVM's CPU (client, gateway and endpoints of the NSPI arm;
 * the LDAP client, and an embedded DC1, of the other), slapd's CPU when DC1 is slapd, and what else the machine did
 * ({@link MachineLoad}).
 *
 * <p>The directory is grown to {@code entries} GAL rows with the lab's generated mailboxes and the address book is
 * refreshed before the first round; one dump of each arm warms the JIT and is not reported.
 */
public final class GalDumpBench {

    /** The attributes the dump shows (display name, SMTP address, account, legacyExchangeDN), as LDAP reads them. */
    static final String[] LDAP_ATTRIBUTES = {"displayName", "proxyAddresses", "mail", "mailNickname", "legacyExchangeDN"};
    /** The GAL's filter (the lab's purportedSearch) without the hidden recipients. */
    static final String GAL_FILTER = "(&(mail=*)(|(objectClass=user)(objectClass=group))(!(msExchHideFromAddressLists=TRUE)))";

    /**
     * @param entries GAL rows to dump (the lab seeds 305; more are generated)
     * @param rounds reported rounds
     * @param page rows per NspiQueryRows call and per LDAP page
     */
    public record Settings(int entries, int rounds, int page) {
        public Settings {
            if (entries < 1 || entries > 100_000 || rounds < 1 || rounds > 50 || page < 1 || page > 1000) {
                throw new IllegalArgumentException("entries " + entries + ", rounds " + rounds + ", page " + page
                        + " (expected: 1..100000, 1..50, 1..1000)");
            }
        }
    }

    /** One arm of one round: this JVM's CPU and slapd's, both in seconds. */
    record Arm(int rows, double wallSeconds, double jvmCpuSeconds, double slapdCpuSeconds, MachineLoad.Phase load) {
        double perThousand(double seconds) {
            return seconds * 1000 * 1000 / rows; // ms per 1,000 rows
        }
    }

    private final Settings settings;
    private final LabSite site;
    private final String password;
    private final PrintWriter progress;
    /** The progress lines' language: the JVM's, as the command line's. */
    private final BenchText text = BenchText.local();
    /** DC1's slapd, or 0 when DC1 is the embedded directory in this JVM. */
    private final long slapdPid;

    public GalDumpBench(Settings settings, LabSite site, String frankysPassword, PrintWriter progress) {
        this.settings = settings;
        this.site = site;
        this.password = frankysPassword;
        this.progress = progress;
        this.slapdPid = site.replicas().containsKey("dc1") ? site.replicas().get("dc1").pid() : 0;
    }

    /**
     * Grows the directory, refreshes the address book, runs the rounds; the report as JSON. The site's gateway must
     * already serve /rpc with NTLM (Outlook Anywhere enabled and applied).
     */
    public ObjectNode run() throws Exception {
        AddressBookService book = site.addressBook().orElseThrow(() -> new IllegalStateException("the lab serves no NSPI"));
        grow(site.directory(), book);
        try (AddressBookClient client = AddressBookClient.open(options(), RpcAuth.privacy(credentials()), new Transcript())) {
            AddressBookClient.Table gal = client.table("GAL").orElseThrow();
            nspi(client, gal); // warm-up
            ldap();
            List<Arm> nspi = new ArrayList<>();
            List<Arm> ldap = new ArrayList<>();
            for (int r = 1; r <= settings.rounds(); r++) {
                nspi.add(nspi(client, gal));
                ldap.add(ldap());
                progress.println(text.get("gal.round", "round", r, "rounds", settings.rounds(), "nspi", wholeMillis(nspi.get(r - 1)), "ldap",
                        wholeMillis(ldap.get(r - 1))));
                progress.flush();
            }
            return report(nspi, ldap);
        }
    }

    /** Adds generated mailboxes until the GAL has {@code entries} rows, then reads the address book again. */
    private void grow(LdapSiteDirectory directory, AddressBookService book) throws Exception {
        int have = book.current().globalAddressList().members().size();
        if (have < settings.entries()) {
            int generated = AddressBookSeed.GENERATED_RECIPIENTS + settings.entries() - have;
            progress.println(text.get("gal.adding", "mailboxes", settings.entries() - have));
            progress.flush();
            for (Entry e : AddressBookSeed.generatedRecipients(directory.layout(), 0, generated)) {
                try {
                    directory.ldap().add(e);
                } catch (LDAPException exists) {
                    if (exists.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
                        throw exists;
                    }
                }
            }
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                AddressBook now = book.refresh().get(60, TimeUnit.SECONDS);
                if (now.globalAddressList().members().size() >= settings.entries()) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException late) {
                progress.println(text.get("gal.refresh-again", "detail", late.getCause().getMessage()));
            }
        }
        throw new IllegalStateException("the address book did not reach " + settings.entries() + " GAL rows");
    }

    private static String wholeMillis(Arm arm) {
        return String.format(java.util.Locale.ROOT, "%.0f", arm.wallSeconds() * 1000);
    }

    private NtlmCredentials credentials() {
        return NtlmCredentials.parse("FRANKYSWEB\\franky", password);
    }

    /** EX1's gateway as the lab's router leads Outlook to it: TLS with the lab's CA, NTLM. */
    private RpchClientOptions options() {
        InetSocketAddress gw = site.gateway().address();
        return RpchClientOptions.builder(CertificateRequest.OA_NAME, gw.getPort(), "EX1", 6004).trustPem(site.trustBundle())
                .addressOverride(gw.getAddress()).auth(new ProxyAuth.Ntlm(credentials(), "BENCH"))
                .timeouts(Duration.ofSeconds(60)).build();
    }

    private Arm nspi(AddressBookClient client, AddressBookClient.Table gal) throws RpchFailure {
        Start start = start();
        int[] rows = {0};
        client.dump(gal, settings.page(), e -> rows[0]++, n -> { });
        return arm(rows[0], start);
    }

    /** A paged search on one connection of the directory's pool (paging cookies belong to their connection). */
    private Arm ldap() throws LDAPException {
        LDAPConnectionPool pool = (LDAPConnectionPool) site.directory().ldap();
        LDAPConnection c = pool.getConnection();
        try {
            Start start = start();
            int rows = 0;
            ASN1OctetString cookie = null;
            do {
                SearchRequest q = new SearchRequest(site.directory().layout().domainDn(), SearchScope.SUB,
                        Filter.create(GAL_FILTER), LDAP_ATTRIBUTES);
                q.addControl(new SimplePagedResultsControl(settings.page(), cookie));
                SearchResult r = c.search(q);
                rows += r.getEntryCount();
                SimplePagedResultsControl paged = SimplePagedResultsControl.get(r);
                cookie = paged == null ? null : paged.getCookie();
            } while (cookie != null && cookie.getValueLength() > 0);
            Arm arm = arm(rows, start);
            pool.releaseConnection(c);
            return arm;
        } catch (LDAPException e) {
            pool.releaseDefunctConnection(c);
            throw e;
        }
    }

    /** Where an arm starts: this JVM's and slapd's CPU seconds, the time, the machine's counters. */
    private record Start(double jvm, double slapd, long nanos, MachineLoad.Mark mark) {
    }

    private Start start() {
        double jvm = CpuMeter.processSeconds();
        double slapd = slapdSeconds();
        return new Start(jvm, slapd, System.nanoTime(), MachineLoad.mark(jvm + slapd));
    }

    private double slapdSeconds() {
        return slapdPid == 0 ? 0 : CpuMeter.procSeconds(slapdPid);
    }

    private Arm arm(int rows, Start start) {
        double wall = (System.nanoTime() - start.nanos()) / 1e9;
        double jvm = CpuMeter.processSeconds();
        double slapd = slapdSeconds();
        return new Arm(rows, wall, jvm - start.jvm(), slapd - start.slapd(), MachineLoad.since(start.mark(), jvm + slapd));
    }

    private ObjectNode report(List<Arm> nspi, List<Arm> ldap) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("entries", settings.entries()).put("rounds", settings.rounds()).put("page", settings.page());
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("directory", slapdPid == 0 ? "embedded UnboundID in this JVM" : "OpenLDAP slapd, pid " + slapdPid);
        out.put("load_average_1min", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        ArrayNode rounds = out.putArray("rounds_detail");
        for (int i = 0; i < nspi.size(); i++) {
            ObjectNode r = rounds.addObject();
            r.set("nspi", arm(json, nspi.get(i)));
            r.set("ldap", arm(json, ldap.get(i)));
        }
        out.set("nspi_median", median(json, nspi));
        out.set("ldap_median", median(json, ldap));
        return out;
    }

    private static ObjectNode arm(ObjectMapper json, Arm a) {
        ObjectNode n = json.createObjectNode();
        n.put("rows", a.rows()).put("wall_ms", round(a.wallSeconds() * 1000))
                .put("wall_ms_per_1000_rows", round(a.perThousand(a.wallSeconds())))
                .put("jvm_cpu_ms_per_1000_rows", round(a.perThousand(a.jvmCpuSeconds())))
                .put("slapd_cpu_ms_per_1000_rows", round(a.perThousand(a.slapdCpuSeconds())))
                .put("other_cpus", round(a.load().otherCpus())).put("disturbed", a.load().disturbed());
        return n;
    }

    /** The median round by wall time, and the spread of wall time per 1,000 rows. */
    private static ObjectNode median(ObjectMapper json, List<Arm> arms) {
        List<Arm> sorted = arms.stream().sorted(Comparator.comparingDouble(Arm::wallSeconds)).toList();
        ObjectNode n = arm(json, sorted.get(sorted.size() / 2));
        n.put("wall_ms_per_1000_rows_min", round(sorted.get(0).perThousand(sorted.get(0).wallSeconds())));
        n.put("wall_ms_per_1000_rows_max", round(sorted.get(sorted.size() - 1).perThousand(sorted.get(sorted.size() - 1)
                .wallSeconds())));
        return n;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
