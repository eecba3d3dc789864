package studio.lerian.streaming.outbox.jpa.internal;

import jakarta.persistence.EntityManagerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import studio.lerian.streaming.outbox.jpa.JpaOutboxStore;
import studio.lerian.streaming.outbox.jpa.OutboxTransactions;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxStore;

/**
 * The {@link OutboxStore} bean: a {@link JpaOutboxStore} over the application's {@code @StreamingOutbox} persistence
 * unit, built on first use. Registered by the extension as an {@code @ApplicationScoped} synthetic bean, which hands it
 * the application's persistence unit (see {@link OutboxUnitBeans}).
 */
public class CdiOutboxStore implements OutboxStore {

    private final Supplier<EntityManagerFactory> factory;
    private final Supplier<OutboxTransactions> transactions;

    private volatile JpaOutboxStore delegate;

    /** @param factory the application's {@code @StreamingOutbox} persistence unit */
    public CdiOutboxStore(Supplier<EntityManagerFactory> factory) {
        this(factory, OutboxTransactions::lookup);
    }

    /**
     * @param factory the application's {@code @StreamingOutbox} persistence unit
     * @param transactions where the JTA transactions are found (asked once, on first use)
     */
    public CdiOutboxStore(Supplier<EntityManagerFactory> factory, Supplier<OutboxTransactions> transactions) {
        this.factory = factory;
        this.transactions = transactions;
    }

    private JpaOutboxStore store() {
        JpaOutboxStore s = delegate;
        if (s == null) {
            synchronized (this) {
                s = delegate;
                if (s == null) {
                    s = new JpaOutboxStore(factory.get(), transactions.get());
                    delegate = s;
                }
            }
        }
        return s;
    }

    @Override
    public OutboxBatch claimBatch(int maxRows, boolean strictOrder, boolean keepPublished, String relayId) {
        return store().claimBatch(maxRows, strictOrder, keepPublished, relayId);
    }

    @Override
    public void joinLanes(String relayId, int lanes, Duration lease) {
        store().joinLanes(relayId, lanes, lease);
    }

    @Override
    public void leaveLanes(String relayId) {
        store().leaveLanes(relayId);
    }

    @Override
    public int reclaimStuck(Instant claimedBefore) {
        return store().reclaimStuck(claimedBefore);
    }

    @Override
    public OutboxBacklog backlog() {
        return store().backlog();
    }

    @Override
    public boolean hasAnyUnpublished() {
        return store().hasAnyUnpublished();
    }

    @Override
    public boolean hasUnpublished(String partitionKey) {
        return store().hasUnpublished(partitionKey);
    }

    @Override
    public boolean hasUnpublished(String partitionKey, Duration timeout) {
        return store().hasUnpublished(partitionKey, timeout);
    }

    @Override
    public int purgePublished(Instant publishedBefore) {
        return store().purgePublished(publishedBefore);
    }
}
