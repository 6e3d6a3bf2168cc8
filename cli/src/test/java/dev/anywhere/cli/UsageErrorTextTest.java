package dev.anywhere.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * picocli's usage errors, each kind, in both languages: English says word for word what picocli says (so nothing
 * changes for English users and scripts), German says it in German, and both keep exit code 2, picocli's suggestions
 * and the pointer to --help.
 */
class UsageErrorTextTest {

    @Test
    void aMissingOption() {
        assertUsageError(new String[] {"events"}, picocli(CommandLine.MissingParameterException.class, "events"),
                "anywhere: Missing required option: '--data-dir=DIR'\nTry 'anywhere events --help'.\n",
                "anywhere: Pflichtoption fehlt: „--data-dir=DIR“\nHilfe: 'anywhere events --help'.\n");
    }

    @Test
    void twoMissingOptions() {
        assertUsageError(new String[] {"rpcping"}, null,
                "anywhere: Missing required options: '--rpc-proxy=HOST[:PORT]', '--server=NAME'\nTry 'anywhere rpcping --help'.\n",
                "anywhere: Pflichtoptionen fehlen: „--rpc-proxy=HOST[:PORT]“, „--server=NAME“\nHilfe: 'anywhere rpcping --help'.\n");
    }

    @Test
    void aMissingParameter() {
        assertUsageError(new String[] {"profile", "show"}, picocli(CommandLine.MissingParameterException.class, "profile", "show"),
                "anywhere: Missing required parameter: 'EMAIL'\nTry 'anywhere profile show --help'.\n",
                "anywhere: Pflichtparameter fehlt: „EMAIL“\nHilfe: 'anywhere profile show --help'.\n");
    }

    @Test
    void anOptionWithoutItsValue() {
        assertUsageError(new String[] {"events", "--data-dir"}, picocli(CommandLine.MissingParameterException.class, "events", "--data-dir"),
                "anywhere: Missing required parameter for option '--data-dir' (DIR)\nTry 'anywhere events --help'.\n",
                "anywhere: Option „--data-dir“ braucht einen Wert (DIR)\nHilfe: 'anywhere events --help'.\n");
        assertUsageError(new String[] {"events", "--data-dir", "--format", "json"},
                picocli(CommandLine.MissingParameterException.class, "events", "--data-dir", "--format", "json"),
                "anywhere: Expected parameter for option '--data-dir' but found '--format'\nTry 'anywhere events --help'.\n",
                "anywhere: Option „--data-dir“ braucht einen Wert, gefunden: „--format“\nHilfe: 'anywhere events --help'.\n");
    }

    @Test
    void unknownOptionsWithPicocliSuggestions() {
        assertUsageError(new String[] {"lab", "--data-dri", "d"}, picocli(CommandLine.UnmatchedArgumentException.class, "lab", "--data-dri", "d"),
                "anywhere: Unknown options: '--data-dri', 'd'\nPossible solutions: --data-dir\nTry 'anywhere lab --help'.\n",
                "anywhere: Unbekannte Optionen: „--data-dri“, „d“\nMögliche Optionen: --data-dir\nHilfe: 'anywhere lab --help'.\n");
        assertUsageError(new String[] {"events", "--data-dir", "d", "--zzz"},
                picocli(CommandLine.UnmatchedArgumentException.class, "events", "--data-dir", "d", "--zzz"),
                "anywhere: Unknown option: '--zzz'\nTry 'anywhere events --help'.\n",
                "anywhere: Unbekannte Option: „--zzz“\nHilfe: 'anywhere events --help'.\n");
    }

    @Test
    void unmatchedArgumentsAndAMistypedCommand() {
        assertUsageError(new String[] {"events", "--data-dir", "d", "extra"},
                picocli(CommandLine.UnmatchedArgumentException.class, "events", "--data-dir", "d", "extra"),
                "anywhere: Unmatched argument at index 3: 'extra'\nTry 'anywhere events --help'.\n",
                "anywhere: Unerwartetes Argument an Position 3: „extra“\nHilfe: 'anywhere events --help'.\n");
        assertUsageError(new String[] {"analyse", "franky@frankysweb.org"}, null,
                "anywhere: Unmatched arguments from index 0: 'analyse', 'franky@frankysweb.org'\n"
                        + "Did you mean: anywhere analyze or anywhere serve or anywhere servicehost?\nTry 'anywhere --help'.\n",
                "anywhere: Unerwartete Argumente ab Position 0: „analyse“, „franky@frankysweb.org“\n"
                        + "Meinten Sie: anywhere analyze oder anywhere serve oder anywhere servicehost?\nHilfe: 'anywhere --help'.\n");
    }

