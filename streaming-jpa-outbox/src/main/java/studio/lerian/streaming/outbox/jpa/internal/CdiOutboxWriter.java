package studio.lerian.streaming.outbox.jpa.internal;

import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.time.Clock;
import java.util.List;
import studio.lerian.streaming.outbox.jpa.JpaOutboxWriter;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;
import studio.lerian.streaming.spi.OutboxWriter;
import studio.lerian.streaming.wire.OutboxEnvelope;

/**
 * The {@link OutboxWriter} bean: a {@link JpaOutboxWriter} over the application's {@code @StreamingOutbox}
 * persistence unit, built on first use. Registered by the extension as {@code @ApplicationScoped}.
 */
public class CdiOutboxWriter implements OutboxWriter {

    @Inject
    @StreamingOutbox
    Instance<EntityManagerFactory> factory;

    @Inject
    @StreamingOutbox
    Instance<EntityManager> current;

    private volatile JpaOutboxWriter delegate;

    @Override
    public void write(OutboxEnvelope envelope) {
        writer().write(envelope);
    }

    @Override
    public void writeAll(List<OutboxEnvelope> envelopes) {
        writer().writeAll(envelopes);
    }

    private JpaOutboxWriter writer() {
        JpaOutboxWriter w = delegate;
        if (w == null) {
            synchronized (this) {
                w = delegate;
                if (w == null) {
                    w = new JpaOutboxWriter(factory.get(), this::currentEntityManager, Clock.systemUTC());
                    delegate = w;
                }
            }
        }
        return w;
    }

    /** The application's entity manager of the current unit of work; none outside its scope or without a producer. */
    private EntityManager currentEntityManager() {
        if (!current.isResolvable()) {
            return null;
        }
        EntityManager em = current.get();
        try {
            return em != null && em.isOpen() ? em : null;
        } catch (ContextNotActiveException e) {
            return null;
        }
    }
}
