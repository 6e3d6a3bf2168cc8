package dev.anywhere.lab.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.anywhere.lab.pki.CertificateFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The topology file: round trip, validation with exact messages, faults as data, port policy, passwords. */
class TopologyTest {

    @TempDir
    Path tmp;

    @Test
    void defaultIsDesignSectionOne() {
        Topology t = Topology.frankysweb().validate();
        assertThat(t.host("provider-dns").orElseThrow().address()).isEqualTo("127.0.0.10");
        assertThat(t.host("router").orElseThrow().address()).isEqualTo("127.0.0.20");
        assertThat(t.host("dc1").orElseThrow().ports()).containsEntry(Service.LDAP, 389).containsEntry(Service.DNS, 53);
        assertThat(t.host("ex1").orElseThrow().ports()).containsEntry(Service.HTTPS, 443).containsEntry(Service.STORE, 6001)
                .containsEntry(Service.REFERRAL, 6002).containsEntry(Service.NSPI, 6004).containsEntry(Service.EPM_HTTP, 593);
        assertThat(t.router()).containsExactly(new Topology.Forward(443, "ex1:443"), new Topology.Forward(80, "ex1:80"));
    }

    @Test
    void roundTripThroughJson() throws Exception {
        Topology original = Topology.frankysweb().withFaults(new Topology.Faults(
                List.of(new Topology.DnsChange("frankysweb.org", "oa", DnsAction.REMOVE, null)),
                List.of(new Topology.RuleChange(443, RuleVariant.ROUTER_PAGE, null)), List.of(CertificateFault.EXPIRED),
                Middlebox.NGINX_STOCK));
        Path file = tmp.resolve("site.json");
        original.write(file);
        Topology read = Topology.read(file);
        assertThat(read).isEqualTo(original);
        assertThat(read.toJson()).isEqualTo(original.toJson());
    }

