package dev.anywhere.server.gateway.rpch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
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
}
