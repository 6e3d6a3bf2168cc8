package dev.anywhere.cli;

import dev.anywhere.directory.SiteDirectory;
import dev.anywhere.server.configurator.Durations;
import dev.anywhere.server.configurator.ServiceHost;
import dev.anywhere.server.configurator.ServiceHostSettings;
import dev.anywhere.server.events.EventLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** EX1's service host with the configurator. */
@Command(name = "servicehost", mixinStandardHelpOptions = true, resourceBundle = "dev.anywhere.cli.servicehost")
final class ServiceHostCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DirectoryOptions directory;

    @Option(names = "--server", paramLabel = "NAME")
    String server = "EX1";

    @Option(names = "--data-dir", required = true, paramLabel = "DIR")
    Path dataDir;

    @Option(names = "--poll-interval", paramLabel = "DURATION")
    String pollInterval;

    @Option(names = "--no-follow-changes", negatable = true)
    boolean followChanges = true;

    @Option(names = "--drift-correction", negatable = true)
    Boolean driftCorrection;

    @Override
    public Integer call() throws Exception {
        ServiceHostSettings settings = settings(ServiceHostSettings.read(dataDir));
        // The file is the setting (as the registry is for Exchange); the options only write it.
        settings.write(dataDir);
        SiteDirectory dir = directory.open();
        ServiceHost host = new ServiceHost(dir, server, dataDir, new EventLog(dataDir), Clock.systemUTC(), ServiceHost.Timing.EXCHANGE);
        host.start();
        spec.commandLine().getOut().println(CliText.local("servicehost.started", "server", server, "interval", Durations.format(settings.pollInterval()),
                "follow", CliText.local(followChanges ? "oa.on" : "oa.off"), "drift", CliText.local(settings.correctsDrift() ? "oa.on" : "oa.off"),
                "file", new EventLog(dataDir).file()));
        spec.commandLine().getOut().flush();
        Roles.runUntilInterrupted(host, dir);
        return Anywhere.OK;
    }

    /** The options over the file's settings: an option not given keeps what the file says. */
    ServiceHostSettings settings(ServiceHostSettings current) {
        Duration interval;
        try {
            interval = pollInterval == null ? current.pollInterval() : Durations.parse(pollInterval);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(CliText.local("servicehost.interval-bad", "detail", Inputs.problem(e, CliText.ofLocale())));
        }
        return new ServiceHostSettings(interval, followChanges, driftCorrection == null ? current.driftCorrection() : driftCorrection);
    }
}