    @Test
    void casArrayRoundTripsAndIsNamed() throws Exception {
        Topology array = Topology.casArray().validate();
        assertThat(array.memberHosts()).containsExactly("ex1", "ex2");
        assertThat(array.router()).contains(new Topology.Forward(443, "lb:443"));
        Path file = tmp.resolve("array.json");
        array.write(file);
        assertThat(Topology.read(file)).isEqualTo(array);
        assertThat(array.toJson()).contains("\"array\" : {", "\"balancer\" : \"lb\"", "\"members\" : [ \"ex1\", \"ex2\" ]",
                "\"directories\" : [ \"dc1\", \"dc2\" ]");
        assertThat(array.array().directoryOf(0)).isEqualTo("dc1");
        assertThat(array.array().directoryOf(1)).isEqualTo("dc2");
        assertThat(Topology.named("cas-array")).contains(array);
        assertThat(Topology.named("frankysweb")).contains(Topology.frankysweb());
        assertThat(Topology.named("nosuch")).isEmpty();
        assertThat(Topology.frankysweb().toJson()).doesNotContain("array");
        assertThat(Topology.frankysweb().memberHosts()).containsExactly("ex1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "balancer not a host|{\"balancer\":\"lb2\",\"members\":[\"ex1\",\"ex2\"]}|array: balancer lb2 (expected: a host of the topology)",
        "no members|{\"balancer\":\"lb\",\"members\":[]}|array: no members (expected: the hosts of its Exchange servers, e.g. [ex1, ex2])",
        "member not a host|{\"balancer\":\"lb\",\"members\":[\"ex1\",\"ex3\"]}|array: member ex3 (expected: a host of the topology named ex<number>)",
        "member not an Exchange server|{\"balancer\":\"lb\",\"members\":[\"ex1\",\"dc1\"]}|array: member dc1 (expected: a host of the topology named ex<number>)",
        "member twice|{\"balancer\":\"lb\",\"members\":[\"ex1\",\"ex1\"]}|array: member ex1 listed twice (expected: each member once)",
        "without ex1|{\"balancer\":\"lb\",\"members\":[\"ex2\"]}|array: members [ex2] (expected: ex1 among them)",
        "three directories|{\"balancer\":\"lb\",\"members\":[\"ex1\"],\"directories\":[\"dc1\",\"dc2\",\"dc3\"]}|array: directories [dc1, dc2, dc3] (expected: none for DC1's embedded directory, or [dc1, dc2] for two replicating slapd providers)",
    })
    void badArraysAreRefusedWithTheirReason(String what, String arrayJson, String message) {
        String json = Topology.casArray().toJson().replaceFirst("\"array\" : \\{[^}]*\\}", "\"array\" : " + arrayJson);
        assertThatThrownBy(() -> Topology.parse(json, "array.json")).isInstanceOf(TopologyException.class).hasMessage(message);
    }

    @Test
    void anArrayMemberNeedsAnAdminPortAndACertificate() {
        Topology t = Topology.casArray();
        List<Topology.Host> noAdmin = t.hosts().stream().map(h -> h.name().equals("ex2")
                ? new Topology.Host("ex2", h.address(), Map.of(Service.HTTPS, 443)) : h).toList();
        assertThatThrownBy(() -> new Topology(t.name(), t.portPolicy(), noAdmin, t.zones(), t.router(), t.certificates(), t.users(),
                t.middlebox(), t.faults(), t.array()).validate()).hasMessage("host ex2: no 'admin' port (expected: e.g. \"admin\": 8081)");
        assertThatThrownBy(() -> new Topology(t.name(), t.portPolicy(), t.hosts(), t.zones(), t.router(), t.certificates().subList(0, 1),
                t.users(), t.middlebox(), t.faults(), t.array()).validate())
                .hasMessage("array: member ex2 has no certificate (expected: one with host ex2)");
    }

    @Test
    void anArrayHasNoMiddlebox() {
        Topology t = Topology.casArray().withFaults(new Topology.Faults(List.of(), List.of(), List.of(), Middlebox.NGINX_RPC));
        assertThatThrownBy(t::validate).hasMessage("fault middlebox: nginx-rpc without a host 'middlebox' (expected: a host named "
                + "middlebox with an https port)");
    }

    @Test
    void closedSetsKeepTheirJsonNames() {
        String json = Topology.frankysweb().withFaults(new Topology.Faults(
                List.of(new Topology.DnsChange("frankysweb.org", "oa", DnsAction.ADDRESS, "127.0.0.99")),
                List.of(new Topology.RuleChange(443, RuleVariant.WRONG_HOST, null)), List.of(CertificateFault.NO_AUTODISCOVER_NAME),
                Middlebox.NGINX_RPC)).toJson();
        assertThat(json).contains("\"middlebox\" : \"none\"", "\"key\" : \"rsa2048\"", "\"type\" : \"A\"", "\"type\" : \"SRV\"",
                "\"action\" : \"address\"", "\"variant\" : \"wrong-host\"", "\"certificate\" : [ \"cert-no-autodiscover\" ]",
                "\"middlebox\" : \"nginx-rpc\"", "\"mode\" : \"auto\"", "\"server\" : \"provider-dns\"", "\"epm-http\" : 593");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "loopback only|{\"hosts\":[{\"name\":\"dc1\",\"address\":\"10.0.0.1\"}]}|host dc1: address 10.0.0.1 (expected: an IPv4 loopback address in 127.0.0.0/8)",
        "unique hosts|{\"hosts\":[{\"name\":\"dc1\",\"address\":\"127.0.0.1\"},{\"name\":\"dc1\",\"address\":\"127.0.0.2\"}]}|host dc1: defined twice (expected: unique host names)",
        "required hosts|{\"hosts\":[{\"name\":\"dc1\",\"address\":\"127.0.0.1\"}]}|hosts: no 'provider-dns' (expected: provider-dns, router, dc1, ex1)",
        "unknown field|{\"hostz\":[]}|topology test: unknown field 'hostz' at hostz (expected: one of [array, certificates, faults, hosts, middlebox, name, portPolicy, router, users, zones])",
        "bad mode|{\"portPolicy\":{\"mode\":\"sometimes\",\"offset\":10000}}|topology test: portPolicy.mode: sometimes (expected: one of auto, real, shifted)",
        "numbered mode|{\"portPolicy\":{\"mode\":2,\"offset\":10000}}|topology test: portPolicy.mode: 2 (expected: one of auto, real, shifted)",
    })
    void invalidFilesAreRefusedWithExactMessages(String what, String json, String message) {
        assertThatThrownBy(() -> Topology.parse(json, "test")).isInstanceOf(TopologyException.class).hasMessage(message);
    }

    private static Topology edit(String find, String replace) {
        String json = Topology.frankysweb().toJson();
        assertThat(json).contains(find);
        return Topology.parse(json.replace(find, replace), "edited");
    }

