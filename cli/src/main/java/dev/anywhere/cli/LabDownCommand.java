package dev.anywhere.cli;

import dev.anywhere.lab.site.LabState;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lab down}: stops the background site and checks that nothing listens any more. */
@Command(name = "down", mixinStandardHelpOptions = true)
final class LabDownCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = LabCommand.DEFAULT_DATA_DIR)
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CliText text = CliText.ofLocale();
        Path dir = dataDir.toAbsolutePath();
        Optional<LabState> state = LabCommand.runningState(dir, out);
        if (state.isEmpty()) {
            return Anywhere.OK;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(state.get().pid());
        List<ProcessHandle> children = process.map(p -> p.descendants().toList()).orElse(List.of()); // nginx
        if (process.isPresent() && process.get().isAlive()) {
            out.println(text.get("lab.down.stopping", java.util.Map.of("pid", state.get().pid())));
            out.flush();
            process.get().destroy();
            try {
                process.get().onExit().get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                out.println(text.get("lab.down.killing"));
                process.get().descendants().forEach(ProcessHandle::destroyForcibly);
                process.get().destroyForcibly();
                process.get().onExit().get(10, TimeUnit.SECONDS);
            }
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                out.println(text.get("lab.down.killing-child", java.util.Map.of("pid", child.pid())));
                child.destroyForcibly();
            }
        }
        Files.deleteIfExists(dir.resolve(LabState.FILE_NAME));
        List<String> left = state.get().services().entrySet().stream()
                .filter(e -> LabCommand.listening(LabCommand.socket(e.getValue()))).map(e -> e.getKey() + " " + e.getValue()).toList();
        if (!left.isEmpty()) {
            throw UserError.unavailable(text.get("lab.down.still-listening", java.util.Map.of("left", left)));
        }
        out.println(text.get("lab.down.stopped", java.util.Map.of("count", state.get().services().size())));
        return Anywhere.OK;
    }
}
