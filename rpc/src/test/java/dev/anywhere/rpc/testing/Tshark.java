package dev.anywhere.rpc.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * tshark (Wireshark 4.0, Debian's tshark package) for interop tests: a loopback capture running while a test talks,
 * and runs over a capture file. Skipped without tshark unless {@code CI=true} ({@link #require()}).
 */
public final class Tshark {

    public static final Path PATH = Path.of("/usr/bin/tshark");

    private Tshark() {
    }

    public static void require() {
        Peers.requireExecutable(PATH, "tshark");
    }

    /** A capture on the loopback interface into {@code pcap}; {@link #close()} waits for the last segments, then stops it. */
    public static final class Capture implements AutoCloseable {
        private final Process process;

        private Capture(Process process) {
            this.process = process;
        }

        /** Starts capturing packets that match the BPF {@code filter}; returns once dumpcap sees the interface. */
        public static Capture start(String filter, Path pcap) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(PATH.toString(), "-i", "lo", "-f", filter, "-w", pcap.toString())
                    .redirectErrorStream(true).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line;
            // tshark announces "Capturing on 'Loopback: lo'" once dumpcap runs; it exits early if it cannot capture.
            while ((line = r.readLine()) != null && !line.contains("Capturing on")) {
                seen.append(line).append('\n');
            }
            if (line == null) {
                p.destroy();
                throw new IllegalStateException("tshark did not start capturing: " + seen);
            }
            // "Capturing on" can come a moment before dumpcap sees packets; what follows must be in the capture.
            Thread.sleep(1000);
            return new Capture(p);
        }

        @Override
        public void close() throws InterruptedException {
            Thread.sleep(1000); // let dumpcap write the last segments
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs tshark with {@code args}; its standard output without the warning about running as root. */
    public static String run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PATH.toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroy();
            throw new IllegalStateException("tshark did not finish within 60 s: " + command);
        }
        return out.replace("Running as user \"root\" and group \"root\". This could be dangerous.\n", "");
    }
}
