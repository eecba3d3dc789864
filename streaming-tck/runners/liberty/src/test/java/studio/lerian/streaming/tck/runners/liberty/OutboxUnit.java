package studio.lerian.streaming.tck.runners.liberty;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;

/**
 * In every TCK deployment: tells the reference outbox which persistence unit holds its table, the JTA unit the porting
 * writes into the deployment, so a row written during a caller's transaction joins it.
 */
@ApplicationScoped
public class OutboxUnit {

    /** The name of the persistence unit in the deployment's {@code persistence.xml}. */
    static final String UNIT = "streaming-tck";

    @Produces
    @StreamingOutbox
    @PersistenceUnit(unitName = UNIT)
    EntityManagerFactory unit;
}
