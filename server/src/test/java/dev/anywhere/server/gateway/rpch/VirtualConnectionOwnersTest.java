package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.anywhere.rpc.rpch.RtsPdus;
import dev.anywhere.server.gateway.BackendResolver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The gateway's table binding virtual connection cookies to accounts, on a hand-driven clock. */
class VirtualConnectionOwnersTest {

    final AtomicLong now = new AtomicLong();
    final VirtualConnectionOwners owners = new VirtualConnectionOwners(Duration.ofSeconds(30), 3, now::get);
    final UUID vc = UUID.randomUUID();
    final Object in = new Object();
    final Object out = new Object();

    @Test
    void aCookieBelongsToTheFirstAccountComparedCaseInsensitively() {
        assertThat(owners.claim(vc, "FRANKYSWEB\\franky", in)).isInstanceOf(VirtualConnectionOwners.Granted.class);
        assertThat(owners.claim(vc, "frankysweb\\FRANKY", out)).isInstanceOf(VirtualConnectionOwners.Granted.class);
        assertThat(owners.claim(vc, "FRANKYSWEB\\hanna", new Object()))
                .isEqualTo(new VirtualConnectionOwners.OwnedByOther("FRANKYSWEB\\franky"));
        assertThat(owners.size()).isEqualTo(1);
    }

    @Test
    void theBindingOutlivesTheLastChannelByTheGraceOnly() {
        owners.claim(vc, "FRANKYSWEB\\franky", in);
        owners.claim(vc, "FRANKYSWEB\\franky", out);
        owners.release(vc, in);
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(owners.claim(vc, "FRANKYSWEB\\hanna", new Object())).isInstanceOf(VirtualConnectionOwners.OwnedByOther.class);
        owners.release(vc, out);
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(owners.claim(vc, "FRANKYSWEB\\hanna", new Object())).isInstanceOf(VirtualConnectionOwners.OwnedByOther.class);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        Object hannas = new Object();
        assertThat(owners.claim(vc, "FRANKYSWEB\\hanna", hannas)).isInstanceOf(VirtualConnectionOwners.Granted.class);
        assertThat(owners.claim(vc, "FRANKYSWEB\\franky", in)).isEqualTo(new VirtualConnectionOwners.OwnedByOther("FRANKYSWEB\\hanna"));
    }

    @Test
    void theOwnerReclaimingDuringTheGraceKeepsTheBinding() {
        owners.claim(vc, "FRANKYSWEB\\franky", in);
        owners.release(vc, in);
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        Object again = new Object();
        assertThat(owners.claim(vc, "FRANKYSWEB\\franky", again)).isInstanceOf(VirtualConnectionOwners.Granted.class);
        now.addAndGet(Duration.ofMinutes(5).toNanos()); // live again: no grace runs
        assertThat(owners.claim(vc, "FRANKYSWEB\\hanna", new Object())).isInstanceOf(VirtualConnectionOwners.OwnedByOther.class);
    }

    @Test
    void releasingAChannelThatNeverClaimedChangesNothing() {
        owners.claim(vc, "FRANKYSWEB\\franky", in);
        owners.release(vc, out);
        owners.release(UUID.randomUUID(), in);
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(owners.claim(vc, "FRANKYSWEB\\hanna", out)).isInstanceOf(VirtualConnectionOwners.OwnedByOther.class);
    }

    @Test
    void aFullTableEvictsTheOldestIdleCookieAndRefusesWhenAllAreLive() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        owners.claim(a, "FRANKYSWEB\\franky", in);
        owners.claim(b, "FRANKYSWEB\\franky", out);
        owners.claim(vc, "FRANKYSWEB\\franky", new Object());
        owners.release(b, out);
        owners.release(a, in); // idle now, but after b
        assertThat(owners.claim(UUID.randomUUID(), "FRANKYSWEB\\hanna", new Object())).isInstanceOf(VirtualConnectionOwners.Granted.class);
        assertThat(owners.claim(b, "FRANKYSWEB\\hanna", new Object())).as("b, the oldest idle, was evicted")
                .isInstanceOf(VirtualConnectionOwners.Granted.class);
        assertThat(owners.size()).isEqualTo(3); // a went for b's new entry
        assertThat(owners.claim(UUID.randomUUID(), "FRANKYSWEB\\hanna", new Object()))
                .isEqualTo(new VirtualConnectionOwners.Full(3));
        assertThat(owners.claim(vc, "FRANKYSWEB\\hanna", new Object())).isInstanceOf(VirtualConnectionOwners.OwnedByOther.class);
    }

    /** A client connection that records the proxy's refusals. */
    static final class RecordingLeg implements ClientLeg {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final List<String> answers = new CopyOnWriteArrayList<>();

        @Override
        public Channel channel() {
            return channel;
        }

        @Override
        public void refuse(int status, String outcome, String text) {
            answers.add(status + " " + outcome);
        }

        @Override
        public void rpcError(int win32Error, String outcome) {
            answers.add("RPC Error: " + Integer.toHexString(win32Error) + " " + outcome);
        }
    }

    @Test
    void aChannelFindingEveryEntryLiveIsRefusedWith6bbBeforeAnySocket() {
        VirtualConnectionOwners one = new VirtualConnectionOwners(Duration.ofSeconds(30), 1, now::get);
        one.claim(vc, "FRANKYSWEB\\franky", in);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // Without the refusal the proxy would resolve "ex1" and, with no DNS, answer 6ba.
        RpcProxy proxy = new RpcProxy(ProxySettings.defaults(), BackendResolver.system().withoutSystemDns(),
                new ProxyMetrics(registry), one);
        RecordingLeg leg = new RecordingLeg();
        UUID other = UUID.randomUUID();
        ProxyChannel channel = proxy.inbound(leg, "FRANKYSWEB\\hanna", "ex1", 6001);
        channel.content(Unpooled.wrappedBuffer(RpchTestClient.bytes(RtsPdus.connB1(1, other, other, 1L << 30, 300_000, other))));
        leg.channel.runPendingTasks();
        assertThat(leg.answers).containsExactly("RPC Error: 6bb vc_table_full");
        assertThat(registry.get("anywhere.rpcproxy.failures").tag("reason", "vc_table_full").counter().count()).isEqualTo(1);
        assertThat(one.size()).isEqualTo(1);
        leg.channel.finishAndReleaseAll();
    }
}
