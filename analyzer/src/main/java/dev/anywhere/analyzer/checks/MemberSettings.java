package dev.anywhere.analyzer.checks;

import dev.anywhere.analyzer.text.Messages;
import dev.anywhere.autodiscover.pox.Account;
import dev.anywhere.autodiscover.pox.AutodiscoverResponse;
import dev.anywhere.autodiscover.pox.Protocol;
import dev.anywhere.autodiscover.pox.ProtocolType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What one member's Autodiscover answered, reduced to the settings Outlook writes into its profile and every member
 * must hand out alike: EXCH's server and internal URLs, EXPR's server, SSL, AuthPackage, CertPrincipalName and external
 * URLs. A member that answered without settings (an error, a redirect, a status other than 200) keeps its HTTP status.
 *
 * @param who the member as the RPC comparison names it (address, certificate, {@code Server} header; no schemes)
 * @param settings setting name ({@code EXPR AuthPackage}) to value, in the order above; empty when there were none
 * @param status the last HTTP status of the exchange (0: no HTTP answer)
 */
public record MemberSettings(MemberAnswer who, Map<String, String> settings, int status) {

    /** The URLs of a protocol that Outlook takes into the profile (EXCH: internal, EXPR: external). */
    private static final Map<String, Function<Protocol, Optional<String>>> URLS = urls();

    public MemberSettings {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** The settings of {@code response} that must match between members; empty for an error answer. */
    public static Map<String, String> of(AutodiscoverResponse response) {
        Map<String, String> s = new LinkedHashMap<>();
        Optional<Account> account = response.account();
        if (account.isEmpty() || response.error().isPresent()) {
            return s;
        }
        Optional<Protocol> exch = account.get().protocol(ProtocolType.EXCH);
        Optional<Protocol> expr = account.get().protocol(ProtocolType.EXPR);
        s.put("EXCH Server", exch.flatMap(Protocol::server).orElse(""));
        URLS.forEach((name, url) -> s.put("EXCH " + name, exch.flatMap(url).orElse("")));
        s.put("EXPR Server", expr.flatMap(Protocol::server).orElse(""));
        s.put("EXPR SSL", expr.flatMap(Protocol::ssl).map(on -> on ? "On" : "Off").orElse(""));
        s.put("EXPR AuthPackage", expr.flatMap(Protocol::authPackage).map(a -> a.wireName()).orElse(""));
        s.put("EXPR CertPrincipalName", expr.flatMap(Protocol::certPrincipalName).orElse(""));
        URLS.forEach((name, url) -> s.put("EXPR " + name, expr.flatMap(url).orElse("")));
        return s;
    }

    /** Whether the member answered with settings. */
    public boolean answered() {
        return !settings.isEmpty();
    }

    /** What the comparison groups by: the settings, or the status of an answer without them. */
    String key() {
        return answered() ? settings.toString() : "status " + status;
    }

    /**
     * This answer where it differs from {@code other}, setting by setting ({@code EXPR AuthPackage Basic}); an answer
     * without settings is said as such.
     */
    String describeAgainst(MemberSettings other, Messages text) {
        if (!answered()) {
            return text.get("detail.member.no-settings", Map.of("status", status));
        }
        List<String> d = new ArrayList<>();
        settings.forEach((name, value) -> {
            // Against an answer without settings, only what this one says; else every setting that differs.
            if (other.answered() ? !value.equals(other.settings.get(name)) : !value.isEmpty()) {
                d.add(name + " " + (value.isEmpty() ? text.get("detail.none") : value));
            }
        });
        return String.join(", ", d);
    }

    private static Map<String, Function<Protocol, Optional<String>>> urls() {
        Map<String, Function<Protocol, Optional<String>>> m = new LinkedHashMap<>();
        m.put("ASUrl", Protocol::asUrl);
        m.put("EwsUrl", Protocol::ewsUrl);
        m.put("OABUrl", Protocol::oabUrl);
        m.put("OOFUrl", Protocol::oofUrl);
        m.put("EcpUrl", Protocol::ecpUrl);
        return java.util.Collections.unmodifiableMap(m);
    }
}
