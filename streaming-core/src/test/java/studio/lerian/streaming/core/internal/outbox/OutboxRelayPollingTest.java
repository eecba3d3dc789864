package studio.lerian.streaming.core.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.core.internal.RecordSender;
import studio.lerian.streaming.core.internal.TestPublishers;
import studio.lerian.streaming.core.internal.config.StreamingConfig.OutboxSettings;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.kafka.RecordFormat;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.spi.OutboxStore;

/**
 * When the relay polls again: at once after a poll that claimed rows, however few, and only after the poll interval
 * after a poll that claimed none ({@code STREAMING_OUTBOX_POLL_INTERVAL_MS}: "when the last poll found none").
 */
class OutboxRelayPollingTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final OutboxSettings RELAXED = new OutboxSettings(false, true, INTERVAL, 200, 10,
            Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(24), 256,
            Duration.ofSeconds(10), false, Duration.ofSeconds(60));

    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final ScriptedStore store = new ScriptedStore();
    private final RecordSender publisher = TestPublishers.over(new MockProducer<>(true, null,
            new ByteArraySerializer(), new ByteArraySerializer()), RecordFormat.LERIAN, Duration.ofSeconds(30),
            Telemetry.NOOP);
    private final OutboxRelay relay = new OutboxRelay(store, publisher, RELAXED, false,
            RowOwnership.of(Catalog.empty(), true), new BacklogFlag(), "relay-1",
            scheduler, false, Telemetry.NOOP);

    @AfterEach
    void stop() {
        relay.close();
        publisher.close();
        scheduler.shutdownNow();
    }

    @Test
    void aPollThatClaimedFewerRowsThanABatchIsFollowedAtOnce() {
        store.claims.add(List.of(unreadableRow("r1"))); // 1 row of a possible 200
        store.claims.add(List.of(unreadableRow("r2")));
        relay.start();

        assertEquals(Duration.ZERO, scheduler.runNext());
        assertEquals(Duration.ZERO, scheduler.runNext(), "one row was claimed: more may be due");
        assertEquals(Duration.ZERO, scheduler.runNext(), "one row was claimed: more may be due");
        assertEquals(INTERVAL, scheduler.pendingDelay(), "nothing was claimed: wait for the poll interval");
        assertEquals(List.of("r1", "r2"), store.invalid);
    }

    @Test
    void aPollThatClaimedNothingWaitsForTheInterval() {
        relay.start();

        assertEquals(Duration.ZERO, scheduler.runNext());
        assertEquals(INTERVAL, scheduler.pendingDelay());
    }

    /** A row whose envelope is not JSON: the relay marks it INVALID without touching the broker. */
    private static OutboxRow unreadableRow(String id) {
        return new OutboxRow(id, "t-abc", "lerian.streaming.transaction.created",
                "not an envelope".getBytes(StandardCharsets.UTF_8), 0, Instant.parse("2026-04-18T10:00:00Z"));
    }

    /** Keeps what the relay schedules instead of running it; the test runs each poll itself. */
    private static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
        private Runnable pending;
        private Duration pendingDelay;

        RecordingScheduler() {
            super(1);
        }

        @Override
        public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            pending = command;
            pendingDelay = Duration.ofNanos(unit.toNanos(delay));
            return super.schedule(() -> { }, 1, TimeUnit.DAYS);
        }

        /** Runs the scheduled poll; returns the delay it had been scheduled with. */
        Duration runNext() {
            Runnable poll;
            Duration delay;
            synchronized (this) {
                poll = pending;
                delay = pendingDelay;
                pending = null;
            }
            poll.run();
            return delay;
        }

        synchronized Duration pendingDelay() {
            return pendingDelay;
        }
    }

    /** Hands out the scripted claims in turn, then nothing; records the rows marked INVALID. */
    private static final class ScriptedStore implements OutboxStore {
        final Deque<List<OutboxRow>> claims = new ArrayDeque<>();
        final List<String> invalid = new ArrayList<>();

        @Override
        public synchronized OutboxBatch claimBatch(int maxRows, boolean strictOrder, boolean keepPublished,
                String relayId) {
            List<OutboxRow> next = claims.poll();
            List<OutboxRow> rows = next == null ? List.of() : next;
            List<String> refused = new ArrayList<>();
            return new OutboxBatch() {
                @Override
                public List<OutboxRow> rows() {
                    return rows;
                }

                @Override
                public void published(String id) {
                    throw new AssertionError("nothing was sent");
                }

                @Override
                public void retryLater(String id, int attempts, Instant nextAttemptAt, String lastError) {
                    throw new AssertionError("nothing was sent");
                }

                @Override
                public void failed(String id, int attempts, String lastError) {
                    throw new AssertionError("nothing was sent");
                }

                @Override
                public void invalid(String id, String lastError) {
                    refused.add(id);
                }

                @Override
                public void commit() {
                    synchronized (ScriptedStore.this) {
                        invalid.addAll(refused);
                    }
                }

                @Override
                public void close() {
                    // nothing held
                }
            };
        }

        @Override
        public int reclaimStuck(Instant claimedBefore) {
            return 0;
        }

        @Override
        public synchronized OutboxBacklog backlog() {
            return claims.isEmpty() ? OutboxBacklog.EMPTY : new OutboxBacklog(claims.size(), java.util.Optional.empty());
        }

        @Override
        public boolean hasUnpublished(String partitionKey) {
            return false;
        }

        @Override
        public int purgePublished(Instant publishedBefore) {
            return 0;
        }
    }
}
