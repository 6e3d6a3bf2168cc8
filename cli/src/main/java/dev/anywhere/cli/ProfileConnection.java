package dev.anywhere.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.anywhere.analyzer.profile.ConnectionChoice;
import dev.anywhere.analyzer.profile.OutlookProfile;
import dev.anywhere.analyzer.rpch.OutlookSequence;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code anywhere profile connect} says: the connection Outlook chooses and why, then each of Outlook's steps
 * through the proxy with what it found or why it failed, in the cli bundle's language; or the same as JSON.
 */
final class ProfileConnection {

    private final CliText text;
    private final OutlookProfile profile;
    private final ConnectionChoice.Choice choice;

    ProfileConnection(CliText text, OutlookProfile profile, ConnectionChoice.Choice choice) {
        this.text = text;
        this.profile = profile;
        this.choice = choice;
    }

    /**
     * Prints the report and returns {@code exit}.
     *
     * @param proxyReachable without credentials: whether the proxy's port accepted a connection (the only check then)
     */
    int print(PrintWriter out, String format, List<OutlookSequence.StepResult> steps, Optional<Boolean> proxyReachable, int exit)
            throws Exception {
        String level = profile.encryptRpc() ? "privacy" : "integrity";
        if (format.equals("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("email", profile.email());
            m.put("transport", switch (choice.transport()) {
                case EXCH_RPC_TCP -> "EXCH";
                case EXPR_RPC_HTTP -> "EXPR";
                case NONE -> "none";
            });
            m.put("host", choice.host());
            m.put("reason", choice.reason());
            proxyReachable.ifPresent(r -> m.put("proxyReachable", r));
            if (!steps.isEmpty()) {
                m.put("rpcAuth", level);
                List<Map<String, Object>> items = new ArrayList<>();
                for (OutlookSequence.StepResult s : steps) {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("step", s.step().id());
                    item.put("target", s.target());
                    item.put("passed", s.passed());
                    item.put("millis", s.millis());
                    item.put("values", s.values());
                    s.cause().ifPresent(c -> item.put("cause", Map.of("id", c.id(), "detail", c.detail(), "text", line(s))));
                    items.add(item);
                }
                m.put("steps", items);
            }
            m.put("passed", exit == Anywhere.OK);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            return exit;
        }
        String transport = text.get(switch (choice.transport()) {
            case EXCH_RPC_TCP -> "profile.connect.transport.exch";
            case EXPR_RPC_HTTP -> "profile.connect.transport.expr";
            case NONE -> "profile.connect.transport.none";
        });
        out.println(text.get("profile.connect.choice", Map.of("transport", transport, "host", choice.host())));
        out.println("  " + text.get("profile.connect.because", Map.of("reason",
                choice.reason(dev.anywhere.analyzer.text.Messages.of(text.language())))));
        proxyReachable.ifPresent(ok -> out.println("  " + text.get(ok ? "profile.connect.proxy-reachable" : "profile.connect.proxy-unreachable",
                Map.of("host", choice.host(), "email", profile.email()))));
        if (steps.isEmpty()) {
            return exit;
        }
        out.println(text.get("profile.connect.steps", Map.of("level", level)));
        int width = 0;
        for (OutlookSequence.StepResult s : steps) {
            width = Math.max(width, stepName(s).length());
        }
        String ok = text.get("profile.connect.ok");
        String fail = text.get("profile.connect.fail");
        String columns = "  %-" + Math.max(ok.length(), fail.length()) + "s  %-" + width + "s  %s: %s (%d ms)%n";
        for (OutlookSequence.StepResult s : steps) {
            out.printf(columns, s.passed() ? ok : fail, stepName(s), s.target(), line(s), s.millis());
        }
        OutlookSequence.StepResult last = steps.get(steps.size() - 1);
        out.println(exit == Anywhere.OK ? text.get("profile.connect.passed", Map.of("host", choice.host()))
                : text.get("profile.connect.failed", Map.of("step", stepName(last))));
        return exit;
    }

    private String stepName(OutlookSequence.StepResult s) {
        return text.get("profile.connect.step." + s.step().id());
    }

    /** What the step found, or why it failed in words (the bundle's, when it knows the cause) and the detail. */
    String line(OutlookSequence.StepResult s) {
        Map<String, Object> values = new HashMap<>(s.values());
        values.put("userDn", profile.userDn().orElse(""));
        values.put("target", s.target());
        if (s.cause().isEmpty()) {
            return text.get("profile.connect.found." + s.step().id(), values);
        }
        OutlookSequence.Cause c = s.cause().get();
        String key = "profile.connect.cause." + c.id();
        // The client's detail in this language when the analyzer's bundle has it; an English-only detail only in English.
        Optional<String> detail = c.detail(dev.anywhere.analyzer.text.Messages.of(text.language()));
        return text.keys().contains(key) ? text.get(key, values) + detail.map(d -> " (" + d + ")").orElse("") : detail.orElse(c.detail());
    }
}
