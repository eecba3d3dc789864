package studio.lerian.streaming.outbox.jpa;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import jakarta.persistence.EntityManager;
import studio.lerian.streaming.outbox.jpa.internal.UnitOfWork;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;

/**
 * A {@link JpaOutboxStore#claimBatch claimed batch}: the claiming transaction, still open and holding the rows' locks,
 * and the outcomes recorded so far, written together by {@link #commit()}.
 */
final class HeldBatch implements OutboxBatch {

    /** No rows, no transaction. */
    static final OutboxBatch EMPTY = new HeldBatch(null, null, List.of(), true, null, null);

    private final JpaOutboxStore store;
    private final UnitOfWork.OwnTransaction tx;
    private final List<OutboxRow> rows;
    private final boolean keepPublished;
    private final String relayId;
    private final Instant claimedAt;
    private final List<String> published = new ArrayList<>();
    private final List<Consumer<EntityManager>> finishes = new ArrayList<>();

    HeldBatch(JpaOutboxStore store, UnitOfWork.OwnTransaction tx, List<OutboxRow> rows, boolean keepPublished,
            String relayId, Instant claimedAt) {
        this.store = store;
        this.tx = tx;
        this.rows = List.copyOf(rows);
        this.keepPublished = keepPublished;
        this.relayId = relayId;
        this.claimedAt = claimedAt;
    }

    @Override
    public List<OutboxRow> rows() {
        return rows;
    }

    @Override
    public void published(String id) {
        published.add(id);
    }

    @Override
    public void retryLater(String id, int attempts, Instant nextAttemptAt, String lastError) {
        finishes.add(em -> JpaOutboxStore.retryLater(em, id, attempts, nextAttemptAt, lastError, store.now(),
                JpaOutboxStore.OPEN));
    }

    @Override
    public void failed(String id, int attempts, String lastError) {
        finishes.add(em -> JpaOutboxStore.finish(em, id, OutboxStatus.FAILED, attempts, lastError, store.now()));
    }

    @Override
    public void invalid(String id, String lastError) {
        finishes.add(em -> JpaOutboxStore.finish(em, id, OutboxStatus.INVALID, null, lastError, store.now()));
    }

    /**
     * Writes the outcomes in the claiming transaction (published rows marked, or deleted when no history is kept) and
     * commits it; rows without an outcome stay PENDING.
     */
    @Override
    public void commit() {
        if (tx == null) {
            return;
        }
        EntityManager em = tx.entityManager();
        if (!published.isEmpty()) {
            if (keepPublished) {
                JpaOutboxStore.markPublished(em, published, store.now(), relayId, claimedAt);
            } else {
                JpaOutboxStore.deleteOpen(em, published);
            }
        }
        finishes.forEach(f -> f.accept(em));
        tx.commit();
        tx.close();
    }

    @Override
    public void close() {
        if (tx != null) {
            tx.close();
        }
    }
}
