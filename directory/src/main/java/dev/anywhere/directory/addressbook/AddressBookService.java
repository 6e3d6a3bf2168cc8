package dev.anywhere.directory.addressbook;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the current {@link AddressBook}: reads the directory on one bounded background thread with a deadline and
 * swaps the new snapshot in atomically, so event-loop code calls {@link #current()} and never waits on LDAP. A failed
 * or late refresh keeps the previous snapshot (the address book goes stale, not empty, while the directory is down).
 *
 * <pre>{@code
 * AddressBookService book = AddressBookService.start(new LdapAddressBookLoader(directory),
 *         Duration.ofSeconds(10), Duration.ofMinutes(1));
 * book.current().byLegacyDn("/o=First Organization/ou=.../cn=Recipients/cn=franky");
 * }</pre>
 */
public final class AddressBookService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AddressBookService.class);

    /** Reads a whole snapshot; blocking, called only on the service's thread. */
    @FunctionalInterface
    public interface Loader {
        AddressBook load(MidAllocator mids);
    }

    private final Loader loader;
    private final Duration deadline;
    private final MidAllocator mids = new MidAllocator();
    private final AtomicReference<AddressBook> current = new AtomicReference<>(AddressBook.empty());
    private final ThreadPoolExecutor reader;
    private final ScheduledExecutorService timer;
    private final AtomicReference<CompletableFuture<AddressBook>> inFlight = new AtomicReference<>();

    private AddressBookService(Loader loader, Duration deadline) {
        this.loader = Objects.requireNonNull(loader, "loader");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        // One reader, one queued refresh at most: refreshes coalesce instead of piling up behind a slow directory.
        this.reader = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
                r -> daemon(r, "address-book-reader"), new ThreadPoolExecutor.DiscardPolicy());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "address-book-timer"));
    }

    /**
     * Starts the service: the first snapshot is read now (the returned service may still hold the empty one if the
     * directory is slow or down; {@link #refresh()} tells when it is in), then every {@code interval}.
     *
     * @param deadline how long one read may take before it is abandoned and the old snapshot kept
     * @param interval time between refreshes; zero or negative: only on {@link #refresh()}
     */
    public static AddressBookService start(Loader loader, Duration deadline, Duration interval) {
        AddressBookService service = new AddressBookService(loader, deadline);
        service.refresh();
        if (!interval.isZero() && !interval.isNegative()) {
            service.timer.scheduleWithFixedDelay(service::refresh, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return service;
    }

    /** A service that serves {@code book} and never reads a directory (tests, tools). */
    public static AddressBookService of(AddressBook book) {
        AddressBookService service = new AddressBookService(m -> book, Duration.ofSeconds(1));
        service.current.set(book);
        return service;
    }

    /** The current snapshot; never blocks. */
    public AddressBook current() {
        return current.get();
    }

    /** The allocator snapshots draw MIds from (tests and loaders that build snapshots by hand). */
    public MidAllocator mids() {
        return mids;
    }

    /**
     * Reads the directory again off the caller's thread; completes with the new snapshot, or exceptionally when the
     * read fails or misses the deadline (the previous snapshot stays). A refresh requested while one runs joins it.
     */
    public CompletableFuture<AddressBook> refresh() {
        CompletableFuture<AddressBook> mine = new CompletableFuture<>();
        CompletableFuture<AddressBook> running = inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        mine.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS).whenComplete((book, failure) -> {
            inFlight.compareAndSet(mine, null);
            if (failure != null) {
                LOG.warn("address book refresh failed; serving the snapshot of {}: {}", current().loadedAt(),
                        failure instanceof java.util.concurrent.TimeoutException
                                ? "no answer within " + deadline.toMillis() + " ms" : String.valueOf(failure.getMessage()));
            }
        });
        try {
            reader.execute(() -> {
                if (mine.isDone()) {
                    return; // timed out while queued
                }
                try {
                    AddressBook book = loader.load(mids);
                    if (!mine.isDone()) {
                        current.set(book);
                        mine.complete(book);
                    }
                } catch (RuntimeException e) {
                    mine.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            mine.completeExceptionally(e);
        }
        return mine;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        reader.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
