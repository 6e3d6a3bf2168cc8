package dev.anywhere.rpc.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real peers interop tests need (Debian packages): a test is skipped when its peer is missing on a developer
 * machine, and fails when {@code CI=true}, where .ci/run must have installed it.
 */
public final class Peers {

    /** Debian's Python, where python3-impacket installs (not a pyenv or virtualenv one). */
    public static final String PYTHON = "/usr/bin/python3";

    private Peers() {
    }

    /** Skips (or under CI fails) unless {@code available}. */
    public static void require(boolean available, String what) {
        if (!available && "true".equals(System.getenv("CI"))) {
            Assertions.fail(what + " is required when CI=true (.ci/run installs it)");
        }
        Assumptions.assumeTrue(available, what + " is not installed");
    }

    /** impacket 0.10 (python3-impacket), importable as {@code module}. */
    public static void requireImpacket(String module) {
        require(pythonImports(module), "python3-impacket (" + PYTHON + " -c 'import " + module + "')");
    }

    /** Samba's Python bindings (python3-samba), importable as {@code module}. */
    public static void requireSamba(String module) {
        require(pythonImports(module), "python3-samba (" + PYTHON + " -c 'import " + module + "')");
    }

    /** An executable such as /usr/sbin/nginx or /usr/bin/tshark. */
    public static void requireExecutable(Path path, String debianPackage) {
        require(Files.isExecutable(path), debianPackage + " (" + path + ")");
    }

    static boolean pythonImports(String module) {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import " + module).redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
