package studio.lerian.streaming.benchmarks.load;

import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import studio.lerian.streaming.outbox.jpa.StreamingOutbox;

/**
 * The application side of the harness's CDI containers, wired as docs/outbox.md tells an application to: the
 * persistence unit holding the outbox table, and the entity manager of the calling thread's unit of work (a
 * resource-local transaction the caller began), which a parked emit joins.
 */
public class BenchApplication {

    /** The harness's unit; set before a container starts. */
    static volatile EntityManagerFactory unit;

    /** The calling thread's unit of work, when it has one. */
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
