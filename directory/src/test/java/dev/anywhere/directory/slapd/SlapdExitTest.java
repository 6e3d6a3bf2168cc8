package dev.anywhere.directory.slapd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.directory.ldap.SiteSeed;
import dev.anywhere.directory.testing.SlapdServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** slapd started by a JVM that is then ended by SIGTERM, before anything closed it, ends with that JVM. */
class SlapdExitTest {

    /** A JVM that configures and starts slapd in args[0], prints its pid and waits to be killed. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            Slapd.configure(dir, SiteSeed.frankysweb("pw"), "root-secret", Optional.empty());
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Slapd slapd = Slapd.start(dir, "127.0.0.1", port);
            System.out.println(slapd.pid());
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    @Test
    @Timeout(90)
    void slapdEndsWithTheJvmThatStartedIt(@TempDir Path dir) throws Exception {
        SlapdServer.assumeAvailable();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process parent = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Parent.class.getName(),
                dir.toString())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long slapd = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.US_ASCII))) {
            slapd = Long.parseLong(out.readLine().trim());
            assertThat(ProcessHandle.of(slapd).map(ProcessHandle::isAlive)).contains(true);
            parent.destroy(); // SIGTERM: shutdown hooks run
            assertThat(parent.waitFor(20, TimeUnit.SECONDS)).as("the parent JVM ends on SIGTERM").isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ProcessHandle.of(slapd).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ProcessHandle.of(slapd).map(ProcessHandle::isAlive).orElse(false)).as("slapd stopped by the exit hook").isFalse();
        } finally {
            parent.destroyForcibly();
            if (slapd > 0) {
                ProcessHandle.of(slapd).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
