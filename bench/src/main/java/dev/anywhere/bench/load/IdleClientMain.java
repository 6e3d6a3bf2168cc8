package dev.anywhere.bench.load;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * One idle-capacity client worker in a JVM of its own: {@code <worker> <workers> <n> <gatewayPorts> <endpointPorts>
 * <timeoutMs> <threads> <warm>} (ports comma-separated). It opens virtual connection i for every i &lt; n with
 * i mod workers = worker, through gateway shard i mod shards to endpoint process (i mod shards) mod endpoints, from
 * source address {@link IdleProbe#sourceAddress(int) 127.1.x.y}: first those below {@code warm} (then {@code WARM <count>
 * [error]}, and it waits for {@code GO}), then the rest ({@code OPENED <count> [error]}); on
 * {@code CHECK} makes each answer a bind and prints {@code ANSWERED <count> [error]}.
 */
public final class IdleClientMain {

    private IdleClientMain() {
    }

    public static void main(String[] args) throws Exception {
        int worker = Integer.parseInt(args[0]);
        int workers = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int[] gateways = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        int[] endpoints = Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray();
        Duration timeout = Duration.ofMillis(Long.parseLong(args[5]));
        int threads = Integer.parseInt(args[6]);
        int warm = Integer.parseInt(args[7]);
        IdleProbe.Clients clients = new IdleProbe.Clients(n);
        IntFunction<InetSocketAddress> gateway = i -> new InetSocketAddress("127.0.0.1", gateways[i % gateways.length]);
        IntUnaryOperator endpoint = i -> endpoints[(i % gateways.length) % endpoints.length];
        clients.open(0, warm, i -> i % workers == worker, gateway, endpoint, threads, timeout);
        System.out.println("WARM " + clients.opened() + (clients.error() == null ? "" : " " + clients.error()));
        System.out.flush();
        if (!"GO".equals(new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.US_ASCII))
                .readLine())) {
            clients.close();
            System.exit(0);
        }
        if (clients.error() == null) {
            clients.open(warm, n, i -> i % workers == worker, gateway, endpoint, threads, timeout);
        }
        System.out.println("OPENED " + clients.opened() + (clients.error() == null ? "" : " " + clients.error()));
        System.out.flush();
        try {
            ChildJvm.serve(command -> {
                if (command.equals("CHECK")) {
                    String error = clients.checkAll(threads);
                    System.out.println("ANSWERED " + clients.answered() + (error == null ? "" : " " + error));
                } else {
                    System.out.println("ERROR unknown command: " + command);
                }
            });
        } finally {
            clients.close();
        }
        System.exit(0);
    }
}
