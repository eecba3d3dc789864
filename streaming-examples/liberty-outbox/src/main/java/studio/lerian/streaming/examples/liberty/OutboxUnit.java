package studio.lerian.streaming.examples.liberty;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;

/**
 * Tells the outbox which persistence unit holds its table: the container-managed JTA unit of the payments, so an
 * outbox row written during a @Transactional method joins that method's transaction.
 */
@ApplicationScoped
public class OutboxUnit {

    @Produces
    @StreamingOutbox
    @PersistenceUnit(unitName = "payments")
    EntityManagerFactory payments;
}
