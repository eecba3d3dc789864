package studio.lerian.streaming.examples.quarkus;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;

/**
 * Names the persistence unit that holds the outbox table. The outbox jar's own CDI wiring asks for it whenever the jar
 * is deployed (it registers the outbox beans over it), even though this application builds its engine by hand.
 * {@code @Unremovable} because only the library looks it up, which Quarkus's removal of unused beans does not see.
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
