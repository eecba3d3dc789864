package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.sql.SQLException;
import java.util.List;
import java.util.ServiceLoader;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.cdi.support.ExtensionTypesApartWeld;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.spi.OutboxWriter;

/**
 * The extension (registered in its service file) gives an application that produces a
 * {@code @StreamingOutbox EntityManagerFactory} an {@link OutboxWriter} and an {@link OutboxStore}, and refuses to
 * deploy one that does not.
 */
class CdiWiringTest {

    static TestDatabase db;
    static final ThreadLocal<EntityManager> UNIT_OF_WORK = new ThreadLocal<>();

    /** What an application in Java SE writes. */
    public static class OutboxUnit {
        @Produces
        @StreamingOutbox
        @ApplicationScoped
        EntityManagerFactory factory() {
            return db.factory();
        }

        void close(@Disposes @StreamingOutbox EntityManagerFactory factory) {
            factory.close();
        }

        /** The entity manager of the current unit of work, none outside one. */
        @Produces
        @StreamingOutbox
        EntityManager current() {
            return UNIT_OF_WORK.get();
        }
    }

    /** Some bean of an application that forgot its outbox unit. */
    @ApplicationScoped
    public static class Unrelated {
    }

    @BeforeAll
    static void database() {
        db = new TestDatabase.H2();
        db.applyShippedDdl();
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
    }

    @Test
    void applicationThatProducesItsUnitGetsWriterAndStore() {
        writerAndStoreWorkIn(new Weld());
    }

    /**
     * On a container that keeps the types an extension adds apart from the application's beans (Payara does, see
     * {@link ExtensionTypesApartWeld}), the writer and the store still reach the application's unit.
     */
    @Test
    void writerAndStoreReachTheUnitWhenExtensionTypesAreKeptApart() {
        writerAndStoreWorkIn(new ExtensionTypesApartWeld());
    }

    private static void writerAndStoreWorkIn(Weld weld) {
        try (WeldContainer cdi = weld.disableDiscovery().addExtension(new StreamingOutboxExtension())
                .addBeanClass(OutboxUnit.class).initialize()) {
            OutboxWriter writer = cdi.select(OutboxWriter.class).get();
            OutboxStore store = cdi.select(OutboxStore.class).get();

            writer.write(Envelopes.of("t-1"));
            EntityManagerFactory emf = cdi.select(EntityManagerFactory.class, StreamingOutbox.Literal.INSTANCE).get();
            EntityManager em = emf.createEntityManager();
            try {
                UNIT_OF_WORK.set(em);
                em.getTransaction().begin();
                writer.write(Envelopes.of("t-2"));
                em.getTransaction().rollback();
            } finally {
                UNIT_OF_WORK.remove();
                em.close();
            }

            try (OutboxBatch batch = store.claimBatch(10, true, true, "relay-1")) {
                List<OutboxRow> rows = batch.rows();
                assertEquals(List.of("t-1"), rows.stream().map(OutboxRow::partitionKey).toList(),
                        "t-2 was rolled back with the caller's transaction");
                batch.published(rows.get(0).id());
                batch.commit();
            }
            assertTrue(store.backlog().isEmpty());
        }
    }

    @Test
    void extensionIsRegisteredAsAService() {
        assertTrue(ServiceLoader.load(Extension.class).stream()
                .anyMatch(p -> p.type() == StreamingOutboxExtension.class));
    }

    @Test
    void applicationWithoutItsUnitDoesNotDeploy() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> new Weld().disableDiscovery().addExtension(new StreamingOutboxExtension())
                        .addBeanClass(Unrelated.class).initialize().close());
        assertTrue(String.valueOf(e.getMessage()).contains("@StreamingOutbox EntityManagerFactory"), e.getMessage());
    }
}
