package dev.anywhere.cli;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Shared plumbing for the commands that run a server role until interrupted. */
final class Roles {

    private Roles() {
    }

    /** Blocks until Ctrl-C (or SIGTERM), then runs {@code stop}. */
    static void runUntilInterrupted(AutoCloseable... stop) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            for (AutoCloseable c : stop) {
                try {
                    c.close();
                } catch (Exception e) {
                    // Closing is best effort on the way out.
                }
            }
            done.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        done.await();
    }

    /**
     * Starts a listening role; a socket that cannot be bound becomes one line that names the cause. {@code where} is
     * what the role listens on as the administrator wrote it, {@code lowestPort} its lowest port.
     */
    static <T> T listening(String role, String where, int lowestPort, Callable<T> start) throws Exception {
        try {
            return start.call();
        } catch (Exception e) {
            Optional<java.io.IOException> bind = bindFailure(e);
            if (bind.isEmpty()) {
                throw e;
            }
            throw UserError.unavailable(cannotListen(role, where, lowestPort, bind.get()));
        }
    }

    /** Why {@code at} could not be bound, in an administrator's words (no exception class names). */
    static String cannotListen(String role, String where, int lowestPort, java.io.IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        String cause;
        if (message.contains("permission denied") || message.contains("access denied") || message.contains("error(-13)")) {
            cause = lowestPort < 1024
                    ? CliText.local("roles.permission-denied-low-port")
                    : CliText.local("roles.permission-denied");
        } else if (message.contains("in use") || message.contains("error(-98)")) {
            cause = CliText.local("roles.address-in-use");
        } else if (message.contains("assign requested address") || message.contains("error(-99)")) {
            cause = CliText.local("roles.no-such-address");
        } else {
            cause = String.valueOf(e.getMessage());
        }
        return CliText.local("roles.cannot-listen", "role", role, "where", where, "cause", cause);
    }

    /**
     * The bind failure behind {@code e}: the JDK's {@link BindException} (NIO), or Netty's native transports' own
     * exception ({@code bind(..) failed with error(-98): …} on epoll and io_uring), told apart by its message.
     */
    private static Optional<java.io.IOException> bindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException b) {
                return Optional.of(b);
            }
            if (t instanceof java.io.IOException io && String.valueOf(io.getMessage()).startsWith("bind(")) {
                return Optional.of(io);
            }
        }
        return Optional.empty();
    }

    /** Parses {@code ADDR:PORT} ({@code [::1]:443} for IPv6). Loopback and local addresses only, as the lab needs. */
    static InetSocketAddress address(String option, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw UserError.usage(CliText.local("roles.address-bad", "option", option, "value", value));
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw UserError.usage(CliText.local("roles.port-missing", "option", option, "value", value));
        }
        if (port < 0 || port > 65535) {
            throw UserError.usage(CliText.local("roles.port-bad", "option", option, "port", port));
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw UserError.usage(CliText.local("roles.unknown-address", "option", option, "host", host));
        }
    }
}
