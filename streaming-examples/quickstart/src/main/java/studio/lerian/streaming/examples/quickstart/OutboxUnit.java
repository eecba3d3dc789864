package studio.lerian.streaming.examples.quickstart;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManagerFactory;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;

/** Tells the outbox which persistence unit holds its table (the demo builds the unit before CDI starts). */
@ApplicationScoped
public class OutboxUnit {

    static volatile EntityManagerFactory unit;

    @Produces
    @StreamingOutbox
    EntityManagerFactory outboxUnit() {
        return unit;
    }
}
