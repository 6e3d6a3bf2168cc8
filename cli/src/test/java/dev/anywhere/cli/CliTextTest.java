package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.analyzer.text.Placeholders;
import dev.anywhere.analyzer.text.TextAudit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** The command line's bundle: complete in both languages, German really German, and chosen by --lang or the JVM's locale. */
class CliTextTest {

    private static final CliText EN = CliText.of("en");
    private static final CliText DE = CliText.of("de");

    /** Texts that are only commands, options and tokens, the same in every language. */
    private static final Set<String> SAME_IN_BOTH = Set.of("rpcping.start", "rpcping.route.call", "error", "lab.status.ok",
            "cert.subject-or-key-bad", "cert.show-failed", "cert.ca-dir-bad", "cert.key-bad");

    @Test
    void everyKeyHasATextInBothLanguagesAndGermanIsNotTheEnglish() {
        assertThat(DE.keys()).isEqualTo(EN.keys());
        // A key missing in messages_de.properties falls back to the English text, which the inequality below catches.
        for (String key : EN.keys()) {
            String en = EN.get(key);
            String de = DE.get(key);
            assertThat(en).as(key).isNotBlank();
            assertThat(de).as(key).isNotBlank();
            if (!SAME_IN_BOTH.contains(key)) {
                assertThat(de).as("German text of %s equals the English", key).isNotEqualTo(en);
            }
            assertThat(new HashSet<>(Placeholders.names(en))).as("placeholders of %s", key)
                    .containsAll(Placeholders.names(de));
            assertThat(Messages.CLASS_NAME.matcher(en).find()).as("class name in %s", key).isFalse();
            assertThat(Messages.CLASS_NAME.matcher(de).find()).as("class name in %s (de)", key).isFalse();
        }
    }

    /** Every placeholder a text names is filled (a name with digits, like {p99}, once stayed as it was). */
    @Test
    void everyPlaceholderIsFilledInBothLanguages() {
        for (CliText text : new CliText[] {EN, DE}) {
            for (String key : text.keys()) {
                java.util.Map<String, Object> values = new java.util.HashMap<>();
                Placeholders.names(EN.get(key)).forEach(n -> values.put(n, "X"));
                assertThat(text.get(key, values)).as(key).doesNotContainPattern("\\{[a-zA-Z][a-zA-Z0-9]*}");
            }
        }
        assertThat(EN.get("rpcping.calls.many", java.util.Map.of("count", 2, "call", "inq_if_ids", "min", "1 ms", "median", "2 ms",
                "p99", "3 ms"))).isEqualTo("Completed 2 inq_if_ids calls: min 1 ms, median 2 ms, p99 3 ms");
    }

    @Test
    void analyzeSpeaksItsLangAndEnglishIsTheDefault() {
        StringWriter err = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("analyze", "frankysweb.org", "--lang", "de")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("anywhere: Autodiscover braucht eine E-Mail-Adresse; für eine Domäne --rpc-proxy "
                + "angeben (manueller Modus)\n");
    }