    @Test
    void validationOfReferences() {
        assertThatThrownBy(() -> edit("\"to\" : \"ex1:443\"", "\"to\" : \"ex2:443\""))
                .hasMessage("router rule 443: target host ex2 (expected: one of [provider-dns, router, dc1, ex1, middlebox])");
        assertThatThrownBy(() -> edit("\"to\" : \"ex1:443\"", "\"to\" : \"ex1\""))
                .hasMessage("router rule 443: target ex1 (expected: host:port, e.g. ex1:443)");
        assertThatThrownBy(() -> edit("\"value\" : \"router\"", "\"value\" : \"rooter\""))
                .hasMessage("zone frankysweb.org on provider-dns record oa: address rooter (expected: a host name of the topology or an address in 127.0.0.0/8)");
        assertThatThrownBy(() -> edit("\"name\" : \"hanna\"", "\"name\" : \"bob\""))
                .hasMessage("user bob: not in the lab directory (expected: one of svc-anywhere, Administrator, franky, hanna, max)");
        assertThatThrownBy(() -> edit("\"middlebox\" : \"none\"", "\"middlebox\" : \"squid\""))
                .hasMessage("topology edited: middlebox: squid (expected: one of none, nginx-stock, nginx-rpc)");
        assertThatThrownBy(() -> edit("\"key\" : \"rsa2048\"", "\"key\" : \"dsa\""))
                .hasMessage("topology edited: certificates[0].key: dsa (expected: one of rsa2048, rsa1024, ec256)");
        assertThatThrownBy(() -> edit("\"type\" : \"SRV\"", "\"type\" : \"MX\""))
                .hasMessage("topology edited: zones[1].records[2].type: MX (expected: one of A, CNAME, SRV)");
        assertThatThrownBy(() -> edit("\"value\" : \"0 100 389 dc1\"", "\"value\" : \"389 dc1\""))
                .hasMessage("zone frankysweb.local on dc1 record _ldap._tcp: SRV value 389 dc1 (expected: \"priority weight port target\")");
    }

    @Test
    void servicesAndZoneServersAreClosedSets() {
        // a misspelt service was a port nobody started; a zone on another host was refused only after parsing
        assertThatThrownBy(() -> edit("\"epm-http\" : 593", "\"epm-htp\" : 593"))
                .hasMessage("topology edited: hosts[3].ports: epm-htp (expected: one of dns, ldap, https, http, admin, store, "
                        + "referral, nspi, epm-http)");
        assertThatThrownBy(() -> edit("\"server\" : \"provider-dns\"", "\"server\" : \"dc2\""))
                .hasMessage("topology edited: zones[0].server: dc2 (expected: one of provider-dns, dc1)");
        Topology t = Topology.frankysweb();
        assertThatThrownBy(() -> new Topology(t.name(), t.portPolicy(), t.hosts(), List.of(new Topology.Zone("frankysweb.org", null,
                List.of())), t.router(), t.certificates(), t.users(), t.middlebox(), t.faults()).validate())
                .hasMessage("zone frankysweb.org: no server (expected: one of provider-dns, dc1)");
    }

    @Test
    void aPortPolicyModeMayBeWrittenInAnyCase() {
        // files written before the mode was an enum said "AUTO" or "Shifted" and stay valid
        assertThat(edit("\"mode\" : \"auto\"", "\"mode\" : \"Shifted\"").portPolicy()).isEqualTo(PortPolicy.SHIFTED);
        assertThat(edit("\"mode\" : \"auto\"", "\"mode\" : \"REAL\"").portPolicy()).isEqualTo(PortPolicy.REAL);
    }

