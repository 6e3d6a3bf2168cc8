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
@Command(name = "servicehost", mixinStandardHelpOptions = true, description = "Run the service host: the configurator copies "
        + "the directory's Outlook Anywhere settings into the gateway's /rpc configuration at start, every poll interval "
        + "and within about a second of a directory change, reverts hand edits of that configuration within about a second, "
        + "and logs events 2001-3910.")
final class ServiceHostCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DirectoryOptions directory;

    @Option(names = "--server", paramLabel = "NAME", description = "This server's name in the directory (default: ${DEFAULT-VALUE}).")
    String server = "EX1";

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "The server's data directory (shared with the gateway).")
    Path dataDir;

    @Option(names = "--poll-interval", paramLabel = "DURATION",
            description = "Time between passes, e.g. 15m or 30s; 0 turns the work off (default: what servicehost.json says, else 15m).")
    String pollInterval;

    @Option(names = "--no-follow-changes", negatable = true, description = "React to directory change notifications (default: on).")
    boolean followChanges = true;

    @Option(names = "--drift-correction", negatable = true, description = "Refuse and revert hand edits of rpc-vdir.json "
            + "within about a second (default: what servicehost.json says, else on). Off, a hand edit takes effect until the "
            + "next pass overwrites it, as in Exchange.")
    Boolean driftCorrection;

    @Override
    public Integer call() throws Exception {
        ServiceHostSettings settings = settings(ServiceHostSettings.read(dataDir));
        // The file is the setting (as the registry is for Exchange); the options only write it.
        settings.write(dataDir);
        SiteDirectory dir = directory.open();
        ServiceHost host = new ServiceHost(dir, server, dataDir, new EventLog(dataDir), Clock.systemUTC(), ServiceHost.Timing.EXCHANGE);
        host.start();
        spec.commandLine().getOut().printf("Service host for %s: poll interval %s, following changes %s, drift correction %s; "
                + "events in %s. Ctrl-C stops it.%n", server, Durations.format(settings.pollInterval()), followChanges ? "on" : "off",
                settings.correctsDrift() ? "on" : "off", new EventLog(dataDir).file());
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
            throw UserError.usage("--poll-interval: " + e.getMessage());
        }
        return new ServiceHostSettings(interval, followChanges, driftCorrection == null ? current.driftCorrection() : driftCorrection);
    }
}