    @Test
    void commandsWithoutLangFollowTheJvmLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(scenarios()).startsWith("SZENARIO").contains("Eines ausführen: anywhere lab --scenario NAME");
            Locale.setDefault(Locale.US);
            assertThat(scenarios()).startsWith("SCENARIO").contains("Run one: anywhere lab --scenario NAME");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void profileSpeaksTheJvmsLanguage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            StringWriter err = new StringWriter();
            CommandLine cl = Anywhere.commandLine();
            cl.setErr(new PrintWriter(err));
            assertThat(cl.execute("profile", "show", "franky@frankysweb.org", "--profile-dir", dir.toString())).isEqualTo(2);
            assertThat(err.toString()).isEqualTo("anywhere: kein Profil für franky@frankysweb.org in " + dir
                    + " (eines anlegen mit 'anywhere profile create franky@frankysweb.org')\n");
        } finally {
            Locale.setDefault(before);
        }
    }

    /** Commands without --lang follow a German locale: usage errors, picocli's pointer to --help, a role's listen error. */
    @Test
    void theCommandsSpeakGermanUnderAGermanLocale(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertThat(errors(Locale.GERMANY, "events", "--data-dir", dir.toString(), "--format", "xml"))
                .isEqualTo("anywhere: --format: „xml“ (erwartet: table oder json)\n");
        assertThat(errors(Locale.GERMANY, "cert", "show", dir.resolve("nothing").toString()))
                .isEqualTo("anywhere: cert show: " + dir.resolve("nothing") + " (erwartet: eine vorhandene Datei oder HOST:PORT)\n");
        assertThat(errors(Locale.GERMANY, "gateway", "--data-dir", dir.toString(), "--cert", "x.pem"))
                .isEqualTo("anywhere: --cert und --key gehören zusammen\n");
        assertThat(errors(Locale.GERMANY, "analyse")).endsWith("Hilfe: 'anywhere --help'.\n");
        assertThat(errors(Locale.US, "events", "--data-dir", dir.toString(), "--format", "xml"))
                .isEqualTo("anywhere: --format: 'xml' (expected: table or json)\n");
        assertThat(in(Locale.GERMANY, () -> Roles.cannotListen("gateway", "127.0.0.1:8443", 8443,
                new java.net.BindException("Address already in use"))))
                .isEqualTo("gateway: kann nicht auf 127.0.0.1:8443 lauschen: die Adresse wird schon von einem anderen Prozess benutzt");
    }

    /** What {@code work} returns with {@code locale} as the JVM's (the command line chooses its bundles when built). */
    private static <T> T in(Locale locale, java.util.function.Supplier<T> work) {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(locale);
            return work.get();
        } finally {
            Locale.setDefault(before);
        }
    }

    /** Standard error of a command that fails, run under {@code locale}. */
    private static String errors(Locale locale, String... args) {
        return in(locale, () -> {
            StringWriter err = new StringWriter();
            CommandLine cl = Anywhere.commandLine(args);
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(err));
            assertThat(cl.execute(args)).isNotZero();
            return err.toString();
        });
    }

    /**
     * Every command's --help, built in English and in German as the JVM's locale chooses: each visible command and
     * option has a text in both (a key missing from a bundle leaves it blank), the German text is not the English one,
     * has no English words and names no Java class, and picocli's own headings and standard options are German too.
     */
    @Test
    void everyCommandsHelpIsCompleteInBothLanguages() {
        Map<String, String> en = helpTexts(Locale.ENGLISH);
        Map<String, String> de = helpTexts(Locale.GERMAN);
        assertThat(de.keySet()).isEqualTo(en.keySet());
        assertThat(en).hasSizeGreaterThan(200);
        List<String> problems = new ArrayList<>();
        en.forEach((where, english) -> {
            String german = de.get(where);
            if (english.isBlank() || german.isBlank()) {
                problems.add(where + ": no text (en '" + english + "', de '" + german + "')");
            } else if (german.equals(english)) {
                problems.add(where + ": German equals English: " + english);
            }
            TextAudit.englishWords(german).forEach(w -> problems.add(where + ": English word '" + w + "': " + german));
            if (Messages.CLASS_NAME.matcher(english + german).find()) {
                problems.add(where + ": a Java class name: " + english);
            }
        });
        assertThat(problems).isEmpty();
        String germanHelp = usage(Locale.GERMAN, "lab", "up", "--help");
        assertThat(germanHelp).startsWith("Aufruf: anywhere lab up").contains("Diese Hilfe zeigen und beenden.")
                .doesNotContain("Usage", "Show this help");
        assertThat(usage(Locale.GERMAN, "--help")).contains("Befehle:", "Exit-Codes:", "Bedienfehler");
    }

    /** The English help of a command with subcommands, as before its texts moved to the bundles (tests pin this). */
    @Test
    void englishHelpIsUnchanged() {
        assertThat(usage(Locale.ENGLISH, "cert", "--help")).isEqualTo("""
                Usage: anywhere cert [-hV] [COMMAND]
                The lab certificate authority: create a CA, issue server certificates (PEM,
                PKCS#12, trust bundle), show a certificate file or what a TLS server presents.
                  -h, --help      Show this help message and exit.
                  -V, --version   Print version information and exit.
                Commands:
                  ca    Create the lab CA in DIR (ca.crt, ca.key 0600), or show the one already
                          there.
                  new   Issue a server certificate (like New-ExchangeCertificate -SubjectName
                          -DomainName): NAME.crt (chain), NAME.key (0600), NAME.pfx (PKCS#12)
                          and ca-bundle.pem in --out.
                  show  Describe a certificate (PEM or DER file) or the chain a TLS server
                          presents (HOST:PORT): names, validity, key, chain, and whether the
                          lab CA trusts it.
                """);
    }

    /** Every text of every visible command's help, by where it appears ("anywhere lab up --data-dir"). */
    private static Map<String, String> helpTexts(Locale locale) {
        return in(locale, () -> {
            Map<String, String> texts = new LinkedHashMap<>();
            collect(Anywhere.commandLine(), texts);
            return texts;
        });
    }

    private static void collect(CommandLine cl, Map<String, String> texts) {
        CommandSpec spec = cl.getCommandSpec();
        if (spec.usageMessage().hidden()) {
            return;
        }
        texts.put(spec.qualifiedName(), String.join(" ", spec.usageMessage().description()) + String.join(" ", spec.usageMessage().header()));
        spec.usageMessage().exitCodeList().forEach((code, text) -> texts.put(spec.qualifiedName() + " exit " + code.strip(), text));
        List<ArgSpec> args = new ArrayList<>(spec.options());
        args.addAll(spec.positionalParameters());
        for (ArgSpec a : args) {
            if (!a.hidden()) {
                String name = a instanceof CommandLine.Model.OptionSpec o ? o.longestName() : a.paramLabel();
                texts.put(spec.qualifiedName() + " " + name, String.join(" ", a.renderedDescription()));
            }
        }
        new java.util.LinkedHashSet<>(cl.getSubcommands().values()).forEach(sub -> collect(sub, texts));
    }

    /** Standard output of a command that succeeds (--help), run under {@code locale}. */
    private static String usage(Locale locale, String... args) {
        return in(locale, () -> {
            StringWriter out = new StringWriter();
            CommandLine cl = Anywhere.commandLine(args);
            cl.setOut(new PrintWriter(out));
            assertThat(cl.execute(args)).isZero();
            return out.toString();
        });
    }

    private static String scenarios() {
        StringWriter out = new StringWriter();
        CommandLine cl = Anywhere.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("lab", "scenarios")).isEqualTo(0);
        return out.toString();
    }
}
