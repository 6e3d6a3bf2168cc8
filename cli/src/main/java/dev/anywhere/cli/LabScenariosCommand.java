package dev.anywhere.cli;

import dev.anywhere.lab.scenario.Scenario;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lab scenarios}: every scenario, what it breaks and what the analyzer should say. */
@Command(name = "scenarios", mixinStandardHelpOptions = true, description = "List the scenarios anywhere lab --scenario "
        + "takes: name, what is broken, and the finding the analyzer should report first.")
final class LabScenariosCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-36s %-30s %s%n", "SCENARIO", "EXPECTED FINDING", "WHAT IS BROKEN");
        for (Scenario s : dev.anywhere.lab.scenario.Scenarios.all()) {
            out.printf("%-36s %-30s %s%n", s.name(), s.primary().orElse("(none: all green)"), s.broken());
        }
        out.printf("%nRun one: anywhere lab --scenario NAME (exit 1 when the analyzer finds the problem).%n");
        return Anywhere.OK;
    }
}
