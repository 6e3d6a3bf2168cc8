package dev.anywhere.analyzer.checks;

import dev.anywhere.analyzer.check.Evidence;
import dev.anywhere.analyzer.check.Outcome;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.finding.FindingCatalogue;
import dev.anywhere.analyzer.text.Messages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Judges the answers of several connections behind one public name: every member of an array must present a
 * certificate a client judges alike (subject, issuer, names, validity; each member may hold its own key), offer the
 * same authentication and name itself alike. The answer most connections gave is the
 * reference; each other answer is a member that differs, named as {@link MemberAnswer#member} can.
 */
public final class MemberComparison {

    private final FindingCatalogue catalogue;
    private final Messages text;
    private final Instant now;

    public MemberComparison(FindingCatalogue catalogue, Messages text, Instant now) {
        this.catalogue = catalogue;
        this.text = text;
        this.now = now;
    }

    /**
     * The outcome for {@code answers} (at least one) seen behind {@code host}; {@code requiredScheme} is the scheme
     * Autodiscover (or the manual settings) tells Outlook to use, when known.
     */
    public Outcome judge(String host, List<MemberAnswer> answers, Optional<String> requiredScheme) {
        List<Finding> findings = new ArrayList<>();
        // On a tie the reference is the certificate a client accepts for more: valid, covering more names, renewed last;
        // an array's odd one out is the member nobody renewed.
        findings.addAll(differing(host, answers, a -> a.certificateIdentity(now),
                Comparator.comparing((MemberAnswer a) -> a.expired(now))
                        .thenComparing(a -> a.certificate().map(c -> CertificateEvaluation.dnsNames(c).size()).orElse(0), Comparator.reverseOrder())
                        .thenComparing(a -> a.certificate().map(c -> c.getNotAfter().toInstant()).orElse(Instant.MIN), Comparator.reverseOrder()),
                "array.member-certificate-differs", a -> a.describeCertificate(text)));
        // On a tie the reference offers what Outlook is told to use: the member that lacks it missed the change.
        findings.addAll(differing(host, answers, a -> a.schemes().stream().map(s -> s.toLowerCase(Locale.ROOT)).sorted().toList().toString(),
                Comparator.comparing((MemberAnswer a) -> requiredScheme.map(r -> !a.offers(r)).orElse(false))
                        .thenComparing(a -> a.schemes().size(), Comparator.reverseOrder()),
                "array.member-authentication-differs", a -> a.describeSchemes(text)));
        findings.addAll(differing(host, answers, a -> a.serverHeader().orElse(""), Comparator.comparing(a -> 0),
                "array.member-server-differs", a -> a.serverHeader().orElse(text.get("detail.unnamed-server"))));
        Evidence seen = new Evidence(text.get("evidence.member-answers"), answers.stream()
                .map(a -> a.member(text) + ": " + a.describeCertificate(text) + "; " + a.describeSchemes(text))
                .collect(Collectors.joining("\n")));
        Outcome o = Outcome.passed(text.get(findings.isEmpty() ? "summary.members.same" : "summary.members.differ",
                Map.of("count", answers.size())));
        for (Finding f : findings) {
            o = o.with(f);
        }
        return o.with(seen);
    }

    /**
     * The outcome for the Autodiscover answers of several members behind {@code host} (the Autodiscover host), each
     * from its own connection. The settings most members gave are the reference; on a tie the settings this run's own
     * Autodiscover answer carried ({@code own}: what this Outlook was told), then an answer with settings over one
     * without. {@code notAsked} members got no request: their certificate was not accepted, and credentials go only to
     * a verified server (the certificate comparison names them).
     */
    public Outcome judgeSettings(String host, List<MemberSettings> answers, Optional<Map<String, String>> own, int notAsked) {
        Comparator<MemberSettings> preferred = Comparator.comparing((MemberSettings a) -> !own.filter(a.settings()::equals).isPresent())
                .thenComparing(a -> !a.answered());
        List<Finding> findings = differing(host, answers, MemberSettings::key, preferred, "array.member-settings-differ",
                (a, reference) -> a.describeAgainst(reference, text), MemberSettings::who);
        Outcome o = Outcome.passed(text.get(answers.isEmpty() ? "summary.member-settings.none" : findings.isEmpty()
                ? "summary.member-settings.same" : "summary.member-settings.differ", Map.of("count", answers.size(), "notAsked", notAsked)));
        for (Finding f : findings) {
            o = o.with(f);
        }
        return o.with(new Evidence(text.get("evidence.member-settings"), answers.stream()
                .map(a -> a.who().member(text) + ": " + (a.answered() ? a.settings().entrySet().stream().filter(e -> !e.getValue().isEmpty())
                        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))
                        : text.get("detail.member.no-settings", Map.of("status", a.status()))))
                .collect(Collectors.joining("\n"))));
    }

    /**
     * One finding per answer that differs from the reference in {@code key}. The reference is the answer most
     * connections gave, ties broken by {@code preferred} (smallest first).
     */
    private List<Finding> differing(String host, List<MemberAnswer> answers, Function<MemberAnswer, String> key,
            Comparator<MemberAnswer> preferred, String findingId, Function<MemberAnswer, String> describe) {
        return differing(host, answers, key, preferred, findingId, (a, reference) -> describe.apply(a), Function.identity());
    }

    /**
     * {@link #differing} for any kind of answer: {@code describe} says an answer where it differs from another,
     * {@code who} names the member that gave it.
     */
    private <T> List<Finding> differing(String host, List<T> answers, Function<T, String> key, Comparator<T> preferred,
            String findingId, BiFunction<T, T, String> describe, Function<T, MemberAnswer> who) {
        Map<String, List<T>> groups = answers.stream().collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.toList()));
        if (groups.size() < 2) {
            return List.of();
        }
        List<T> reference = groups.values().stream()
                .sorted(Comparator.comparing((List<T> g) -> -g.size()).thenComparing(g -> g.get(0), preferred))
                .findFirst().orElseThrow();
        List<Finding> out = new ArrayList<>();
        for (List<T> group : groups.values()) {
            if (group == reference) {
                continue;
            }
            T odd = group.get(0);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("host", host);
            v.put("member", who.apply(odd).member(text));
            v.put("seen", group.size());
            v.put("count", answers.size());
            v.put("answer", describe.apply(odd, reference.get(0)));
            v.put("others", who.apply(reference.get(0)).member(text));
            v.put("expected", describe.apply(reference.get(0), odd));
            out.add(catalogue.finding(findingId, v));
        }
        return out;
    }
}
