package dev.anywhere.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
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

    /** Parses {@code ADDR:PORT} ({@code [::1]:443} for IPv6). Loopback and local addresses only, as the lab needs. */
    static InetSocketAddress address(String option, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw UserError.usage(option + ": '" + value + "' (expected: ADDRESS:PORT, e.g. 127.0.100.251:443)");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw UserError.usage(option + ": '" + value + "' has no port number (expected: ADDRESS:PORT)");
        }
        if (port < 0 || port > 65535) {
            throw UserError.usage(option + ": port " + port + " (expected: 0..65535)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw UserError.usage(option + ": unknown address '" + host + "'");
        }
    }
}
