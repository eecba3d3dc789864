package studio.lerian.streaming.examples.quarkuscdi;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;

/**
 * Tells the outbox which persistence unit holds its table: Quarkus's default one. {@code @Unremovable} because only
 * the library looks it up, which Quarkus's removal of unused beans does not see.
 */
@ApplicationScoped
public class OutboxUnit {

    @Inject
    EntityManagerFactory unit;

    @Produces
    @StreamingOutbox
    @Unremovable
    EntityManagerFactory outboxUnit() {
        return unit;
    }
}
