package dev.anywhere.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anywhere.analyzer.check.CheckListener;
import dev.anywhere.analyzer.finding.Finding;
import dev.anywhere.analyzer.report.Report;
import dev.anywhere.lab.scenario.Scenario;
import dev.anywhere.lab.scenario.ScenarioRun;
import java.util.Optional;

/**
 * One lab scenario run from the page: the scenario's setup as {@code step} events (each the command it stands for),
 * the analyzer's tree as in any run, and the verdict in the final event — the primary finding against the one the
 * scenario expects, as {@code anywhere lab --scenario} prints it.
 */
final class ScenarioWork implements Runs.Work {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LabHost lab;
    private final Scenario scenario;
    private final String language;

    ScenarioWork(LabHost lab, Scenario scenario, String language) {
        this.lab = lab;
        this.scenario = scenario;
        this.language = language;
    }

    @Override
    public Report run(LiveRun live, CheckListener listener) throws Exception {
        step(live, Texts.of(language, "scenario.step", scenario.name(), scenario.broken(language)));
        return lab.scenario(scenario, language, listener, s -> step(live, s));
    }

    @Override
    public void describe(Report report, ObjectNode done) {
        Optional<String> primary = ScenarioRun.primary(report).map(Finding::id);
        done.put("scenario", scenario.name());
        done.put("expected", scenario.primary().orElse(""));
        done.put("primary", primary.orElse(""));
        done.put("asExpected", primary.equals(scenario.primary()));
    }

    private static void step(LiveRun live, String text) {
        ObjectNode e = JSON.createObjectNode();
        e.put("text", text);
        live.emit("step", e.toString());
    }
}
