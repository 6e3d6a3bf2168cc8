package dev.anywhere.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code anywhere} command. */
@Command(name = "anywhere", mixinStandardHelpOptions = true, versionProvider = Anywhere.Version.class,
        resourceBundle = "dev.anywhere.cli.help")
public final class Anywhere {

    public static final int OK = 0;
    public static final int FINDINGS = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL = 3;

    /**
     * The subcommands in the order --help lists them. Registered here rather than in the annotation because picocli
     * builds every registered command's model (reflection over its options, mixins and their types) before parsing:
     * all of them cost about a second of a cold start, loading lab, bench, directory and Jackson classes that
     * {@code analyze} never uses.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(LabCommand.class, AnalyzeCommand.class, ProfileCommand.class, CertCommand.class,
            OaCommand.class, ProviderCommand.class, DirectoryCommand.class, ServiceHostCommand.class, GatewayCommand.class,
            AutodiscoverCommand.class, EndpointsCommand.class, RpcPingCommand.class, AddressBookCommand.class, EventsCommand.class, BenchCommand.class,
            ServeCommand.class, CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The configured command line with every subcommand; tests use it with their own writers. */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for these arguments: when the first names a subcommand, only that one is built (the others
     * could not run anyway); otherwise (no arguments, an option, {@code help}, a typo) all of them, so help and usage
     * errors list every command.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Anywhere());
        List<Class<?>> chosen = args.length == 0 ? List.of()
                : SUBCOMMANDS.stream().filter(c -> !c.equals(CommandLine.HelpCommand.class) && names(c).contains(args[0])).toList();
        for (Class<?> c : chosen.isEmpty() ? SUBCOMMANDS : chosen) {
            cl.addSubcommand(c);
        }
        cl.setExecutionExceptionHandler(Anywhere::onException);
        cl.setParameterExceptionHandler(Anywhere::onParameterException);
        return cl;
    }

    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new java.util.ArrayList<>(Arrays.asList(c.aliases()));
        names.add(c.name());
        return names;
    }

    /**
     * A usage error: one line saying what is wrong (picocli's error in the command line's words and language), picocli's
     * suggestions for a mistyped command or option, one line saying where to read more.
     */
    private static int onParameterException(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        new UsageErrorText(CliText.ofLocale()).lines(e).forEach(err::println);
        err.flush();
        return USAGE;
    }

    private static int onException(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        CliText text = CliText.ofLocale();
        if (e instanceof UserError u) {
            err.println(text.get("error", java.util.Map.of("message", u.getMessage())));
            err.flush();
            return u.exitCode();
        }
        err.println(text.get("error.internal", java.util.Map.of("detail", describe(e))));
        if (Boolean.getBoolean("anywhere.debug")) {
            e.printStackTrace(err);
        }
        err.flush();
        return INTERNAL;
    }

    /**
     * The messages of an exception and its causes, joined, without class names (users read causes, not stack
     * traces); a message-less exception is named by what it is about, never by its Java type. A cause that carries a
     * key (a directory's {@code DirectoryText}, a keyed file or value refusal) is said from the bundle, in the JVM's
     * language, instead of its English message.
     */
    static String describe(Throwable e) {
        CliText bundle = CliText.ofLocale();
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 1000; t = t.getCause()) {
            String m = said(t, bundle);
            // A wrapper made with new X(cause) repeats the cause's English message: the cause says itself below.
            boolean repeatsCause = t.getCause() != null && String.valueOf(t.getCause()).equals(t.getMessage());
            if (m == null || m.isBlank() || repeatsCause || text.indexOf(m) >= 0) {
                continue;
            }
            // Some libraries put "SomeException: message" into the message of the wrapper.
            m = m.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)*[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b(?::\\s*)?", "").replaceAll("[:\\s]+$", "").trim();
            if (!m.isEmpty()) {
                text.append(text.length() == 0 ? "" : ": ").append(m);
            }
        }
        return text.length() == 0 ? bundle.get("error.no-message") : text.toString();
    }

    /** {@code t}'s message, or its key's text in {@code text} where it has one the bundle knows. */
    private static String said(Throwable t, CliText text) {
        try {
            return t instanceof dev.anywhere.directory.DirectoryException d ? DirectoryProblemText.say(d, text)
                    : t instanceof RuntimeException r ? Inputs.problem(r, text) : t.getMessage();
        } catch (IllegalArgumentException unknownKey) {
            // the last-resort line never fails itself: a key this bundle lacks leaves the English message
            return t.getMessage();
        }
    }

    /** Prints the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Anywhere.class.getPackage().getImplementationVersion();
            return new String[] {"anywhere " + (v == null ? "development build" : v)};
        }
    }
}
