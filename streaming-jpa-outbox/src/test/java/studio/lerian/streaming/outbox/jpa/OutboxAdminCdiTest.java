package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;
import java.sql.SQLException;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.cdi.support.ExtensionTypesApartWeld;
import studio.lerian.streaming.outbox.jpa.admin.OutboxAdmin;
import studio.lerian.streaming.spi.OutboxWriter;

/**
 * An application that produces its {@code @StreamingOutbox} unit gets an {@link OutboxAdmin} by injection alone, over
 * that unit, also on a container that keeps the extension's types apart from the application's beans.
 */
class OutboxAdminCdiTest {

    static TestDatabase db;

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
    }

    /** An application bean that operates the outbox. */
    @ApplicationScoped
    public static class Operations {
        @Inject
        OutboxAdmin admin;

        long failed() {
            return admin.counts("ops").count(OutboxStatus.FAILED);
        }
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
    void injectedAdminWorksOnTheApplicationsUnit() throws SQLException {
        adminWorksIn(new Weld());
    }

    @Test
    void injectedAdminWorksWhenExtensionTypesAreKeptApart() throws SQLException {
        adminWorksIn(new ExtensionTypesApartWeld());
    }

    private static void adminWorksIn(Weld weld) throws SQLException {
        try (WeldContainer cdi = weld.disableDiscovery().addExtension(new StreamingOutboxExtension())
                .addBeanClass(OutboxUnit.class).addBeanClass(Operations.class).initialize()) {
            cdi.select(OutboxWriter.class).get().write(Envelopes.of("t-1"));
            try (var c = db.connect(); var st = c.createStatement()) {
                st.execute("UPDATE lerian_streaming_outbox SET status = 'FAILED'");
            }
            assertEquals(1, cdi.select(Operations.class).get().failed());
            assertEquals(1, cdi.select(OutboxAdmin.class).get().counts("ops").total());
            try (var c = db.connect(); var st = c.createStatement()) {
                st.execute("DELETE FROM lerian_streaming_outbox");
            }
        }
    }
}
