package studio.lerian.streaming.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@link OutboxBatch} of a store that only has the one-call-per-step methods: rows claimed by
 * {@link OutboxStore#claim} (marked {@code PROCESSING}), outcomes written by the store's own methods at commit, rows
 * without an outcome released. A relay that dies before the commit leaves its rows {@code PROCESSING} until
 * {@link OutboxStore#reclaimStuck} returns them.
 */
final class MarkedBatch implements OutboxBatch {

    private final OutboxStore store;
    private final List<OutboxRow> rows;
    private final List<String> published = new ArrayList<>();
    private final List<Runnable> finishes = new ArrayList<>();
    private final Set<String> decided = new LinkedHashSet<>();
    private boolean done;

    MarkedBatch(OutboxStore store, List<OutboxRow> rows) {
        this.store = store;
        this.rows = List.copyOf(rows);
    }

    @Override
    public List<OutboxRow> rows() {
        return rows;
    }

    @Override
    public void published(String id) {
        decided.add(id);
        published.add(id);
    }

    @Override
    public void retryLater(String id, int attempts, Instant nextAttemptAt, String lastError) {
        decided.add(id);
        finishes.add(() -> store.retryLater(id, attempts, nextAttemptAt, lastError));
    }

    @Override
    public void failed(String id, int attempts, String lastError) {
        decided.add(id);
        finishes.add(() -> store.markFailed(id, attempts, lastError));
    }

    @Override
    public void invalid(String id, String lastError) {
        decided.add(id);
        finishes.add(() -> store.markInvalid(id, lastError));
    }

    @Override
    public void commit() {
        if (done) {
            throw new IllegalStateException("the batch is already finished");
        }
        done = true;
        if (!published.isEmpty()) {
            store.markPublished(published);
        }
        finishes.forEach(Runnable::run);
        releaseUndecided(decided);
    }

    @Override
    public void close() {
        if (!done) {
            done = true;
            releaseUndecided(Set.of());
        }
    }

    private void releaseUndecided(Set<String> keep) {
        List<String> rest = new ArrayList<>();
        for (OutboxRow row : rows) {
            if (!keep.contains(row.id())) {
                rest.add(row.id());
            }
        }
        if (!rest.isEmpty()) {
            store.release(rest);
        }
    }
}
