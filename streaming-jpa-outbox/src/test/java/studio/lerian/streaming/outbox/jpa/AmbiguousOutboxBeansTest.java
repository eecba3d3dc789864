package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.persistence.EntityManagerFactory;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * An application that produces an outbox store or writer of its own, unqualified, next to the outbox module's: the
 * library cannot tell which holds its outbox, and the deployment fails naming the beans and the fix, instead of
 * deploying without an outbox or without its relay.
 */
class AmbiguousOutboxBeansTest {

    static TestDatabase db;

    @BeforeAll
    static void database() {
        db = new TestDatabase.H2();
        db.applyShippedDdl();
    }

    @AfterAll
    static void drop() throws SQLException {
        db.close();
    }

    /** The application's outbox unit, as every outbox application declares it. */
    public static class OutboxUnit {
        @Produces
        @StreamingOutbox
        @ApplicationScoped
        EntityManagerFactory factory() {
            return db.factory();
        }
    }

    /** A store the application reads its outbox with (an admin page, say), produced without a qualifier. */
    public static class OwnStore {
        @Produces
        @ApplicationScoped
        JpaOutboxStore adminStore() {
            return new JpaOutboxStore(db.factory());
        }
    }

    /** The same mistake with the writer. */
    public static class OwnWriter {
        @Produces
        @ApplicationScoped
        JpaOutboxWriter auditWriter() {
            return new JpaOutboxWriter(db.factory());
        }
    }

    /** The fix the message suggests: the application's own store, qualified. */
    public static class QualifiedOwnStore {
        @Produces
        @StreamingOutbox
        @ApplicationScoped
        JpaOutboxStore adminStore() {
            return new JpaOutboxStore(db.factory());
        }
    }

    private static Map<String, String> config() {
        // No broker is needed: the producer connects on the first send.
        return Fixture.config("127.0.0.1:1");
    }

    @Test
    void secondDefaultStoreFailsTheDeploymentNamingBothBeans() {
        String message = failedStartup(OutboxUnit.class, OwnStore.class);
        assertTrue(message.contains("streaming: ambiguous outbox beans: 2 @Default OutboxStore beans"), message);
        assertTrue(message.contains("adminStore"), message);
        assertTrue(message.contains("CdiOutboxStore"), message);
        assertTrue(message.contains("@StreamingOutbox"), message);
    }

    @Test
    void secondDefaultWriterFailsTheDeploymentNamingBothBeans() {
        String message = failedStartup(OutboxUnit.class, OwnWriter.class);
        assertTrue(message.contains("streaming: ambiguous outbox beans: 2 @Default OutboxWriter beans"), message);
        assertTrue(message.contains("auditWriter"), message);
        assertTrue(message.contains("CdiOutboxWriter"), message);
    }

    @Test
    void qualifiedOwnStoreDeploysWithTheRelay() {
        try (StreamingContainer app = StreamingContainer.start(config(), Fixture.Definitions.class, OutboxUnit.class,
                QualifiedOwnStore.class)) {
            assertTrue(((KafkaEmitter) app.emitter()).relay().isPresent(), "the relay runs on the module's store");
        }
    }

    private static String failedStartup(Class<?>... beans) {
        Class<?>[] all = new Class<?>[beans.length + 1];
        all[0] = Fixture.Definitions.class;
        System.arraycopy(beans, 0, all, 1, beans.length);
        DeploymentException e = assertThrows(DeploymentException.class,
                () -> StreamingContainer.start(config(), all).close());
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t.getMessage()).append('\n');
        }
        return chain.toString();
    }
}