    @Test
    void faultValidation() {
        Topology t = Topology.frankysweb();
        assertThatThrownBy(() -> t.withFaults(new Topology.Faults(List.of(), List.of(new Topology.RuleChange(8443, RuleVariant.ABSENT, null)),
                List.of(), null)).validate()).hasMessage("fault router 8443: no rule for this port (expected: one of [443, 80])");
        assertThatThrownBy(() -> t.withFaults(new Topology.Faults(List.of(), List.of(new Topology.RuleChange(443, null, null)),
                List.of(), null)).validate())
                .hasMessage("fault router 443: no variant (expected: one of forward, absent, wrong-host, router-page)");
        assertThatThrownBy(() -> t.withFaults(new Topology.Faults(List.of(new Topology.DnsChange("example.org", "oa", DnsAction.REMOVE, null)),
                List.of(), List.of(), null)).validate())
                .hasMessage("fault dns example.org oa: no such zone (expected: the origin of a zone of the topology)");
        assertThatThrownBy(() -> t.withFaults(new Topology.Faults(List.of(new Topology.DnsChange("frankysweb.org", "oa", null, null)),
                List.of(), List.of(), null)).validate())
                .hasMessage("fault dns frankysweb.org oa: no action (expected: one of remove, address)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "router variant|{\"router\":[{\"port\":443,\"variant\":\"closed\"}]}|faults.router[0].variant: closed (expected: one of forward, absent, wrong-host, router-page)",
        "dns action|{\"dns\":[{\"zone\":\"frankysweb.org\",\"name\":\"oa\",\"action\":\"rename\"}]}|faults.dns[0].action: rename (expected: one of remove, address)",
        "certificate fault|{\"certificate\":[\"cert-expired\",\"cert-revoked\"]}|faults.certificate[1]: cert-revoked (expected: one of cert-self-signed, cert-expired, cert-not-yet-valid, cert-no-autodiscover, cert-internal-names, cert-weak-key, cert-weak-signature, cert-missing-intermediate)",
        "fault middlebox|{\"middlebox\":\"squid\"}|faults.middlebox: squid (expected: one of none, nginx-stock, nginx-rpc)",
        "numbered middlebox|{\"middlebox\":1}|faults.middlebox: 1 (expected: one of none, nginx-stock, nginx-rpc)",
        "empty variant|{\"router\":[{\"port\":443,\"variant\":\"\"}]}|faults.router[0].variant:  (expected: one of forward, absent, wrong-host, router-page)",
        "upper-case key name|{\"certificate\":[\"CERT-EXPIRED\"]}|faults.certificate[0]: CERT-EXPIRED (expected: one of cert-self-signed, cert-expired, cert-not-yet-valid, cert-no-autodiscover, cert-internal-names, cert-weak-key, cert-weak-signature, cert-missing-intermediate)",
    })
    void badFaultValuesNameTheAllowedOnes(String what, String faults, String message) {
        assertThatThrownBy(() -> Topology.parse("{\"faults\":" + faults + "}", "test")).isInstanceOf(TopologyException.class)
                .hasMessage("topology test: " + message);
    }

    @Test
    void faultsAreAppliedAsData() {
        Topology broken = Topology.frankysweb().withFaults(new Topology.Faults(
                List.of(new Topology.DnsChange("frankysweb.org", "oa", DnsAction.REMOVE, null),
                        new Topology.DnsChange("frankysweb.org", "autodiscover", DnsAction.ADDRESS, "127.0.0.99")),
                List.of(new Topology.RuleChange(443, RuleVariant.WRONG_HOST, null), new Topology.RuleChange(80, RuleVariant.ABSENT, null)),
                List.of(CertificateFault.EXPIRED, CertificateFault.NO_AUTODISCOVER_NAME), Middlebox.NGINX_RPC)).withFaultsApplied();
        Topology.Zone provider = broken.zones().get(0);
        assertThat(provider.records()).containsExactly(new Topology.DnsRecord("autodiscover", RecordType.A, "127.0.0.99"));
        // DC1's split-brain copy of the same zone is left alone: the fault is what the internet sees
        assertThat(broken.zones().get(2).records()).contains(new Topology.DnsRecord("oa", RecordType.A, "ex1"));
        assertThat(broken.ruleVariants()).isEqualTo(Map.of(
                443, new Topology.RuleChange(443, RuleVariant.WRONG_HOST, "dc1:443"),
                80, new Topology.RuleChange(80, RuleVariant.ABSENT, null)));
        assertThat(broken.certificateFaults()).containsExactlyInAnyOrder(CertificateFault.EXPIRED, CertificateFault.NO_AUTODISCOVER_NAME);
        assertThat(broken.middlebox()).isEqualTo(Middlebox.NGINX_RPC);
    }

    @Test
    void portPolicy() {
        assertThat(PortMap.of(PortPolicy.AUTO, true).port(443)).isEqualTo(443);
        assertThat(PortMap.of(PortPolicy.AUTO, false).port(443)).isEqualTo(10443);
        assertThat(PortMap.of(PortPolicy.AUTO, false).port(53)).isEqualTo(10053);
        assertThat(PortMap.of(PortPolicy.AUTO, false).port(6001)).as("ports above 1023 stay").isEqualTo(6001);
        assertThat(PortMap.of(PortPolicy.SHIFTED, true).port(389)).isEqualTo(10389);
        assertThat(PortMap.of(PortPolicy.REAL, false).port(389)).isEqualTo(389);
        assertThat(PortMap.of(PortPolicy.shifted(20000), true).socket(Topology.frankysweb(), "ex1", Service.HTTPS))
                .hasToString("/127.0.100.251:20443");
        assertThatThrownBy(() -> PortPolicy.shifted(80)).hasMessage("port policy offset: 80 (expected: 1024..64000)");
    }

    @Test
    void passwordsAreGeneratedOnceAndKeptOwnerOnly() throws Exception {
        Topology t = Topology.frankysweb();
        Passwords first = Passwords.load(t, tmp);
        Passwords second = Passwords.load(t, tmp);
        assertThat(second.byUser()).isEqualTo(first.byUser()).containsOnlyKeys(Topology.SEEDED_USERS);
        assertThat(first.of("franky")).startsWith("Lab-").hasSize(22);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve(Passwords.FILE_NAME))))
                .isEqualTo("rw-------");
        assertThat(first.toString()).doesNotContain(first.of("franky"));
        Topology given = edit("\"name\" : \"franky\"", "\"name\" : \"franky\", \"password\" : \"Given-Pass-1\"");
        assertThat(Passwords.load(given, tmp).of("franky")).isEqualTo("Given-Pass-1");
    }
}
