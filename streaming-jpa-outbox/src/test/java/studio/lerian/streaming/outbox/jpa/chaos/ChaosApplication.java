package studio.lerian.streaming.outbox.jpa.chaos;

import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;

/** The application side of the chaos tests: hands the outbox its persistence unit, as the README tells one to. */
public class ChaosApplication {

    /** The unit the test built over its database; set before the container starts. */
    static volatile EntityManagerFactory unit;

    @Produces
    @StreamingOutbox
    EntityManagerFactory outboxUnit() {
        return unit;
    }

    /** No caller here runs inside a unit of work of its own: each emit that parks commits its own row. */
    @Produces
    @StreamingOutbox
    EntityManager currentUnitOfWork() {
        return null;
    }
}
