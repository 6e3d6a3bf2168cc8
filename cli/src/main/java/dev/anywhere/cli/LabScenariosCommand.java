package dev.anywhere.cli;

import dev.anywhere.lab.scenario.Scenario;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lab scenarios}: every scenario, what it breaks and what the analyzer should say. */
@Command(name = "scenarios", mixinStandardHelpOptions = true)
final class LabScenariosCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CliText text = CliText.ofLocale();
        out.printf("%-36s %-30s %s%n", text.get("lab.scenarios.heading.scenario"), text.get("lab.scenarios.heading.finding"),
                text.get("lab.scenarios.heading.broken"));
        for (Scenario s : dev.anywhere.lab.scenario.Scenarios.all()) {
            out.printf("%-36s %-30s %s%n", s.name(), s.primary().orElse(text.get("lab.scenarios.no-finding")), s.broken(text.language()));
        }
        out.println();
        out.println(text.get("lab.scenarios.run-one"));
        return Anywhere.OK;
    }
}
