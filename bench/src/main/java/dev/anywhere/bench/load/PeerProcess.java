package dev.anywhere.bench.load;

import dev.anywhere.lab.router.ProcessTree;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the peer relays started as child processes (nginx, HAProxy) share: waiting until they listen and their pids;
 * {@link ProcessTree#stop} stops them.
 */
final class PeerProcess {

    private PeerProcess() {
    }

    /**
     * Waits (10 s at most) until {@code process} accepts connections on {@code listen}; on failure stops it and throws
     * with the tail of its log.
     */
    static void awaitListening(String name, Process process, InetSocketAddress listen, Supplier<String> logTail) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with status " + process.exitValue() + ": " + logTail.get());
            }
            try (Socket s = new Socket()) {
                s.connect(listen, 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    ProcessTree.stop(process);
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while starting " + name, e);
                }
            }
        }
        ProcessTree.stop(process);
        throw new IOException(name + " not listening on " + listen + " after 10 s: " + logTail.get());
    }

    /** The process and its descendants (nginx's workers). */
    static List<Long> pids(Process process) {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(h -> pids.add(h.pid()));
        return pids;
    }
}
