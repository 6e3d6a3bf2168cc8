package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.analyzer.text.TextAudit;
import dev.anywhere.server.events.EventLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's typical outputs and failures under a German locale, audited: no English word outside quotes and
 * names ({@link TextAudit#englishWords}), no sentence of the English bundle, no Java class name. Loopback-free: nothing
 * here listens.
 */
class CliInGermanTest extends CommandTestBase {

    @TempDir
    Path tmp;

    private Locale before;
    private final List<String> problems = new ArrayList<>();

    @BeforeEach
    void german() {
        before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
    }

    @AfterEach
    void back() {
        Locale.setDefault(before);
    }

    @Test
    void typicalOutputsAndFailuresAreGerman() {
        Path ca = tmp.resolve("ca");
        Path certs = tmp.resolve("certs");
        audit(0, "lab", "scenarios");
        audit(0, "cert", "ca", "--dir", ca.toString());
        audit(0, "cert", "new", "--ca-dir", ca.toString(), "--subject", "CN=oa.frankysweb.org", "--fault", "cert-expired,weak-signature",
                "--out", certs.toString());
        audit(1, "cert", "show", certs.resolve("oa.frankysweb.org.crt").toString(), "--trust", ca.resolve("ca.crt").toString());
        assertThat(out).contains("vertrauenswürdig:").contains("Warnung:");
        new EventLog(tmp.resolve("ex1")).write(EventTextTest.samples());
        audit(0, "events", "--data-dir", tmp.resolve("ex1").toString());
        assertThat(out.lines()).hasSize(EventTextTest.samples().size());
        audit(2, "events");
        audit(2, "events", "--data-dir");
        audit(2, "events", "--data-dir", "--format", "json");
        audit(2, "lab", "--data-dri", "d");
        audit(2, "events", "--data-dir", "d", "--id", "x");
        audit(2, "events", "--data-dir", "a", "--data-dir", "b");
        audit(2, "events", "--data-dir", "d", "extra");
        audit(2, "gateway", "--transport", "kqueue");
        audit(2, "analyse", "franky@frankysweb.org");
        audit(2, "rpcping");
        audit(2, "bench", "soak", "--minutes", "1", "--seconds", "60");
        audit(2, "bench");
        audit(2, "bench", "rpch", "--latency-seconds", "601");
        assertThat(err).isEqualTo("anywhere: --latency-seconds: 601.0 (erwartet: 0 oder >0..600)\n");
        audit(2, "profile", "show", "franky@frankysweb.org", "--profile-dir", tmp.toString());
        audit(2, "analyze", "frankysweb.org", "--lang", "de");
        audit(2, "gateway", "--data-dir", tmp.toString(), "--cert", "x.pem");
        audit(2, "gateway", "--data-dir", tmp.toString(), "--request-header-timeout", "soon");
        audit(2, "oa", "enable", "--server", "EX1", "--client-auth", "ntlm");
        audit(2, "cert", "new", "--ca-dir", ca.toString(), "--subject", "oa.frankysweb.org");
        audit(2, "cert", "new", "--ca-dir", ca.toString(), "--subject", "CN=oa.frankysweb.org", "--days", "0", "--out", certs.toString());
        assertThat(err).isEqualTo("anywhere: Gültigkeit in Tagen: 0 (erwartet: mindestens 1)\n");
        audit(2, "cert", "new", "--ca-dir", ca.toString(), "--subject", "CN=oa.frankysweb.org", "--key", "dsa", "--out", certs.toString());
        assertThat(err).isEqualTo("anywhere: --key: Schlüsseltyp: dsa (erwartet: rsa2048, rsa1024 oder ec256)\n");
        assertThat(problems).isEmpty();
    }

    /** A topology the lab refuses is said in German: what and where, the file's names and values as written. */
    @Test
    void badTopologiesAreRefusedInGerman() throws Exception {
        Path loopback = tmp.resolve("loopback.json");
        java.nio.file.Files.writeString(loopback, "{\"hosts\":[{\"name\":\"ex1\",\"address\":\"192.168.100.251\"}]}");
        audit(2, "lab", "up", "--data-dir", tmp.resolve("x").toString(), "--topology", loopback.toString());
        assertThat(err).isEqualTo("anywhere: Host ex1: Adresse 192.168.100.251 (erwartet: eine IPv4-Loopback-Adresse in 127.0.0.0/8)\n");
        audit(2, "lab", "up", "--data-dir", tmp.resolve("x").toString(), "--topology", "cas-arrays");
        assertThat(err).isEqualTo("anywhere: Topologie cas-arrays: nicht lesbar: „cas-arrays“ (erwartet: eine Topologiedatei oder eines "
                + "von frankysweb, cas-array)\n");
        Path srv = tmp.resolve("srv.json");
        java.nio.file.Files.writeString(srv, dev.anywhere.lab.topology.Topology.frankysweb().toJson()
                .replace("\"value\" : \"0 100 389 dc1\"", "\"value\" : \"389 dc1\""));
        audit(2, "lab", "--data-dir", tmp.resolve("y").toString(), "--topology", srv.toString());
        assertThat(err).isEqualTo("anywhere: Zone frankysweb.local auf dc1 Eintrag _ldap._tcp: SRV-Wert 389 dc1 (erwartet: "
                + "„Priorität Gewichtung Port Ziel“)\n");
        Path broken = tmp.resolve("broken.json");
        java.nio.file.Files.writeString(broken, "{\"hosts\": [ }");
        audit(2, "lab", "up", "--data-dir", tmp.resolve("x").toString(), "--topology", broken.toString());
        assertThat(err).startsWith("anywhere: Topologie " + broken + ": kein gültiges JSON in Zeile 1: „");
        assertThat(problems).isEmpty();
    }

    /** A directory that refuses the connection: our sentence in German, the LDAP result code quoted as the SDK names it. */
    @Test
    void aRefusedDirectoryIsSaidInGerman() throws Exception {
        Path password = tmp.resolve("bind.txt");
        java.nio.file.Files.writeString(password, "not-the-password\n");
        audit(Anywhere.INTERNAL, "oa", "disable", "--server", "EX1", "--directory", "ldap://127.0.0.1:1", "--bind-password-file",
                password.toString());
        assertThat(err).startsWith("anywhere: Verzeichnis ldap://127.0.0.1:1: Verbindung zu ldap://127.0.0.1:1 als ")
                .endsWith(": „connect error(91)“ (erwartet: Erfolg)\n");
        assertThat(problems).isEmpty();
    }

    /**
     * Certificate and key files that cannot be used, as the gateway and serve ({@code --cert}, {@code --key}), {@code cert show},
     * {@code --trust} and {@code --ca-dir} read them: real bad files (not PEM, an encrypted key, an Ed25519 key, another
     * certificate's key), each said in German and naming the file, never a reader's class name.
     */
    @Test
    void certificateAndKeyFileErrorsAreGerman() throws Exception {
        BadTlsFiles files = BadTlsFiles.in(tmp);
        var a = files.a();
        var b = files.b();
        Path junk = files.junk();
        Path encrypted = files.encrypted();
        Path ed25519 = files.ed25519();
        String data = tmp.resolve("data").toString();

        // the gateway and serve (whose page's TLS context TlsEngine builds too): the same checks and texts
        for (String command : new String[] {"gateway", "serve"}) {
            audit(2, command, "--data-dir", data, "--cert", junk.toString(), "--key", a.privateKey().toString());
            assertThat(err).isEqualTo("anywhere: Zertifikatsdatei " + junk + ": kein Zertifikat (erwartet: PEM-Blöcke CERTIFICATE)\n");
            audit(2, command, "--data-dir", data, "--cert", a.certificateChain().toString(), "--key", junk.toString());
            assertThat(err).isEqualTo("anywhere: Schlüsseldatei " + junk
                    + ": kein lesbarer privater Schlüssel (erwartet: ein unverschlüsselter PRIVATE-KEY-Block)\n");
            audit(2, command, "--data-dir", data, "--cert", a.certificateChain().toString(), "--key", encrypted.toString());
            assertThat(err).isEqualTo("anywhere: Schlüsseldatei " + encrypted + ": verschlüsselt (erwartet: ein unverschlüsselter PRIVATE-KEY-Block)\n");
            audit(2, command, "--data-dir", data, "--cert", a.certificateChain().toString(), "--key", ed25519.toString());
            assertThat(err).isEqualTo("anywhere: Schlüsseldatei " + ed25519 + ": weder ein RSA- noch ein EC-Schlüssel (erwartet: RSA oder EC)\n");
            audit(2, command, "--data-dir", data, "--cert", a.certificateChain().toString(), "--key", b.privateKey().toString());
            assertThat(err).isEqualTo("anywhere: Schlüsseldatei " + b.privateKey()
                    + ": nicht der Schlüssel des Zertifikats (erwartet: der private Schlüssel des ersten Zertifikats der Kette)\n");
            audit(2, command, "--data-dir", data, "--cert", tmp.resolve("missing.pem").toString(), "--key", a.privateKey().toString());
            assertThat(err).isEqualTo("anywhere: " + tmp.resolve("missing.pem") + " ist nicht lesbar\n");
        }

        audit(2, "cert", "show", junk.toString(), "--trust", a.certificateChain().toString());
        assertThat(err).isEqualTo("anywhere: Zertifikatsdatei " + junk + ": kein Zertifikat (erwartet: PEM-Blöcke CERTIFICATE oder DER)\n");
        audit(2, "cert", "show", a.certificateChain().toString(), "--trust", junk.toString());
        assertThat(err).isEqualTo("anywhere: --trust: Zertifikatsdatei " + junk + ": kein Zertifikat (erwartet: PEM-Blöcke CERTIFICATE oder DER)\n");
        audit(2, "analyze", "franky@frankysweb.org", "--lang", "de", "--trust", junk.toString());
        assertThat(err).isEqualTo("anywhere: --trust: " + junk + " enthält kein Zertifikat (erwartet: CA-Zertifikate im PEM-Format)\n");

        Path ca = tmp.resolve("ca");
        audit(0, "cert", "ca", "--dir", ca.toString());
        java.nio.file.Files.copy(encrypted, ca.resolve("ca.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        audit(2, "cert", "new", "--ca-dir", ca.toString(), "--subject", "CN=oa.frankysweb.org", "--out", tmp.resolve("certs").toString());
        assertThat(err).isEqualTo("anywhere: --ca-dir " + ca + ": Schlüsseldatei " + ca.resolve("ca.key")
                + ": der private Schlüssel ist verschlüsselt (erwartet: ein unverschlüsselter PRIVATE-KEY-Block)\n");

        assertThat(problems).isEmpty();
    }

    /**
     * The usage errors of rpcping and addressbook (their connection options), of serve (what the web module refuses) and
     * of {@code lab up} on a running lab: German, the values as given.
     */
    @Test
    void rpchServeAndLabUpUsageErrorsAreGerman() throws Exception {
        // rpcping ARGS after --rpc-proxy, and the line it must print
        String[][] rpcping = {
                {"oa.frankysweb.org", "--iterations", "0", "--iterations: 0 (erwartet: 1..1000000)"},
                {"oa.frankysweb.org", "--call", "ping", "--call: „ping“ (erwartet: is_server_listening oder inq_if_ids)"},
                {"oa.frankysweb.org", "--rpc-auth", "kerberos", "--rpc-auth: kerberos (erwartet: „none“, „connect“, „integrity“ oder „privacy“)"},
                {"oa.frankysweb.org", "--rpc-auth", "privacy", "--rpc-auth privacy braucht --user DOMAIN\\user"},
                {"oa.frankysweb.org:x", "--rpc-proxy: Port „x“ (erwartet: 1..65535)"},
                {"", "--rpc-proxy: „“ (erwartet: HOST[:PORT])"},
                {"oa.frankysweb.org", "--endpoint", "0", "--endpoint: 0 (erwartet: 6001, 6002, 6004, 593 oder ein anderer Port 1..65535)"},
                {"oa.frankysweb.org", "--timeout", "0", "--timeout: 0 (erwartet: 1..3600 Sekunden)"},
                {"oa.frankysweb.org", "--proxy-auth", "digest", "--proxy-auth: „digest“ (erwartet: „basic“, „ntlm“ oder „none“)"},
                {"oa.frankysweb.org", "--resolve", "oa.frankysweb.org", "--resolve: „oa.frankysweb.org“ (erwartet: HOST:PORT:ADDR)"},
                {"oa.frankysweb.org", "--resolve", "mail.frankysweb.org:443:127.0.0.1",
                        "--resolve: mail.frankysweb.org:443 (erwartet: oa.frankysweb.org:443, der Proxy, den es ersetzt)"},
                {"oa.frankysweb.org", "--resolve", "oa.frankysweb.org:443:localhost",
                        "--resolve: „localhost“ (erwartet: eine IPv4- oder IPv6-Adresse)"}
        };
        for (String[] c : rpcping) {
            List<String> args = new ArrayList<>(List.of("rpcping", "--rpc-proxy", c[0], "--server", "EX1"));
            args.addAll(List.of(c).subList(1, c.length - 1));
            audit(2, args.toArray(String[]::new));
            assertThat(err).as(String.join(" ", args)).isEqualTo("anywhere: " + c[c.length - 1] + "\n");
        }
        audit(2, "addressbook", "oa.frankysweb.org", "--server", "EX1");
        assertThat(err).isEqualTo("anywhere: erwartet: genau eine der Optionen --list-tables, --dump NAME, --resolve NAME\n");
        audit(2, "addressbook", "oa.frankysweb.org", "--server", "EX1", "--list-tables", "--format", "xml");
        assertThat(err).isEqualTo("anywhere: --format: „xml“ (erwartet: text oder json)\n");
        audit(2, "addressbook", "oa.frankysweb.org", "--server", "EX1", "--list-tables", "--rpc-auth", "none");
        assertThat(err).isEqualTo("anywhere: --rpc-auth „none“ (erwartet: „connect“, „integrity“ oder „privacy“; das Adressbuch weist anonyme "
                + "Aufrufer ab)\n");

        String web = tmp.resolve("web").toString();
        audit(2, "serve", "--listen", "0.0.0.0:8088", "--data-dir", web);
        assertThat(err).isEqualTo("anywhere: --listen: 0.0.0.0 ist keine Loopback-Adresse; außerhalb dieses Rechners braucht die Seite "
                + "--cert/--key (TLS) und --login-user/--login-password-file\n");
        audit(2, "serve", "--max-runs", "1", "--max-runs-per-client", "2", "--data-dir", web);
        assertThat(err).isEqualTo("anywhere: --max-runs/--max-runs-per-client: 1 Läufe, 2 je Client (erwartet: mindestens 1, und je Client "
                + "nicht mehr als insgesamt)\n");
        Path empty = java.nio.file.Files.writeString(tmp.resolve("pw"), "");
        audit(2, "serve", "--login-user", "admin", "--login-password-file", empty.toString(), "--data-dir", web);
        assertThat(err).isEqualTo("anywhere: --login-user/--login-password-file: nötig sind ein Benutzer ohne „:“ und ein nicht leeres "
                + "Kennwort\n");

        Path running = java.nio.file.Files.createDirectories(tmp.resolve("running")).toAbsolutePath();
        java.nio.file.Files.writeString(running.resolve("lab.json"), "{\"site\":\"frankysweb\",\"pid\":" + ProcessHandle.current().pid() + "}");
        audit(2, "lab", "up", "--data-dir", running.toString());
        assertThat(err).isEqualTo("anywhere: lab: läuft bereits (Prozess " + ProcessHandle.current().pid() + ", Datenverzeichnis " + running
                + "; erwartet: zuerst anywhere lab down)\n");
        assertThat(problems).isEmpty();
    }

    /**
     * The usage errors the Autodiscover client, the analyzer, the lab's DNS server and the gateway's TLS provider word
     * themselves, as keyed refusals: {@code autodiscover}'s address, {@code --resolve} (its form, port, address) and
     * ports; {@code analyze --lang de}'s {@code --resolve}, {@code --member} and {@code --array-connections};
     * {@code profile create --resolve}; zone files {@code lab dns} cannot serve; cipher suites the provider lacks.
     */
    @Test
    void autodiscoverAnalyzeLabDnsAndCipherSuiteErrorsAreGerman() throws Exception {
        String[][] autodiscover = {
                {"not-an-address", "E-Mail-Adresse: not-an-address (erwartet: Name@Domäne)"},
                {"franky@frankysweb.org", "--resolve", "oa.frankysweb.org", "--resolve: „oa.frankysweb.org“ (erwartet: HOST:PORT:ADDR)"},
                {"franky@frankysweb.org", "--resolve", "oa.frankysweb.org:https:127.0.0.1",
                        "--resolve: der Port in „oa.frankysweb.org:https:127.0.0.1“ ist keine Zahl (erwartet: HOST:PORT:ADDR)"},
                {"franky@frankysweb.org", "--resolve", "oa.frankysweb.org:443:mail.frankysweb.org",
                        "--resolve: Adresse „mail.frankysweb.org“ (erwartet: eine IPv4- oder IPv6-Adresse, kein Name)"},
                {"franky@frankysweb.org", "--https-port", "0", "--https-port: 0 (erwartet: 1..65535)"},
                {"franky@frankysweb.org", "--http-port", "65536", "--http-port: 65536 (erwartet: 1..65535)"}
        };
        for (String[] c : autodiscover) {
            List<String> args = new ArrayList<>(List.of("autodiscover"));
            args.addAll(List.of(c).subList(0, c.length - 1));
            audit(2, args.toArray(String[]::new));
            assertThat(err).as(String.join(" ", args)).isEqualTo("anywhere: " + c[c.length - 1] + "\n");
        }
        audit(2, "analyze", "franky@frankysweb.org", "--lang", "de", "--resolve", "oa.frankysweb.org:443");
        assertThat(err).isEqualTo("anywhere: --resolve: „oa.frankysweb.org:443“ (erwartet: HOST:PORT:ADDR)\n");
        audit(2, "analyze", "franky@frankysweb.org", "--lang", "de", "--member", "10.0.0.5:http");
        assertThat(err).isEqualTo("anywhere: --member: 10.0.0.5:http (erwartet: ADRESSE oder ADRESSE:PORT, Port 1..65535)\n");
        audit(2, "analyze", "franky@frankysweb.org", "--lang", "de", "--array", "--array-connections", "0");
        assertThat(err).isEqualTo("anywhere: --array-connections: 0 (erwartet: 1..64)\n");
        audit(2, "profile", "create", "franky@frankysweb.org", "--profile-dir", tmp.toString(), "--resolve", "oa.frankysweb.org:443:cafe");
        assertThat(err).isEqualTo("anywhere: --resolve: Adresse „cafe“ (erwartet: eine IPv4- oder IPv6-Adresse, kein Name)\n");
        storedProfile(tmp);
        audit(2, "profile", "connect", "franky@frankysweb.org", "--profile-dir", tmp.toString(), "--resolve", "oa.frankysweb.org:x:127.0.0.1");
        assertThat(err).isEqualTo("anywhere: --resolve: der Port in „oa.frankysweb.org:x:127.0.0.1“ ist keine Zahl (erwartet: HOST:PORT:ADDR)\n");

        // lab dns: zone files it cannot serve (nothing listens: each is refused before)
        Path parse = java.nio.file.Files.writeString(tmp.resolve("parse.zone"), "oa IN A not-an-address\n");
        audit(2, LabDnsCommandTest.labDns(parse));
        assertThat(err).startsWith("anywhere: Zonendatei " + parse + ": „").endsWith("“ (erwartet: eine Master-Datei nach RFC 1035)\n");
        Path outside = java.nio.file.Files.writeString(tmp.resolve("outside.zone"), "www.example.com. IN A 127.0.0.1\n");
        audit(2, LabDnsCommandTest.labDns(outside));
        assertThat(err).isEqualTo("anywhere: Zonendatei " + outside + ": Eintrag für www.example.com. (erwartet: ein Name in oder unter "
                + "frankysweb.org.)\n");
        Path chaos = java.nio.file.Files.writeString(tmp.resolve("chaos.zone"), "oa CH TXT \"x\"\n");
        audit(2, LabDnsCommandTest.labDns(chaos));
        assertThat(err).startsWith("anywhere: Zonendatei " + chaos + ": Klasse CH des Eintrags oa.frankysweb.org.").endsWith(" (erwartet: IN)\n");
        Path malformed = tmp.resolve("malformed.zone");
        java.nio.file.Files.writeString(malformed, "\u00b9CH TXT\n\"\"x a\u00b9CH TXT \"x\"\n", java.nio.charset.StandardCharsets.ISO_8859_1);
        audit(2, LabDnsCommandTest.labDns(malformed));
        assertThat(err).isEqualTo("anywhere: Zonendatei " + malformed + ": fehlerhafter Eintrag (erwartet: die Syntax einer Master-Datei nach "
                + "RFC 1035)\n");
        Path noNs = java.nio.file.Files.writeString(tmp.resolve("no-ns.zone"), "$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n"
                + "ns1 IN A 127.0.0.10\n");
        audit(2, LabDnsCommandTest.labDns(noNs));
        assertThat(err).startsWith("anywhere: Zone frankysweb.org.: „")
                .endsWith("“ (erwartet: ein SOA- und mindestens ein NS-Eintrag am Ursprung der Zone)\n");

        // gateway: a cipher suite the TLS provider lacks, before anything listens
        var a = BadTlsFiles.in(tmp).a();
        audit(2, "gateway", "--data-dir", tmp.resolve("data").toString(), "--cert", a.certificateChain().toString(), "--key",
                a.privateKey().toString(), "--tls-ciphers", "TLS_AES_128_GCM_SHA256,TLS_NO_SUCH_SUITE");
        assertThat(err).isEqualTo("anywhere: TLS-Cipher-Suites, die " + dev.anywhere.server.gateway.TlsEngine.describe()
                + " nicht unterstützt: TLS_NO_SUCH_SUITE\n");
        assertThat(problems).isEmpty();
    }

    /** A stored profile of franky@frankysweb.org in {@code dir}, enough for {@code profile connect} to read its options. */
    static void storedProfile(Path dir) throws java.io.IOException {
        java.time.Instant now = java.time.Instant.now();
        new dev.anywhere.analyzer.profile.ProfileStore(dir).save(new dev.anywhere.analyzer.profile.OutlookProfile("franky@frankysweb.org",
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Set.of(), 1, dev.anywhere.analyzer.profile.RefreshPolicy.OUTLOOK_2016, now, now, true, java.util.Optional.empty()));
    }

    /** Runs {@code args}, checks the exit code and audits both outputs line by line. */
    private void audit(int exit, String... args) {
        String command = String.join(" ", args);
        assertThat(run(args)).as(command + ": " + err).isEqualTo(exit);
        List<String> english = englishFragments();
        for (String line : (out + err).lines().toList()) {
            TextAudit.englishWords(line).forEach(w -> problems.add(command + ": English word '" + w + "': " + line));
            english.stream().filter(line::contains).forEach(f -> problems.add(command + ": English text '" + f + "': " + line));
            // Exchange's symbolic event names (TransientException, PermanentException) are its, not Java classes.
            String withoutEventNames = line;
            for (var id : dev.anywhere.server.events.EventId.values()) {
                withoutEventNames = withoutEventNames.replace(" " + id.symbolicName() + " ", " ");
            }
            if (Messages.CLASS_NAME.matcher(withoutEventNames).find()) {
                problems.add(command + ": a class name: " + line);
            }
        }
    }

    /** The English bundle's sentences cut at their placeholders: the parts of three words or more with an English word. */
    private static List<String> englishFragments() {
        CliText en = CliText.of("en");
        List<String> fragments = new ArrayList<>();
        for (String key : en.keys()) {
            for (String part : en.get(key).split("\\{[a-zA-Z0-9]+}")) {
                String p = part.strip();
                if (p.split("\\s+").length >= 3 && !TextAudit.englishWords(p).isEmpty()) {
                    fragments.add(p);
                }
            }
        }
        return fragments;
    }
}
