package studio.lerian.streaming.outbox.jpa.e2e;

import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;

/**
 * The application side of the end-to-end tests, wired as the README tells an application to: it hands the outbox its
 * persistence unit and, for a resource-local unit, the entity manager of the current unit of work.
 */
public class OutboxApplication {

    /** The unit the test built over its database; set before the container starts. */
    static volatile EntityManagerFactory unit;

    /** The current unit of work of the calling thread, if it has one. */
    static final ThreadLocal<EntityManager> UNIT_OF_WORK = new ThreadLocal<>();

    @Produces
    @StreamingOutbox
    EntityManagerFactory outboxUnit() {
        return unit;
    }

    @Produces
    @StreamingOutbox
    EntityManager currentUnitOfWork() {
        return UNIT_OF_WORK.get();
    }
}
