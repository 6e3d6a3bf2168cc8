package dev.anywhere.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * picocli's usage errors in the command line's words: each kind of {@link ParameterException} becomes a key of
 * {@code dev.anywhere.cli.messages} ({@code usage.*}) with named values taken from the exception's model (the options,
 * parameters, value and type it names), never its English sentence. The English texts say what picocli says, so English
 * output is unchanged; a kind this class does not know gets picocli's own sentence in English and a general one in
 * German (the --help pointer after it names the command).
 */
final class UsageErrorText {

    /** picocli names an unmatched argument's position only in its message ("at index 2", "from index 0"). */
    private static final Pattern INDEX = Pattern.compile("index (\\d+)");
    /** "Expected parameter for option '--data-dir' (DIR) but found '--format'": the argument found instead. */
    private static final Pattern FOUND = Pattern.compile("but found '(.*)'$");
    /** "Error: --minutes=N, --seconds=S are mutually exclusive (specify only one)": the options, as picocli lists them. */
    private static final Pattern EXCLUSIVE = Pattern.compile("(?:Error: )?(.*) are mutually exclusive");

    private final CliText text;

    UsageErrorText(CliText text) {
        this.text = text;
    }

    /** The lines to print for {@code e}: what is wrong, the suggestions picocli has (if any), where to read more. */
    List<String> lines(ParameterException e) {
        List<String> lines = new ArrayList<>();
        lines.add(text.get("error", "message", sentence(e)));
        suggestions(e).ifPresent(lines::add);
        lines.add(text.get("error.try-help", "command", e.getCommandLine().getCommandSpec().qualifiedName()));
        return lines;
    }

    /** The sentence for {@code e} without the {@code anywhere:} prefix. */
    String sentence(ParameterException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof CommandLine.MissingParameterException m) {
            return missing(m, message);
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            return unmatched(u, message);
        }
        if (e instanceof CommandLine.MutuallyExclusiveArgsException) {
            Matcher options = EXCLUSIVE.matcher(message);
            if (options.find()) {
                return text.get("usage.exclusive", "options", options.group(1));
            }
        }
        if (e instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() != null) {
            return text.get("usage.twice", "option", name(o.getOverwritten()), "label", o.getOverwritten().paramLabel());
        }
        if (message.startsWith("Invalid value for ") && e.getArgSpec() != null && e.getValue() != null) {
            return invalidValue(e.getArgSpec(), e.getValue(), e.getCause());
        }
        return text.get("usage.other", "detail", message);
    }

    private String missing(CommandLine.MissingParameterException e, String message) {
        List<ArgSpec> missing = e.getMissing() == null ? List.of() : e.getMissing();
        if (missing.size() == 1 && missing.get(0).isOption()
                && (message.startsWith("Missing required parameter for ") || message.startsWith("Expected parameter for "))) {
            // An option given without its value (last on the line, or followed by another option).
            ArgSpec option = missing.get(0);
            Matcher found = FOUND.matcher(message);
            return found.find()
                    ? text.get("usage.value-missing-found", "option", name(option), "label", option.paramLabel(), "found", found.group(1))
                    : text.get("usage.value-missing", "option", name(option), "label", option.paramLabel());
        }
        if (missing.isEmpty() || message.contains(" requires at least ")) {
            return text.get("usage.other", "detail", message);
        }
        boolean options = missing.stream().allMatch(ArgSpec::isOption);
        boolean parameters = missing.stream().noneMatch(ArgSpec::isOption);
        String kind = options ? "option" : parameters ? "parameter" : "options-and-parameters";
        String key = "usage.missing-" + kind + (missing.size() == 1 || kind.equals("options-and-parameters") ? "" : "s");
        return text.get(key, "arguments", quoted(missing.stream().map(UsageErrorText::described).toList()));
    }

    private String unmatched(CommandLine.UnmatchedArgumentException e, String message) {
        List<String> args = e.getUnmatched();
        if (e.isUnknownOption()) {
            return text.get(args.size() == 1 ? "usage.unknown-option" : "usage.unknown-options", "arguments", quoted(args));
        }
        Matcher index = INDEX.matcher(message);
        String at = index.find() ? index.group(1) : "0";
        return text.get(args.size() == 1 ? "usage.unmatched" : "usage.unmatched-many", "index", at, "arguments", quoted(args));
    }

    /**
     * A value picocli could not convert: for its own converters (numbers, booleans) from the type; for the command
     * line's converters their reason, which they word in the user's language.
     */
    private String invalidValue(ArgSpec arg, String value, Throwable cause) {
        Class<?> type = arg.type();
        String expected = type == int.class || type == Integer.class ? "int"
                : type == long.class || type == Long.class ? "long"
                : type == double.class || type == Double.class ? "double"
                : type == boolean.class || type == Boolean.class ? "boolean" : null;
        String where = arg.isOption() ? text.get("usage.where.option", "option", name(arg))
                : text.get("usage.where.parameter", "parameter", arg.paramLabel());
        if (expected != null) {
            return text.get("usage.invalid-value." + expected, "where", where, "value", value);
        }
        boolean ours = arg.converters().length > 0 && cause instanceof CommandLine.TypeConversionException && cause.getMessage() != null;
        return ours ? text.get("usage.invalid-value.reason", "where", where, "reason", cause.getMessage())
                : text.get("usage.invalid-value", "where", where, "value", value);
    }

    /** picocli's suggestions for an unknown command or option, as one line; empty when it has none. */
    private java.util.Optional<String> suggestions(ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException u) || u.getSuggestions().isEmpty()) {
            return java.util.Optional.empty();
        }
        if (u.isUnknownOption()) {
            return java.util.Optional.of(text.get("usage.possible-options", "options", String.join(", ", u.getSuggestions())));
        }
        String parent = e.getCommandLine().getCommandSpec().qualifiedName();
        List<String> commands = u.getSuggestions().stream().map(s -> parent + " " + s).toList();
        return java.util.Optional.of(text.get("usage.did-you-mean", "commands", String.join(text.get("usage.or"), commands)));
    }

    /** An argument as picocli names it in a usage error: {@code --external-hostname=HOST}, or a parameter's label. */
    private static String described(ArgSpec arg) {
        if (arg instanceof OptionSpec o) {
            return o.arity().max() == 0 ? o.longestName() : o.longestName() + "=" + o.paramLabel();
        }
        return arg.paramLabel();
    }

    private static String name(ArgSpec arg) {
        return arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
    }

    /** The arguments quoted as the language quotes ('x' or „x“), comma-separated. */
    private String quoted(Collection<String> arguments) {
        return String.join(", ", arguments.stream().map(a -> text.get("usage.quoted", "value", a)).toList());
    }
}
