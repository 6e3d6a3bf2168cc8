package dev.anywhere.lab.router;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stopping a peer daemon started as a child process (nginx, HAProxy) together with the workers it forked. */
public final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * Waits up to 10 s until {@code listen} accepts a connection; stops the process and throws, naming {@code what}
     * and the last lines of its log, when it exits first or never listens.
     *
     * @param what the daemon as messages name it ({@code nginx nginx-rpc on /127.0.100.252:443})
     * @param logTail the last lines of its log, one line
     */
    public static void awaitListening(String what, Process process, java.net.InetSocketAddress listen,
            java.util.function.Supplier<String> logTail) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + ": exited with status " + process.exitValue() + ": " + logTail.get()
                        + " (expected: running)");
            }
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(listen, 200);
                return;
            } catch (java.io.IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop(process);
                    throw new IllegalStateException(what + ": interrupted while starting", e);
                }
            }
        }
        stop(process);
        throw new IllegalStateException(what + ": not listening after 10 s: " + logTail.get() + " (expected: listening)");
    }

    /** SIGTERM, then waits for the process and its descendants; SIGKILL whatever is left after 5 s. */
    public static void stop(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle d : descendants) {
                try {
                    d.onExit().get(5, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    d.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        }
    }
}
