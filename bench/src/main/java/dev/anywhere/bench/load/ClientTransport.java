package dev.anywhere.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The Netty transport of the bench's load clients: native epoll where its library is on the class path, else NIO.
 * Every client arm (the RPC over HTTP load client and the direct ncacn_ip_tcp client the direct and HAProxy arms use)
 * runs on the same one, with the same number of event loops, so no reference arm is slowed by a costlier client
 * (until session 9 the direct client ran on NIO with four loops on one CPU: about twice the system calls per GiB).
 *
 * @param name {@code "epoll"} or {@code "nio"}, as reports name it
 */
public record ClientTransport(String name, IoHandlerFactory factory, Class<? extends Channel> channelClass) {

    /** {@code -Dlean.vc.nio=true} forces NIO (to compare, or where the native library misbehaves). */
    static final String FORCE_NIO = "lean.vc.nio";

    /** The transport to use here; looked up reflectively, so a class path without netty-transport-native-epoll works. */
    @SuppressWarnings("unchecked")
    public static ClientTransport pick() {
        if (!Boolean.getBoolean(FORCE_NIO)) {
            try {
                Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
                if ((Boolean) epoll.getMethod("isAvailable").invoke(null)) {
                    IoHandlerFactory f = (IoHandlerFactory) Class.forName("io.netty.channel.epoll.EpollIoHandler")
                            .getMethod("newFactory").invoke(null);
                    Class<? extends Channel> c = (Class<? extends Channel>) Class.forName("io.netty.channel.epoll.EpollSocketChannel");
                    return new ClientTransport("epoll", f, c);
                }
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // not on the class path, or no native library: NIO
            }
        }
        return new ClientTransport("nio", NioIoHandler.newFactory(), NioSocketChannel.class);
    }

    /** Event loops for a load client: one per CPU this JVM may use, at most four (one when pinned to one CPU). */
    public static int defaultIoThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /** A group of {@code threads} daemon event loops named {@code prefix-*} on this transport. */
    public EventLoopGroup newGroup(int threads, String prefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(prefix, true), factory);
    }
}
