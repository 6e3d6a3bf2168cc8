package dev.anywhere.bench.load;

import java.util.concurrent.CompletableFuture;

/** One bound RPC association the load client drives: a direct ncacn_ip_tcp connection or a virtual connection. */
public interface LoadConnection extends AutoCloseable {

    /** Sends {@code stub} to the echo interface (opnum 0); completes with the response stub's length. */
    CompletableFuture<Integer> echo(byte[] stub);

    @Override
    void close();
}
