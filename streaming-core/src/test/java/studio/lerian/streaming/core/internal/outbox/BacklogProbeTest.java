package studio.lerian.streaming.core.internal.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.spi.OutboxStore;

/**
 * The backlog probe that every instance with an outbox store runs: it raises the strict-ordering flag when the table
 * has unpublished rows (whoever parked them) and lowers it when it has none and no park of this instance may still
 * commit; it counts the rows for the gauges only while some exist, at most once every
 * {@link BacklogProbe#COUNT_EVERY}; and a failing probe never ends the schedule.
 */
class BacklogProbeTest {

    private final AtomicLong clock = new AtomicLong();
    private final CountingStore store = new CountingStore();
    private final BacklogFlag flag = new BacklogFlag();
    private final OpenParks openParks = new OpenParks();

    private BacklogProbe probe() {
        return new BacklogProbe(store, flag, openParks, Duration.ofSeconds(1), "p-1", clock::get,
                Executors.newSingleThreadScheduledExecutor());
    }

    @Test
    void rowsParkedElsewhereRaiseTheFlagAndAnEmptyOutboxLowersIt() {
        try (BacklogProbe probe = probe()) {
            store.open = 3;
            probe.probeOnce();
            assertTrue(flag.isUp(), "rows parked by any instance hold their keys back here too");
            assertEquals(3, probe.backlog().unpublished());

            store.open = 0;
            probe.probeOnce();
            assertFalse(flag.isUp());
            assertSame(OutboxBacklog.EMPTY, probe.backlog());
            assertEquals(2, probe.completed());
        }
    }

    @Test
    void aParkInACallersOpenTransactionKeepsTheFlagUpUntilTheTransactionEnds() {
        try (BacklogProbe probe = probe()) {
            AtomicBoolean ended = new AtomicBoolean();
            openParks.add(List.of("t-1"), ended::get);
            flag.raise();
            for (int i = 0; i < 5; i++) {
                probe.probeOnce(); // the table shows nothing: the row is not committed
                assertTrue(flag.isUp(), "probe " + i + ": the row may still commit");
            }

            ended.set(true); // committed, and relayed before the next probe
            probe.probeOnce();
            assertFalse(flag.isUp());
        }
    }

    @Test
    void aBacklogIsCountedAtFirstSightThenAtMostOnceEveryCountInterval() {
        try (BacklogProbe probe = probe()) {
            store.open = 5;
            probe.probeOnce();
            store.open = 4;
            clock.addAndGet(BacklogProbe.COUNT_EVERY.toNanos() - 1);
            probe.probeOnce();
            assertEquals(1, store.counts.get(), "the cheap question only, between counts");
            assertEquals(5, probe.backlog().unpublished());

            clock.addAndGet(1);
            probe.probeOnce();
            assertEquals(2, store.counts.get());
            assertEquals(4, probe.backlog().unpublished());

            store.open = 0;
            probe.probeOnce();
            store.open = 2;
            probe.probeOnce();
            assertEquals(3, store.counts.get(), "a new backlog is counted as soon as it is seen");
            assertEquals(2, probe.backlog().unpublished());
        }
    }

    @Test
    void aProbeThatThrowsAnythingLeavesTheScheduleRunning() {
        store.failures.set(3);
        store.open = 1;
        try (BacklogProbe probe = new BacklogProbe(store, flag, openParks, Duration.ofMillis(10), "p-1")) {
            probe.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> probe.completed() > 0);
            assertTrue(flag.isUp());
            assertEquals(0, store.failures.get());
        }
    }

    /** A table of {@link #open} unpublished rows; fails (with an Error, then exceptions) while failures remain. */
    private static final class CountingStore implements OutboxStore {
        volatile long open;
        final AtomicInteger counts = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public boolean hasAnyUnpublished() {
            int left = failures.getAndUpdate(n -> Math.max(0, n - 1));
            if (left == 3) {
                throw new StackOverflowError("an Error too");
            }
            if (left > 0) {
                throw new IllegalStateException("Unable to acquire JDBC Connection");
            }
            return open > 0;
        }

        @Override
        public OutboxBacklog backlog() {
            counts.incrementAndGet();
            return open == 0 ? OutboxBacklog.EMPTY : new OutboxBacklog(open, Optional.of(Instant.EPOCH));
        }

        @Override
        public OutboxBatch claimBatch(int maxRows, boolean strictOrder, boolean keepPublished, String relayId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int reclaimStuck(Instant claimedBefore) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean hasUnpublished(String partitionKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int purgePublished(Instant publishedBefore) {
            throw new UnsupportedOperationException();
        }
    }
}
