package dev.anywhere.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anywhere.analyzer.AnalyzeOptions;
import dev.anywhere.analyzer.report.Vantage;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The page's form: the options of {@code anywhere analyze} a visitor may choose. The password lives only here and in
 * the {@link AnalyzeOptions} made from it, for the one run; {@link #toString()} never shows it.
 *
 * @param target the mailbox (or a domain, with manual settings)
 * @param user DOMAIN\\user, empty for the anonymous tier
 * @param password the password, empty for the anonymous tier
 * @param manual RCA's manual settings, empty for Autodiscover
 * @param vantage inside, outside or unspecified
 * @param language en or de
 * @param insecure the visitor's explicit choice to send credentials to a server whose certificate fails validation
 */
record RunRequest(String target, Optional<String> user, Optional<String> password, Optional<AnalyzeOptions.ManualSettings> manual,
        Vantage vantage, String language, boolean insecure) {

    /** The form as the page posts it (JSON); {@code fallbackLanguage} words the errors when the form names none. */
    static RunRequest parse(JsonNode form, String fallbackLanguage) throws RequestRefused {
        if (form == null || !form.isObject()) {
            throw new RequestRefused(400, Texts.of(fallbackLanguage, "request.notJson"));
        }
        String language = text(form, "language").orElse("en");
        if (!language.equals("en") && !language.equals("de")) {
            throw new RequestRefused(400, Texts.of(fallbackLanguage, "language.unknown", language));
        }
        String target = text(form, "target").orElseThrow(() -> new RequestRefused(400, Texts.of(language, "target.missing")));
        if (target.length() > 320) {
            throw new RequestRefused(400, Texts.of(language, "target.tooLong"));
        }
        Optional<String> rpcProxy = text(form, "rpcProxy");
        if (rpcProxy.isEmpty() && !target.contains("@")) {
            throw new RequestRefused(400, Texts.of(language, "target.needsMailbox"));
        }
        String vantageName = text(form, "vantage").orElse("unspecified");
        Vantage vantage;
        try {
            vantage = Vantage.valueOf(vantageName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RequestRefused(400, Texts.of(language, "vantage.unknown", vantageName));
        }
        Optional<AnalyzeOptions.ManualSettings> manual = Optional.empty();
        if (rpcProxy.isPresent()) {
            String auth = text(form, "proxyAuth").orElse("ntlm").toLowerCase(Locale.ROOT);
            if (!auth.equals("ntlm") && !auth.equals("basic")) {
                throw new RequestRefused(400, Texts.of(language, "proxyAuth.unknown", auth));
            }
            manual = Optional.of(new AnalyzeOptions.ManualSettings(rpcProxy.get(), text(form, "server").orElse("EX1"),
                    text(form, "principal"), auth, !form.path("noTls").asBoolean(false)));
        }
        Optional<String> user = text(form, "user");
        // A password field left empty means the anonymous tier, as a command line without --password-env.
        Optional<String> password = Optional.ofNullable(form.get("password")).filter(JsonNode::isTextual).map(JsonNode::asText)
                .filter(p -> !p.isEmpty());
        if (password.isPresent() && user.isEmpty()) {
            throw new RequestRefused(400, Texts.of(language, "password.needsUser"));
        }
        return new RunRequest(target, user, password, manual, vantage, language, form.path("insecure").asBoolean(false));
    }

    private static Optional<String> text(JsonNode form, String field) {
        return Optional.ofNullable(form.get(field)).filter(JsonNode::isTextual).map(n -> n.asText().strip()).filter(s -> !s.isEmpty());
    }

    /** The analyzer's options: this form with the server's defaults. */
    AnalyzeOptions options(RunDefaults d) {
        return new AnalyzeOptions(target, user, password, d.resolve(), d.dnsServer(), d.trust(), vantage, d.stepTimeout(), language, manual,
                d.httpsPort(), d.httpPort(), List.of(), insecure);
    }

    @Override
    public String toString() {
        return "RunRequest[target=" + target + ", user=" + user.orElse("(anonymous)") + ", password=" + (password.isPresent() ? "***" : "none")
                + ", manual=" + manual.isPresent() + ", vantage=" + vantage + ", language=" + language + ", insecure=" + insecure + "]";
    }
}
