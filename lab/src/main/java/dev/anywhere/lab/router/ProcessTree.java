package dev.anywhere.lab.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/** Stopping a peer daemon started as a child process (nginx, HAProxy) together with the workers it forked. */
public final class ProcessTree {

    /** The daemons {@link #stopAtExit} registered and {@link #stop} has not stopped yet. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    /** Set once the JVM's shutdown hook that stops {@link #RUNNING} is registered. */
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private ProcessTree() {
    }

    /**
     * Stops {@code process} and its workers when this JVM exits before {@link #stop} did (Ctrl-C, SIGTERM): nginx and
     * HAProxy do not notice that their parent is gone, and a daemon left behind keeps its ports and its CPU (the
     * benchmark's next run would measure beside it). Returns {@code process}.
     */
    public static Process stopAtExit(Process process) {
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(ProcessTree::stopAll, "stop-child-daemons"));
        }
        RUNNING.add(process);
        return process;
    }

    /** The shutdown hook: SIGTERM to every registered daemon and its workers, then SIGKILL what is left after 2 s. */
    private static void stopAll() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : RUNNING) {
            p.descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                h.destroyForcibly();
            } catch (InterruptedException e) {
                h.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
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
        RUNNING.remove(process);
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
