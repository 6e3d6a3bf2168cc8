package dev.anywhere.lab.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A daemon started as a child (nginx, HAProxy) does not notice that its parent JVM is gone; {@link ProcessTree#stopAtExit}
 * must stop it when the JVM is ended by SIGTERM (Ctrl-C) before anything closed it.
 */
class ProcessTreeTest {

    /** A JVM that starts {@code sleep 300}, registered or not (args[0]), prints its pid and waits to be killed. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            Process sleeper = new ProcessBuilder("sleep", "300").start();
            if ("register".equals(args[0])) {
                ProcessTree.stopAtExit(sleeper);
            }
            System.out.println(sleeper.pid());
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    @Test
    void aRegisteredDaemonEndsWithTheJvmThatStartedIt() throws Exception {
        long daemon = runParentAndTerminate("register");
        try {
            assertThat(endsWithin(daemon, 5)).as("the registered child is stopped by the shutdown hook").isTrue();
        } finally {
            ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void anUnregisteredDaemonOutlivesItsParentWhichIsWhyTheHookExists() throws Exception {
        long daemon = runParentAndTerminate("leave");
        try {
            assertThat(endsWithin(daemon, 1)).as("sleep survives a parent that did not register it").isFalse();
        } finally {
            ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void stopStopsTheProcessAndItIsNoLongerTheHooksToStop() throws Exception {
        Process sleeper = ProcessTree.stopAtExit(new ProcessBuilder("sleep", "300").start());
        ProcessTree.stop(sleeper);
        assertThat(sleeper.isAlive()).isFalse();
    }

    /** Starts {@link Parent}, reads the sleeper's pid, ends the parent with SIGTERM and returns the pid. */
    private static long runParentAndTerminate(String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process parent = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Parent.class.getName(), mode))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.US_ASCII))) {
            long pid = Long.parseLong(out.readLine().trim());
            parent.destroy(); // SIGTERM: shutdown hooks run
            assertThat(parent.waitFor(20, TimeUnit.SECONDS)).as("the parent JVM ends on SIGTERM").isTrue();
            return pid;
        } finally {
            parent.destroyForcibly();
        }
    }

    private static boolean endsWithin(long pid, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        do {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty() || !h.get().isAlive()) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return false;
    }
}
