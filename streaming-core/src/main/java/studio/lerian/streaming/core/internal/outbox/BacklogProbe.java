package studio.lerian.streaming.core.internal.outbox;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import studio.lerian.streaming.internal.LogLine;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.spi.OutboxStore;

/**
 * Asks the outbox, at every poll interval, whether it holds unpublished rows, on every instance that has an outbox
 * store, whether or not it relays: it keeps the strict-ordering {@link BacklogFlag} up to date, so that rows parked by
 * any instance hold their keys' later events back on this one too, and it keeps the backlog that the gauges and the
 * readiness check report. Runs on a daemon thread of its own, so that a relay busy with a batch never delays it.
 *
 * <p>Each probe asks the cheap question ({@link OutboxStore#hasAnyUnpublished()}); the rows are counted
 * ({@link OutboxStore#backlog()}) only while some exist, and then at most once every {@link #COUNT_EVERY}, because a
 * count walks the whole backlog and every instance runs a probe. Thread-safe.
 */
public final class BacklogProbe implements AutoCloseable {

    /** How often, at most, a backlog is counted for the gauges and the readiness data: every 5 s. */
    static final Duration COUNT_EVERY = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    private final OutboxStore store;
    private final BacklogFlag flag;
    private final OpenParks openParks;
    private final Duration interval;
    private final String producerId;
    private final LongSupplier nanoClock;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<OutboxBacklog> lastBacklog = new AtomicReference<>(OutboxBacklog.EMPTY);
    private final AtomicLong completed = new AtomicLong();
    private volatile ScheduledFuture<?> probes;
    private long lastCount;
    private boolean counted;
    private boolean failing;

    /**
     * @param store the outbox table
     * @param flag the strict-ordering flag this probe keeps up to date
     * @param openParks this instance's parks in callers' transactions not ended yet: the flag stays up meanwhile
     * @param interval the poll interval ({@code STREAMING_OUTBOX_POLL_INTERVAL_MS})
     * @param producerId names the thread and the log lines
     */
    public BacklogProbe(OutboxStore store, BacklogFlag flag, OpenParks openParks, Duration interval,
            String producerId) {
        this(store, flag, openParks, interval, producerId, System::nanoTime,
                Executors.newSingleThreadScheduledExecutor(task -> {
                    Thread t = new Thread(task, "streaming-outbox-probe-" + producerId);
                    t.setDaemon(true);
                    return t;
                }));
    }

    /** As above, with the clock of the counts and the scheduler, which {@link #close()} shuts down (tests). */
    BacklogProbe(OutboxStore store, BacklogFlag flag, OpenParks openParks, Duration interval, String producerId,
            LongSupplier nanoClock, ScheduledExecutorService scheduler) {
        this.store = store;
        this.flag = flag;
        this.openParks = openParks;
        this.interval = interval;
        this.producerId = producerId;
        this.nanoClock = nanoClock;
        this.scheduler = scheduler;
    }

    /** Probes now, then at every poll interval after the previous probe ended. */
    public void start() {
        probes = scheduler.scheduleWithFixedDelay(this::probeSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @return the backlog as last counted: empty as soon as a probe finds no unpublished row; while rows exist, at
     *         most {@link #COUNT_EVERY} old
     */
    public OutboxBacklog backlog() {
        return lastBacklog.get();
    }

    /** @return how many probes have completed since start (diagnosis and tests) */
    public long completed() {
        return completed.get();
    }

    /** A probe that fails is logged once per run of failures and leaves the flag as it is; the schedule goes on. */
    private void probeSafely() {
        try {
            probeOnce();
            if (failing) {
                failing = false;
                LOG.log(Level.INFO, () -> LogLine.of("streaming: outbox backlog probe recovered")
                        .field("producer_id", producerId).toString());
            }
        } catch (Throwable t) { // anything: a scheduled task that throws is never run again
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, () -> LogLine.of("streaming: outbox backlog probe failed (logged once until it"
                        + " succeeds again)").field("producer_id", producerId).field("error", Sanitizer.describe(t))
                        .toString());
            }
        }
    }

    /**
     * One probe: is any row unpublished, or parked here in a transaction still open; counts the rows when due. Runs on
     * the probe's thread (or a test's). The order of the reads is what makes lowering the flag safe (see
     * {@link BacklogFlag}): the raises first, then the open parks, then the store.
     */
    synchronized void probeOnce() {
        long raisesBefore = flag.raises();
        boolean parksOpen = openParks.any();
        boolean any = store.hasAnyUnpublished();
        flag.probed(!any && !parksOpen, raisesBefore);
        long now = nanoClock.getAsLong();
        if (!any) {
            lastBacklog.set(OutboxBacklog.EMPTY);
            counted = false;
        } else if (!counted || now - lastCount >= COUNT_EVERY.toNanos()) {
            lastBacklog.set(store.backlog());
            lastCount = now;
            counted = true;
        }
        completed.incrementAndGet();
    }

    /** Stops probing; a probe in progress finishes. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            ScheduledFuture<?> started = probes;
            if (started != null) {
                started.cancel(false);
            }
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
