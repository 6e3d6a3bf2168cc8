package dev.anywhere.cli;

import dev.anywhere.directory.model.AuthenticationMethod;
import dev.anywhere.directory.model.ClientAuthenticationMethod;
import dev.anywhere.lab.pki.PkiException;
import dev.anywhere.rpc.input.InvalidValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parsing of administrator input into directory values, and the checks of options several commands share, each
 * failure one clear usage error.
 */
final class Inputs {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private Inputs() {
    }

    /**
     * What is wrong with a value, in {@code text}'s language: a keyed refusal ({@link InvalidValue}: a duration, the TLS
     * policy, the gateway's certificate and key files, {@code --resolve}, an e-mail address discovery refuses, a zone
     * file; a {@link PkiException} with a key: a certificate or key file the lab's PKI reads) from the bundle's text for
     * its key with the value as given (and its other named values); any other failure's own message.
     */
    static String problem(RuntimeException e, CliText text) {
        if (e instanceof InvalidValue v) {
            return text.get(v.key(), v.values());
        }
        if (e instanceof PkiException p && p.key().isPresent()) {
            return text.get(p.key().get(), "value", p.value());
        }
        return e.getMessage();
    }

    /** The {@code --format} of the commands that write text or JSON: refuses anything else. */
    static void textOrJson(String format) {
        if (!format.equals("text") && !format.equals("json")) {
            throw UserError.usage(CliText.local("format-bad.text-or-json", "format", format));
        }
    }

    /**
     * Each file readable, else a usage error naming it: a missing {@code --cert} or {@code --key} is said as such before
     * a reader would call it "no certificate".
     */
    static void readable(java.nio.file.Path... files) {
        for (java.nio.file.Path p : files) {
            if (!java.nio.file.Files.isReadable(p)) {
                throw UserError.usage(CliText.local("gateway.unreadable", "file", p));
            }
        }
    }

    /** A DNS host name as Exchange accepts it for ExternalHostname (RFC 1123 labels, at most 253 characters). */
    static String hostname(String option, String value) {
        String h = value.trim().toLowerCase(Locale.ROOT);
        boolean ok = !h.isEmpty() && h.length() <= 253 && !h.endsWith(".");
        if (ok) {
            for (String label : h.split("\\.", -1)) {
                ok &= LABEL.matcher(label).matches();
            }
        }
        if (!ok) {
            throw UserError.usage(CliText.local("input.host-bad", "option", option, "value", value));
        }
        return h;
    }

    static ClientAuthenticationMethod clientAuth(String option, String value) {
        return ClientAuthenticationMethod.parse(value)
                .filter(c -> c != ClientAuthenticationMethod.NEGO_EX)
                .orElseThrow(() -> UserError.usage(CliText.local("input.client-auth-bad", "option", option, "value", value)));
    }

    static Set<AuthenticationMethod> iisAuth(String option, String value) {
        EnumSet<AuthenticationMethod> set = EnumSet.noneOf(AuthenticationMethod.class);
        for (String part : value.split(",")) {
            String p = part.trim();
            AuthenticationMethod m = AuthenticationMethod.parse(p)
                    .filter(a -> a == AuthenticationMethod.BASIC || a == AuthenticationMethod.NTLM || a == AuthenticationMethod.NEGOTIATE)
                    .orElseThrow(() -> UserError.usage(CliText.local("input.iis-auth-bad", "option", option, "value", p)));
            set.add(m);
        }
        return set;
    }

    static boolean bool(String option, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "$true" -> true;
            case "false", "no", "off", "$false" -> false;
            default -> throw UserError.usage(CliText.local("input.bool-bad", "option", option, "value", value));
        };
    }
}
