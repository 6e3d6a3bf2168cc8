package dev.anywhere.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Cold start: a command line for one subcommand builds that subcommand's model only; help still lists them all. */
class LazySubcommandsTest {

    private static final List<String> ALL = List.of("lab", "analyze", "profile", "cert", "oa", "provider", "directory", "servicehost",
            "gateway", "autodiscover", "endpoints", "rpcping", "addressbook", "events", "bench", "serve", "help");

    @Test
    void analyzeBuildsOnlyAnalyze() {
        assertEquals(List.of("analyze"), List.copyOf(Anywhere.commandLine(new String[] {"analyze", "franky@frankysweb.org"})
                .getSubcommands().keySet()));
    }

    @Test
    void noArgumentsHelpAndUnknownNamesBuildEveryCommandInHelpOrder() {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"help", "analyze"}, new String[] {"analyse"})) {
            assertEquals(ALL, List.copyOf(Anywhere.commandLine(args).getSubcommands().keySet()), String.join(" ", args));
        }
    }

    @Test
    void aTypoStillGetsTheUsageErrorNamingTheCommandLine() {
        String[] args = {"analyse", "franky@frankysweb.org"};
        CommandLine cl = Anywhere.commandLine(args);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(Anywhere.USAGE, cl.execute(args));
        assertEquals("anywhere: Unmatched arguments from index 0: 'analyse', 'franky@frankysweb.org'\n"
                + "Did you mean: anywhere analyze or anywhere serve or anywhere servicehost?\n"
                + "Try 'anywhere --help'.\n", err.toString());
    }
}
