package dev.anywhere.server.nspi;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import dev.anywhere.directory.addressbook.AddressBook;
import dev.anywhere.directory.addressbook.LdapAddressBookLoader;
import dev.anywhere.directory.ldap.AddressBookSeed;
import dev.anywhere.directory.ldap.DirectorySchema;
import dev.anywhere.directory.ldap.LdapSettings;
import dev.anywhere.directory.ldap.LdapSiteDirectory;
import dev.anywhere.directory.ldap.SiteLayout;
import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.ldap.SiteSeeder;
import dev.anywhere.rpc.dce.ContextHandle;
import dev.anywhere.rpc.nspi.Nspi;
import dev.anywhere.rpc.nspi.NspiCalls;
import dev.anywhere.rpc.nspi.PropertyTagArray;
import dev.anywhere.rpc.nspi.Stat;
import dev.anywhere.rpc.wire.Octets;
import dev.anywhere.server.endpoints.AssociationScope;
import dev.anywhere.server.endpoints.CallSecurity;
import dev.anywhere.server.endpoints.RpcCall;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Not a test: the GAL-dump measurement of docs/performance.md, run by hand with
 * {@code -Dnspi.measure=10000} (skipped otherwise). Prints wall time and this thread's CPU time per 1,000 rows for
 * exchanger's MINIMAL dump (QueryRows, 50 rows a call, request decoded and response encoded and decoded as on the
 * wire, without RPC over HTTP and sealing) and for an LDAP paged search of the same entries and attributes over
 * loopback.
 */
class GalDumpMeasurement {

    private static final List<Integer> MINIMAL = List.of(0x3a00001f, 0x39fe001f, 0x80270102, 0x30070040, 0x30080040,
            0x8c6d0102);
    private static final String[] LDAP_ATTRIBUTES = {"mailNickname", "mail", "objectSid", "createTimestamp",
        "modifyTimestamp", "objectGUID"};

    @Test
    void measure() throws Exception {
        int entries = Integer.getInteger("nspi.measure", 0);
        assumeTrue(entries > 0, "run with -Dnspi.measure=10000");
        SiteLayout layout = new SiteLayout(SiteSeed.FRANKYSWEB);
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(layout.domainDn());
        config.setSchema(DirectorySchema.unboundIdSchema());
        config.addAdditionalBindCredentials("cn=Directory Manager", "measure");
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
        server.startListening();
        URI url = URI.create("ldap://127.0.0.1:" + server.getListenPort());
        try (LdapSiteDirectory directory = LdapSiteDirectory.connect(LdapSettings.of(url, "cn=Directory Manager",
                "measure", SiteSeed.FRANKYSWEB))) {
            SiteSeeder.createSkeleton(directory.ldap(), layout);
            server.addEntries(AddressBookSeed.containers(layout));
            List<Entry> users = AddressBookSeed.generatedRecipients(layout, 0, entries);
            server.addEntries(users);
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();

            long t0 = System.nanoTime();
            long c0 = cpu.getCurrentThreadCpuTime();
            AddressBook book = new LdapAddressBookLoader(directory).load(new dev.anywhere.directory.addressbook.MidAllocator());
            report("snapshot load (LDAP search + model)", book.recipients().size(), t0, c0);

            NspiService service = new NspiService(() -> book, UUID.randomUUID());
            AssociationScope scope = new AssociationScope();
            InetSocketAddress here = new InetSocketAddress("127.0.0.1", 6004);
            CallSecurity caller = new CallSecurity(CallSecurity.Level.PRIVACY, "franky", "FRANKYSWEB");
            java.util.function.BiFunction<Integer, Octets, Octets> call = (opnum, stub) -> service.invoke(new RpcCall(
                    Nspi.INTERFACE, opnum, stub, Optional.empty(), 1, RpcCall.Transport.NCACN_HTTP_V2, here, here, caller, scope));
            for (int round = 0; round < 3; round++) { // the third round is reported: JIT warm
                ContextHandle h = NspiCalls.BindResult.decode(call.apply(0, new NspiCalls.Bind(0,
                        Stat.start(Nspi.CP_TELETEX, 0x409), Optional.empty()).encode())).handle();
                t0 = System.nanoTime();
                c0 = cpu.getCurrentThreadCpuTime();
                Stat stat = Stat.start(Nspi.CP_TELETEX, 0x409);
                int rows = 0;
                long bytes = 0;
                while (stat.currentRec() != Stat.MID_END_OF_TABLE) {
                    Octets response = call.apply(3, new NspiCalls.QueryRows(h, 1, stat, Optional.empty(), 50,
                            Optional.of(new PropertyTagArray(MINIMAL))).encode());
                    bytes += response.length();
                    NspiCalls.RowsResult r = NspiCalls.RowsResult.decode(response);
                    rows += r.rows().orElseThrow().rows().size();
                    stat = r.stat();
                }
                if (round == 2) {
                    report("NSPI QueryRows MINIMAL, 50 per call (" + bytes / rows + " response bytes per row)", rows, t0, c0);
                }
            }

            for (int round = 0; round < 3; round++) {
                t0 = System.nanoTime();
                c0 = cpu.getCurrentThreadCpuTime();
                int rows = 0;
                com.unboundid.asn1.ASN1OctetString cookie = null;
                do {
                    SearchRequest q = new SearchRequest(layout.domainDn(), SearchScope.SUB,
                            Filter.createPresenceFilter("mail"), LDAP_ATTRIBUTES);
                    q.addControl(new SimplePagedResultsControl(50, cookie));
                    SearchResult r = directory.ldap().search(q);
                    rows += r.getEntryCount();
                    SimplePagedResultsControl page = SimplePagedResultsControl.get(r);
                    cookie = page == null ? null : page.getCookie();
                } while (cookie != null && cookie.getValueLength() > 0);
                if (round == 2) {
                    report("LDAP paged search, 50 per page, same attributes", rows, t0, c0);
                }
            }
        } finally {
            server.shutDown(true);
        }
    }

    private static void report(String what, int rows, long wallStart, long cpuStart) {
        double wallMs = (System.nanoTime() - wallStart) / 1e6;
        double cpuMs = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e6;
        System.out.printf("MEASURE %-75s rows %6d  wall %8.1f ms (%6.2f ms / 1000 rows)  cpu %8.1f ms (%6.2f ms / 1000 rows)%n",
                what, rows, wallMs, wallMs * 1000 / rows, cpuMs, cpuMs * 1000 / rows);
    }
}
