package dev.anywhere.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark part in a JVM of its own (this JVM's class path and {@code java}), driven by one line per command on its
 * stdin and answering one line per result on its stdout; its stderr goes to a log file. Every main run this way ends
 * when its stdin ends, so a crashed benchmark leaves no process behind.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended; callers see the missing line
            }
        }, "bench-" + name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code mainClass} with {@code jvmOptions} and {@code args}, behind {@code prefix} (e.g. taskset). */
    static ChildJvm start(String name, Path logDir, List<String> prefix, List<String> jvmOptions, Class<?> mainClass, List<String> args)
            throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        return new ChildJvm(name, new ProcessBuilder(command).redirectError(log.toFile()).start(), log);
    }

    /** The next line starting with {@code prefix}; a line starting with {@code ERROR} fails. */
    String next(String prefix, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IOException(name + ": no " + prefix + " after " + timeout.toSeconds() + " s"
                            + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + ": " + logTail());
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
                if (line.startsWith("ERROR")) {
                    throw new IOException(name + ": " + line.substring("ERROR".length()).trim());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + name, e);
        }
    }

    /** The words after {@code prefix} in the next such line. */
    String[] ask(String command, String prefix, Duration timeout) throws IOException {
        send(command);
        String line = next(prefix, timeout);
        return line.substring(prefix.length()).trim().split(" ");
    }

    void send(String command) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    private String logTail() {
        try {
            List<String> all = Files.readAllLines(log);
            return all.isEmpty() ? "(empty log)" : String.join(" | ", all.subList(Math.max(0, all.size() - 3), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    long pid() {
        return process.pid();
    }

    /** CPU seconds (user + system) of the process so far. */
    double cpuSeconds() {
        return CpuMeter.processesSeconds(List.of(process.pid()));
    }

    double userCpuSeconds() {
        return CpuMeter.processesUserSeconds(List.of(process.pid()));
    }

    /** Resident set size in bytes (/proc/PID/status VmRSS), or -1. */
    long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** SIGKILL, as a crash or {@code kill -9} would end it: no shutdown hook, no orderly close of its sockets. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** QUIT, then end of stdin; forcibly after 10 s. */
    @Override
    public void close() {
        try {
            send("QUIT");
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** For a child's main: reads commands until QUIT or end of stdin; {@code handler} answers each other line. */
    interface Commands {
        void handle(String command) throws Exception;
    }

    /**
     * A child main's life after start: prints {@code LISTENING <port>}, answers {@code HEAP} until {@code QUIT} or the end
     * of stdin, closes {@code parts} in order and exits.
     */
    static void listenAndServe(int port, AutoCloseable... parts) throws Exception {
        System.out.println("LISTENING " + port);
        System.out.flush();
        try {
            serveHeap();
        } finally {
            for (AutoCloseable part : parts) {
                part.close();
            }
        }
        System.exit(0);
    }

    /** As {@link #serve(Commands)}, answering {@code HEAP} (full GCs, then {@code HEAP <used> <committed>}) only. */
    static void serveHeap() throws IOException {
        serve(command -> {
            if (command.equals("HEAP")) {
                System.out.println("HEAP " + IdleProbe.usedHeapAfterGc() + " "
                        + java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted());
            } else {
                System.out.println("ERROR unknown command: " + command);
            }
        });
    }

    static void serve(Commands handler) throws IOException {
        try (BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            for (String line = commands.readLine(); line != null && !line.equals("QUIT"); line = commands.readLine()) {
                try {
                    handler.handle(line);
                } catch (Exception e) {
                    System.out.println("ERROR " + line + ": " + e);
                }
                System.out.flush();
            }
        }
    }
}
