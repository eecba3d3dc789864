package studio.lerian.streaming.outbox.jpa.internal;

import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import studio.lerian.streaming.outbox.jpa.JpaOutboxWriter;
import studio.lerian.streaming.outbox.jpa.OutboxTransactions;
import studio.lerian.streaming.spi.OutboxWrite;
import studio.lerian.streaming.spi.OutboxWriter;
import studio.lerian.streaming.wire.OutboxEnvelope;

/**
 * The {@link OutboxWriter} bean: a {@link JpaOutboxWriter} over the application's {@code @StreamingOutbox}
 * persistence unit, built on first use. Registered by the extension as an {@code @ApplicationScoped} synthetic bean,
 * which hands it the application's beans (see {@link OutboxUnitBeans}).
 */
public class CdiOutboxWriter implements OutboxWriter {

    private final Supplier<EntityManagerFactory> factory;
    private final Supplier<EntityManager> current;
    private final Supplier<OutboxTransactions> transactions;

    private volatile JpaOutboxWriter delegate;

    /**
     * @param factory the application's {@code @StreamingOutbox} persistence unit
     * @param current the application's current {@code @StreamingOutbox} entity manager, or null when it has none
     */
    public CdiOutboxWriter(Supplier<EntityManagerFactory> factory, Supplier<EntityManager> current) {
        this(factory, current, OutboxTransactions::lookup);
    }

    /**
     * @param factory the application's {@code @StreamingOutbox} persistence unit
     * @param current the application's current {@code @StreamingOutbox} entity manager, or null when it has none
     * @param transactions where the JTA transactions are found (asked once, on first use)
     */
    public CdiOutboxWriter(Supplier<EntityManagerFactory> factory, Supplier<EntityManager> current,
            Supplier<OutboxTransactions> transactions) {
        this.factory = factory;
        this.current = current;
        this.transactions = transactions;
    }

    @Override
    public void write(OutboxEnvelope envelope) {
        writer().write(envelope);
    }

    @Override
    public void writeAll(List<OutboxEnvelope> envelopes) {
        writer().writeAll(envelopes);
    }

    @Override
    public OutboxWrite writeTracked(OutboxEnvelope envelope) {
        return writer().writeTracked(envelope);
    }

    @Override
    public OutboxWrite writeAllTracked(List<OutboxEnvelope> envelopes) {
        return writer().writeAllTracked(envelopes);
    }

    private JpaOutboxWriter writer() {
        JpaOutboxWriter w = delegate;
        if (w == null) {
            synchronized (this) {
                w = delegate;
                if (w == null) {
                    w = new JpaOutboxWriter(factory.get(), this::currentEntityManager, Clock.systemUTC(),
                            transactions.get());
                    delegate = w;
                }
            }
        }
        return w;
    }

    /** The application's entity manager of the current unit of work; none outside its scope or without a producer. */
    private EntityManager currentEntityManager() {
        try {
            EntityManager em = current.get();
            return em != null && em.isOpen() ? em : null;
        } catch (ContextNotActiveException e) {
            return null;
        }
    }
}
