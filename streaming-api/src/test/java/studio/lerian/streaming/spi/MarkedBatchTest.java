package studio.lerian.streaming.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default {@link OutboxStore#claimBatch}: a marking claim, its outcomes written by the store's own methods. */
class MarkedBatchTest {

    private static final Instant T0 = Instant.parse("2026-04-18T10:00:00Z");

    @Test
    void commitWritesEachOutcomeWithTheStoresMethodsAndReleasesRowsWithoutOne() {
        RecordingStore store = new RecordingStore("r1", "r2", "r3", "r4", "r5");
        try (OutboxBatch batch = store.claimBatch(10, true, true, "relay-1")) {
            assertEquals(List.of("claim 10 strict relay-1"), store.calls, "claimed, and marked, by claim()");
            batch.published("r1");
            batch.retryLater("r2", 1, T0, "broker down");
            batch.failed("r3", 10, "gave up");
            batch.invalid("r4", "tampered");
            batch.published("r5");
            assertEquals(1, store.calls.size(), "nothing is written before the commit");
            batch.commit();
        }
        assertEquals(List.of("claim 10 strict relay-1", "published [r1, r5]", "retryLater r2 1 " + T0 + " broker down",
                "failed r3 10 gave up", "invalid r4 tampered"), store.calls, "every row has an outcome: none released");
    }

    @Test
    void rowsGivenNoOutcomeAreReleasedAtCommit() {
        RecordingStore store = new RecordingStore("r1", "r2", "r3");
        try (OutboxBatch batch = store.claimBatch(10, false, false, "relay-1")) {
            batch.published("r1");
            batch.commit();
        }
        assertEquals(List.of("claim 10 relaxed relay-1", "published [r1]", "release [r2, r3]"), store.calls);
    }

    @Test
    void closingWithoutCommitReleasesEveryRowAndRecordsNothing() {
        RecordingStore store = new RecordingStore("r1", "r2");
        try (OutboxBatch batch = store.claimBatch(10, true, true, "relay-1")) {
            batch.published("r1");
        }
        assertEquals(List.of("claim 10 strict relay-1", "release [r1, r2]"), store.calls);
    }

    /** A store that records the calls the batch makes, with rows of the given ids to claim. */
    private static final class RecordingStore implements OutboxStore {
        final List<String> calls = new ArrayList<>();
        private final List<OutboxRow> rows = new ArrayList<>();

        RecordingStore(String... ids) {
            for (String id : ids) {
                rows.add(new OutboxRow(id, "tenant-a", "topic", "{}".getBytes(StandardCharsets.UTF_8), 0, T0));
            }
        }

        @Override
        public List<OutboxRow> claim(int maxRows, boolean strictOrder, String relayId) {
            calls.add("claim " + maxRows + (strictOrder ? " strict " : " relaxed ") + relayId);
            return rows;
        }

        @Override
        public void markPublished(Collection<String> ids) {
            calls.add("published " + ids);
        }

        @Override
        public void release(Collection<String> ids) {
            calls.add("release " + ids);
        }

        @Override
        public void retryLater(String id, int attempts, Instant nextAttemptAt, String lastError) {
            calls.add("retryLater " + id + " " + attempts + " " + nextAttemptAt + " " + lastError);
        }

        @Override
        public void markFailed(String id, int attempts, String lastError) {
            calls.add("failed " + id + " " + attempts + " " + lastError);
        }

        @Override
        public void markInvalid(String id, String lastError) {
            calls.add("invalid " + id + " " + lastError);
        }

        @Override
        public int reclaimStuck(Instant claimedBefore) {
            throw new UnsupportedOperationException("not used by a batch");
        }

        @Override
        public OutboxBacklog backlog() {
            throw new UnsupportedOperationException("not used by a batch");
        }

        @Override
        public boolean hasUnpublished(String partitionKey) {
            throw new UnsupportedOperationException("not used by a batch");
        }

        @Override
        public int purgePublished(Instant publishedBefore) {
            throw new UnsupportedOperationException("not used by a batch");
        }
    }
}
