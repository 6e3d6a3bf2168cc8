package dev.anywhere.server.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The Netty transport of the gateway, the RPC endpoints and the lab's router: epoll or io_uring where Linux offers them,
 * NIO otherwise, chosen once at start ({@code --transport auto|epoll|io_uring|nio}, or the system property
 * {@value #PROPERTY}). A requested native transport that cannot load falls back to NIO and says why
 * ({@link #fallbackReason()}), so a machine without it still runs; {@code /health} and the bench report name what runs.
 *
 * <p>{@code auto} prefers epoll: Netty's longest-serving native transport, which needs no locked memory (io_uring's
 * rings count against RLIMIT_MEMLOCK and some kernels or containers disable io_uring outright). docs/performance.md
 * compares the three.
 */
public final class NettyTransport {

    /** The system property that {@code --transport} sets for the whole process. */
    public static final String PROPERTY = "anywhere.transport";

    /** What may be asked for. */
    public enum Choice {
        AUTO, EPOLL, IO_URING, NIO;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code auto}, {@code epoll}, {@code io_uring} or {@code nio} (case-insensitive). */
        public static Choice parse(String text) {
            for (Choice c : values()) {
                if (c.id().equalsIgnoreCase(text.trim())) {
                    return c;
                }
            }
            throw new dev.anywhere.rpc.input.InvalidValue("transport", text, "transport: '" + text + "' (expected: auto, epoll, io_uring or nio)");
        }
    }

    private final Choice choice;
    private final String name;
    private final IoHandlerFactory factory;
    private final Class<? extends ServerSocketChannel> serverChannel;
    private final Class<? extends SocketChannel> socketChannel;
    private final String fallbackReason;

    private NettyTransport(Choice choice, String name, IoHandlerFactory factory, Class<? extends ServerSocketChannel> serverChannel,
            Class<? extends SocketChannel> socketChannel, String fallbackReason) {
        this.choice = choice;
        this.name = name;
        this.factory = factory;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
        this.fallbackReason = fallbackReason;
    }

    /** The transport for {@code choice}: the native one asked for, or NIO with the reason when it cannot load. */
    public static NettyTransport choose(Choice choice) {
        return switch (choice) {
            case NIO -> nio(choice, null);
            case EPOLL -> epoll(choice).orNio(choice);
            case IO_URING -> ioUring(choice).orNio(choice);
            case AUTO -> {
                Attempt e = epoll(choice);
                if (e.transport != null) {
                    yield e.transport;
                }
                Attempt u = ioUring(choice);
                yield u.transport != null ? u.transport : nio(choice, e.reason + "; " + u.reason);
            }
        };
    }

    /** The process-wide transport: {@value #PROPERTY} ({@code auto} when unset), read at each start of a server. */
    public static NettyTransport configured() {
        String value = System.getProperty(PROPERTY);
        return choose(value == null || value.isBlank() ? Choice.AUTO : Choice.parse(value));
    }

    /**
     * The client channel class for a connection opened from {@code sibling}'s event loop (the proxy's server legs, the
     * router's backend side): an event loop serves only channels of its own transport.
     */
    public static Class<? extends SocketChannel> socketChannelFor(Channel sibling) {
        if (sibling instanceof EpollSocketChannel || sibling instanceof EpollServerSocketChannel) {
            return EpollSocketChannel.class;
        }
        if (sibling instanceof IoUringSocketChannel || sibling instanceof IoUringServerSocketChannel) {
            return IoUringSocketChannel.class;
        }
        return NioSocketChannel.class;
    }

    /**
     * One event loop per CPU this JVM may use (which {@code taskset} and {@code -XX:ActiveProcessorCount} lower): the
     * servers' default. A server whose loops never block gains nothing from Netty's default of two per CPU: the two
     * only take turns on it, each switch a wake-up, and a virtual connection's two connections, handed to the loops in
     * turn, would each wake their own thread for every call.
     */
    public static int oneLoopPerCpu() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** A group of {@code threads} event loops of this transport (0: Netty's default, twice the CPUs). */
    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    /** As {@link #newGroup(int)}, with daemon threads named {@code threadPrefix-*} (so a profile tells the groups apart). */
    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true), factory);
    }

    public Class<? extends ServerSocketChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return socketChannel;
    }

    /** {@code epoll}, {@code io_uring} or {@code nio}: what runs. */
    public String name() {
        return name;
    }

    /** What was asked for. */
    public Choice choice() {
        return choice;
    }

    /** Why the native transport asked for does not run (null when it does, or when NIO was asked for). */
    public String fallbackReason() {
        return fallbackReason;
    }

    /** For logs and reports: {@code epoll}, or {@code nio (io_uring unavailable: ...)}. */
    public String describe() {
        return fallbackReason == null ? name : name + " (" + fallbackReason + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    private record Attempt(NettyTransport transport, String reason) {
        NettyTransport orNio(Choice choice) {
            return transport != null ? transport : nio(choice, reason);
        }
    }

    private static NettyTransport nio(Choice choice, String reason) {
        return new NettyTransport(choice, "nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class, reason);
    }

    private static Attempt epoll(Choice choice) {
        return attempt("epoll", Epoll::isAvailable, Epoll::unavailabilityCause,
                () -> new NettyTransport(choice, "epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class, null));
    }

    private static Attempt ioUring(Choice choice) {
        return attempt("io_uring", IoUring::isAvailable, IoUring::unavailabilityCause,
                () -> new NettyTransport(choice, "io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                        IoUringSocketChannel.class, null));
    }

    private static Attempt attempt(String name, Supplier<Boolean> available, Supplier<Throwable> cause, Supplier<NettyTransport> make) {
        try {
            if (available.get()) {
                return new Attempt(make.get(), null);
            }
            Throwable t = cause.get();
            return new Attempt(null, name + " unavailable: " + (t == null || t.getMessage() == null ? "not supported here" : t.getMessage()));
        } catch (LinkageError | RuntimeException e) {
            // no native library for this platform (the jars carry linux-x86_64 only)
            return new Attempt(null, name + " unavailable: " + (e.getMessage() == null ? "no native library" : e.getMessage()));
        }
    }
}
