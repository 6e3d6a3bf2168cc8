package dev.anywhere.directory.addressbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AddressBookServiceTest {

    private static AddressBook book(Instant at) {
        return new AddressBook(List.of(), List.of(), List.of(), at);
    }

    @Test
    void aReadThatMissesTheDeadlineKeepsThePreviousSnapshot() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        AddressBook first = book(Instant.ofEpochSecond(1));
        try (AddressBookService service = AddressBookService.start(mids -> {
            if (calls.incrementAndGet() == 1) {
                return first;
            }
            try {
                release.await(10, TimeUnit.SECONDS); // a directory that does not answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return book(Instant.ofEpochSecond(2));
        }, Duration.ofMillis(200), Duration.ZERO)) {
            waitFor(service, first);
            assertThatThrownBy(() -> service.refresh().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
            release.countDown();
            assertThat(service.current()).isSameAs(first);
        }
    }

    @Test
    void aFailedReadKeepsThePreviousSnapshotAndAFollowingOneReplacesIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AddressBook first = book(Instant.ofEpochSecond(1));
        AddressBook third = book(Instant.ofEpochSecond(3));
        try (AddressBookService service = AddressBookService.start(mids -> switch (calls.incrementAndGet()) {
            case 1 -> first;
            case 2 -> throw new IllegalStateException("directory down");
            default -> third;
        }, Duration.ofSeconds(5), Duration.ZERO)) {
            waitFor(service, first);
            assertThatThrownBy(() -> service.refresh().get(5, TimeUnit.SECONDS)).hasRootCauseMessage("directory down");
            assertThat(service.current()).isSameAs(first);
            assertThat(service.refresh().get(5, TimeUnit.SECONDS)).isSameAs(third);
            assertThat(service.current()).isSameAs(third);
        }
    }

    @Test
    void midsAreStablePerGuidAndStartAtSixteen() {
        MidAllocator mids = new MidAllocator();
        java.util.UUID a = java.util.UUID.randomUUID();
        assertThat(mids.midFor(a)).isEqualTo(0x10);
        assertThat(mids.midFor(java.util.UUID.randomUUID())).isEqualTo(0x11);
        assertThat(mids.midFor(a)).isEqualTo(0x10);
    }

    private static void waitFor(AddressBookService service, AddressBook expected) throws InterruptedException {
        for (int i = 0; i < 500 && service.current() != expected; i++) {
            Thread.sleep(10);
        }
        assertThat(service.current()).isSameAs(expected);
    }
}
