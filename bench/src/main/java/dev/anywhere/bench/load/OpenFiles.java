package dev.anywhere.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The open-files limit ({@code RLIMIT_NOFILE}) of this process, raised when needed: 20,000 idle virtual connections
 * take about 60,000 descriptors here (two client sockets and the endpoints' end of each backend connection) and as
 * many in the gateway's process, which inherits the limit. A JVM cannot raise its own hard limit; as root
 * {@code prlimit} (util-linux) can, from outside.
 */
final class OpenFiles {

    private OpenFiles() {
    }

    /** The soft limit now, or -1 when unknown (not Linux). */
    static long current() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    /** Raises the limit to {@code wanted} when it is lower and this process may (root); returns the limit in force. */
    static long ensure(long wanted) {
        long now = current();
        if (now < 0 || now >= wanted || !"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/prlimit"))) {
            return now;
        }
        try {
            Process p = new ProcessBuilder("/usr/bin/prlimit", "--pid", Long.toString(ProcessHandle.current().pid()),
                    "--nofile=" + wanted + ":" + wanted).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return now;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return current();
    }
}
