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
        + "and within about a second of a directory change, and logs events 2001-3904.")
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

    @Override
    public Integer call() throws Exception {
        ServiceHostSettings current = ServiceHostSettings.read(dataDir);
        Duration interval;
        try {
            interval = pollInterval == null ? current.pollInterval() : Durations.parse(pollInterval);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--poll-interval: " + e.getMessage());
        }
        // The file is the setting (as the registry is for Exchange); the options only write it.
        new ServiceHostSettings(interval, followChanges).write(dataDir);
        SiteDirectory dir = directory.open();
        ServiceHost host = new ServiceHost(dir, server, dataDir, new EventLog(dataDir), Clock.systemUTC(), ServiceHost.Timing.EXCHANGE);
        host.start();
        spec.commandLine().getOut().printf("Service host for %s: poll interval %s, following changes %s; events in %s. Ctrl-C stops it.%n",
                server, Durations.format(interval), followChanges ? "on" : "off", new EventLog(dataDir).file());
        spec.commandLine().getOut().flush();
        Roles.runUntilInterrupted(host, dir);
        return Anywhere.OK;
    }
}
