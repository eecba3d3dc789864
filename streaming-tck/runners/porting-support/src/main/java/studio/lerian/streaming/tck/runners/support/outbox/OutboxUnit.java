package studio.lerian.streaming.tck.runners.support.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;

/**
 * In every TCK deployment: names the persistence unit of the reference outbox, the JTA unit on the run's datasource
 * that the porting writes into the deployment, so an outbox row written in a caller's transaction joins it.
 */
@ApplicationScoped
public class OutboxUnit {

    /** The unit's name in the deployment's {@code persistence.xml}. */
    static final String NAME = "streaming-tck-outbox";

    @Produces
    @StreamingOutbox
    @PersistenceUnit(unitName = NAME)
    EntityManagerFactory unit;
}
