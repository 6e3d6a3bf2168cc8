package dev.anywhere.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs {@code anywhere ARGS} in this JVM as {@link Anywhere#main} builds it, with writers of its own: the exit code is
 * returned, what the command printed is in {@link #out} and {@link #err} until the next run. Shared by the cli tests.
 */
abstract class CommandTestBase {

    /** What the last run printed to stdout and stderr. */
    protected String out;
    protected String err;

    protected int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        CommandLine cl = Anywhere.commandLine(args);
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int code = cl.execute(args);
        out = o.toString();
        err = e.toString();
        return code;
    }
}
