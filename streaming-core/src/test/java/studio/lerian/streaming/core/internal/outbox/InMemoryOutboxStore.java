package studio.lerian.streaming.core.internal.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.spi.OutboxStore;

/**
 * An outbox table in memory, for unit tests of the relay's own logic (what it records, when it polls): a claim marks
 * its rows {@code PROCESSING}, and the batch writes their outcomes at commit and returns the undecided ones to
 * {@code PENDING}, as a marking store does. Claims take due rows oldest first, grouped by key; no cross-relay locking. A hook runs before every
 * claim, so a test can make a poll fail. Thread-safe.
 */
public final class InMemoryOutboxStore implements OutboxStore {

    /** One row and its state. */
    static final class Row {
        final OutboxRow row;
        String status = "PENDING";
        int attempts;
        Instant nextAttemptAt = Instant.EPOCH;
        String lastError;

        Row(OutboxRow row) {
            this.row = row;
            this.attempts = row.attempts();
        }
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final AtomicInteger claims = new AtomicInteger();
    private volatile Runnable beforeClaim = () -> { };

    /** @param row a pending row, due now */
    synchronized void add(OutboxRow row) {
        rows.put(row.id(), new Row(row));
    }

    /** @param hook runs before each claim (may throw, to fail the poll) */
    public void beforeClaim(Runnable hook) {
        beforeClaim = hook;
    }

    /** @return how many claims were made (failed ones included) */
    public int claims() {
        return claims.get();
    }

    /** @return the row's status */
    synchronized String status(String id) {
        return rows.get(id).status;
    }

    /** @return the row's recorded attempts */
    synchronized int attempts(String id) {
        return rows.get(id).attempts;
    }

    @Override
    public OutboxBatch claimBatch(int maxRows, boolean strictOrder, boolean keepPublished, String relayId) {
        return new Batch(claim(maxRows));
    }

    /** The claimed rows; outcomes are written at commit, undecided rows go back to {@code PENDING}. */
    private final class Batch implements OutboxBatch {
        private final List<OutboxRow> claimed;
        private final List<Runnable> outcomes = new ArrayList<>();
        private final java.util.Set<String> decided = new java.util.HashSet<>();
        private boolean done;

        Batch(List<OutboxRow> claimed) {
            this.claimed = List.copyOf(claimed);
        }

        @Override
        public List<OutboxRow> rows() {
            return claimed;
        }

        @Override
        public void published(String id) {
            decide(id, () -> markPublished(List.of(id)));
        }

        @Override
        public void retryLater(String id, int attempts, Instant nextAttemptAt, String lastError) {
            decide(id, () -> InMemoryOutboxStore.this.retryLater(id, attempts, nextAttemptAt, lastError));
        }

        @Override
        public void failed(String id, int attempts, String lastError) {
            decide(id, () -> markFailed(id, attempts, lastError));
        }

        @Override
        public void invalid(String id, String lastError) {
            decide(id, () -> markInvalid(id, lastError));
        }

        private void decide(String id, Runnable outcome) {
            decided.add(id);
            outcomes.add(outcome);
        }

        @Override
        public void commit() {
            if (done) {
                throw new IllegalStateException("the batch is already finished");
            }
            done = true;
            outcomes.forEach(Runnable::run);
            releaseUndecided();
        }

        @Override
        public void close() {
            if (!done) {
                done = true;
                decided.clear();
                releaseUndecided();
            }
        }

        private void releaseUndecided() {
            release(claimed.stream().map(OutboxRow::id).filter(id -> !decided.contains(id)).toList());
        }
    }

    private List<OutboxRow> claim(int maxRows) {
        claims.incrementAndGet();
        beforeClaim.run();
        synchronized (this) {
            Instant now = Instant.now();
            List<Row> due = new ArrayList<>();
            for (Row r : rows.values()) {
                if (r.status.equals("PENDING") && !r.nextAttemptAt.isAfter(now) && due.size() < maxRows) {
                    due.add(r);
                }
            }
            // Grouped by key, in each key's creation order, keys in the order of their first row.
            Map<String, Integer> firstSeen = new LinkedHashMap<>();
            due.forEach(r -> firstSeen.putIfAbsent(r.row.partitionKey(), firstSeen.size()));
            due.sort(Comparator.comparing((Row r) -> firstSeen.get(r.row.partitionKey())));
            List<OutboxRow> claimed = new ArrayList<>();
            for (Row r : due) {
                r.status = "PROCESSING";
                claimed.add(new OutboxRow(r.row.id(), r.row.partitionKey(), r.row.topic(), r.row.envelope(),
                        r.attempts, r.row.createdAt()));
            }
            return claimed;
        }
    }

    private synchronized void markPublished(Collection<String> ids) {
        ids.forEach(id -> rows.get(id).status = "PUBLISHED");
    }

    private synchronized void release(Collection<String> ids) {
        ids.forEach(id -> rows.get(id).status = "PENDING");
    }

    private synchronized void retryLater(String id, int attempts, Instant nextAttemptAt, String lastError) {
        Row r = rows.get(id);
        r.status = "PENDING";
        r.attempts = attempts;
        r.nextAttemptAt = nextAttemptAt;
        r.lastError = lastError;
    }

    private synchronized void markFailed(String id, int attempts, String lastError) {
        Row r = rows.get(id);
        r.status = "FAILED";
        r.attempts = attempts;
        r.lastError = lastError;
    }

    private synchronized void markInvalid(String id, String lastError) {
        Row r = rows.get(id);
        r.status = "INVALID";
        r.lastError = lastError;
    }

    @Override
    public synchronized int reclaimStuck(Instant claimedBefore) {
        return 0;
    }

    @Override
    public synchronized OutboxBacklog backlog() {
        long open = rows.values().stream().filter(r -> r.status.equals("PENDING") || r.status.equals("PROCESSING"))
                .count();
        return open == 0 ? OutboxBacklog.EMPTY : new OutboxBacklog(open, Optional.empty());
    }

    @Override
    public synchronized boolean hasUnpublished(String partitionKey) {
        return rows.values().stream().anyMatch(r -> r.row.partitionKey().equals(partitionKey)
                && (r.status.equals("PENDING") || r.status.equals("PROCESSING")));
    }

    @Override
    public int purgePublished(Instant publishedBefore) {
        return 0;
    }
}