    @Test
    void anInvalidNumber() {
        assertUsageError(new String[] {"events", "--data-dir", "d", "--id", "x"},
                picocli(CommandLine.ParameterException.class, "events", "--data-dir", "d", "--id", "x"),
                "anywhere: Invalid value for option '--id': 'x' is not an int\nTry 'anywhere events --help'.\n",
                "anywhere: Ungültiger Wert für Option „--id“: „x“ ist keine ganze Zahl\nHilfe: 'anywhere events --help'.\n");
    }

    /** A value the command line's own converter refuses: its reason, in the user's language. */
    @Test
    void aValueOurConverterRefuses() {
        String[] args = {"gateway", "--transport", "kqueue"};
        assertUsageError(args, picocli(CommandLine.ParameterException.class, args),
                "anywhere: Invalid value for option '--transport': transport: 'kqueue' (expected: auto, epoll, io_uring or nio)\n"
                        + "Try 'anywhere gateway --help'.\n",
                "anywhere: Ungültiger Wert für Option „--transport“: Transport: „kqueue“ (erwartet: auto, epoll, io_uring oder nio)\n"
                        + "Hilfe: 'anywhere gateway --help'.\n");
    }

    @Test
    void mutuallyExclusiveOptions() {
        String[] args = {"bench", "soak", "--minutes", "1", "--seconds", "60"};
        assertUsageError(args, picocli(CommandLine.MutuallyExclusiveArgsException.class, args),
                "anywhere: Error: --minutes=N, --seconds=S are mutually exclusive (specify only one)\nTry 'anywhere bench soak --help'.\n",
                "anywhere: --minutes=N, --seconds=S schließen einander aus (nur eine angeben)\nHilfe: 'anywhere bench soak --help'.\n");
    }

    @Test
    void anOptionGivenTwice() {
        String[] args = {"events", "--data-dir", "a", "--data-dir", "b"};
        assertUsageError(args, picocli(CommandLine.OverwrittenOptionException.class, args),
                "anywhere: option '--data-dir' (DIR) should be specified only once\nTry 'anywhere events --help'.\n",
                "anywhere: Option „--data-dir“ (DIR) darf nur einmal angegeben werden\nHilfe: 'anywhere events --help'.\n");
    }

    /** A kind this class does not know: English keeps picocli's sentence, German says so in general instead of quoting it. */
    @Test
    void anUnknownKindNamesTheCommand() {
        CommandLine cl = Anywhere.commandLine(new String[] {"events"});
        CommandLine.ParameterException e = new CommandLine.ParameterException(cl, "Something new went wrong");
        assertThat(new UsageErrorText(CliText.of("en")).sentence(e)).isEqualTo("Something new went wrong");
        assertThat(new UsageErrorText(CliText.of("de")).sentence(e)).isEqualTo("die Argumente passen nicht zum Befehl");
    }

    /**
     * Runs {@code args} in English and in German: exit 2 and exactly the expected lines each; in English the sentence is
     * picocli's own message (when {@code picocliMessage} is given).
     */
    private static void assertUsageError(String[] args, String picocliMessage, String english, String german) {
        assertThat(run(Locale.US, args)).isEqualTo(english);
        assertThat(run(Locale.GERMANY, args)).isEqualTo(german);
        if (picocliMessage != null) {
            assertThat(english).startsWith("anywhere: " + picocliMessage + "\n");
        }
    }

    /** The message picocli itself gives when parsing {@code args}, checked to be of {@code kind}. */
    private static String picocli(Class<? extends CommandLine.ParameterException> kind, String... args) {
        CommandLine.ParameterException e = catchThrowableOfType(() -> Anywhere.commandLine(args).parseArgs(args),
                CommandLine.ParameterException.class);
        assertThat(e).isInstanceOf(kind);
        return e.getMessage();
    }

    private static String run(Locale locale, String... args) {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(locale);
            StringWriter err = new StringWriter();
            CommandLine cl = Anywhere.commandLine(args);
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(err));
            assertThat(cl.execute(args)).isEqualTo(Anywhere.USAGE);
            return err.toString();
        } finally {
            Locale.setDefault(before);
        }
    }
}
