package dev.anywhere.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.anywhere.server.config.AppliedConfigFile;
import dev.anywhere.server.config.HttpAuthScheme;
import dev.anywhere.server.config.RpcVdirConfig;
import dev.anywhere.server.config.ValidPorts;
import dev.anywhere.directory.SiteInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * Raw bytes from a client into the gateway's HTTP front — the pipeline {@link Gateway#initPipeline} builds for every
 * connection (listener deadlines, {@link HttpServerCodec}, request checks, {@link GatewayHandler} with the /rpc and
 * Autodiscover routes) — in an {@link EmbeddedChannel}, then the client hangs up. Whatever the bytes, nothing is thrown out of the pipeline, whatever is written is an HTTP/1.x response, and no
 * buffer leaks: every buffer the channel allocated is released when it closes, and Netty's leak detector (PARANOID)
 * reports nothing. Backends resolve to nothing (no DNS, no sockets), so an /rpc request that passes authentication and
 * ValidPorts ends in 503; credentials are {@link GatewayTest#CREDENTIALS}. Inputs: {@code GatewayHttpFuzzTestInputs/}
 * (requests as {@link GatewayTest} sends them: challenges, Basic, echo, RPC_IN_DATA, Autodiscover POSTs).
 * docs/fuzzing.md
 */
@Timeout(10) // per input: JUnit enforces it on each committed input, Jazzer passes it to libFuzzer when fuzzing
class GatewayHttpFuzzTest {

    private static final List<String> LEAKS = Collections.synchronizedList(new ArrayList<>());
    private static final Gateway GATEWAY;
    private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                return new ResourceLeakDetector<>(resource, samplingInterval) {
                    @Override
                    protected void reportTracedLeak(String resourceType, String records) {
                        LEAKS.add(resourceType + records);
                    }

                    @Override
                    protected void reportUntracedLeak(String resourceType) {
                        LEAKS.add(resourceType);
                    }
                };
            }
        });
        try {
            Path dataDir = Files.createTempDirectory("fuzz-gateway");
            dataDir.toFile().deleteOnExit();
            new AppliedConfigFile(dataDir).write(new RpcVdirConfig("EX1", true, EnumSet.allOf(HttpAuthScheme.class), false,
                    ValidPorts.forServer("EX1", "ex1.frankysweb.local", List.of(6001, 6002, 6004, 593))), 1, Instant.now());
            var identity = Gateway.ntlmIdentity("EX1", new SiteInfo("frankysweb.local", "FRANKYSWEB", "First Organization",
                    "frankysweb.org"));
            // A real gateway (its listener on a loopback port nobody uses here) lends its pipeline to each input.
            GATEWAY = Gateway.start(new Gateway.Options(dataDir, "EX1", new InetSocketAddress("127.0.0.1", 0), Optional.empty(),
                    GatewayTest.CREDENTIALS, "oa.frankysweb.org", identity)
                    .withBackendResolver(BackendResolver.of(Map.of()).withoutSystemDns()), METRICS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void answersOrCloses(byte[] input) throws Exception {
        TrackingAllocator alloc = new TrackingAllocator();
        // Registered only once the allocator is set; the initializer then builds the pipeline during registration, so
        // the handlers see channelActive as on an accepted socket.
        EmbeddedChannel channel = new EmbeddedChannel(false, true, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                GATEWAY.initPipeline(ch);
            }
        });
        channel.config().setAllocator(alloc);
        channel.register();
        StringBuilder written = new StringBuilder();
        try {
            channel.writeInbound(alloc.buffer(input.length).writeBytes(input));
            channel.runPendingTasks();
            // A logon that needs the (in-memory) directory completes on the logon pool within a millisecond or two and
            // comes back as a task; reading may also stay off for other reasons (a channel's back-pressure), so the
            // wait is short.
            for (int i = 0; i < 50 && channel.isActive() && !channel.config().isAutoRead(); i++) {
                Thread.sleep(1);
                channel.runPendingTasks();
            }
            channel.checkException();
            drain(channel, written);
            channel.close();
            channel.runPendingTasks();
            channel.checkException();
            drain(channel, written);
        } finally {
            channel.finishAndReleaseAll();
        }
        if (written.length() > 0) {
            assertThat(written.toString()).startsWith("HTTP/1.");
        }
        for (ByteBuf b : alloc.allocated) {
            assertThat(b.refCnt()).as("buffer allocated by the channel, released when it closed").isZero();
        }
        assertThat(LEAKS).as("leaks reported by Netty's detector").isEmpty();
    }

    private static void drain(EmbeddedChannel channel, StringBuilder written) {
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            if (o instanceof ByteBuf b) {
                if (written.length() < 16) {
                    written.append(b.toString(StandardCharsets.ISO_8859_1));
                }
                b.release();
            } else {
                io.netty.util.ReferenceCountUtil.release(o);
            }
        }
    }

    /** The pooled allocator (leak-detected), remembering every buffer it handed out for this channel. */
    private static final class TrackingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> allocated = new ArrayList<>();
        private final ByteBufAllocator pooled = PooledByteBufAllocator.DEFAULT;

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return track(pooled.heapBuffer(initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return track(pooled.directBuffer(initialCapacity, maxCapacity));
        }

        private ByteBuf track(ByteBuf b) {
            allocated.add(b);
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return true;
        }
    }
}
