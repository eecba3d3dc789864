package studio.lerian.streaming.outbox.jpa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import jakarta.transaction.UserTransaction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.outbox.jpa.JpaOutboxWriter;
import studio.lerian.streaming.outbox.jpa.TestDatabase;
import studio.lerian.streaming.spi.OutboxWrite;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The writer tells when the transaction that holds a parked row has ended (what strict ordering waits for while a
 * caller's transaction is open): at once for a transaction of its own; for the caller's resource-local or JTA
 * transaction, not before it commits or rolls back, and then at once. PostgreSQL, Hibernate; JTA with Narayana and an
 * enlisting pool, as in a Jakarta EE server.
 */
class PostgresWriteSettlementTest {

    private TestDatabase db;
    private EntityManagerFactory resourceLocal;
    private InJvmJta jta;
    private AgroalDataSource dataSource;
    private EntityManagerFactory jtaUnit;
    private static final ThreadLocal<EntityManager> unitOfWork = new ThreadLocal<>();

    @BeforeEach
    void start() throws SQLException, NamingException {
        db = TestDatabase.Postgres.open();
        db.applyShippedDdl();
        resourceLocal = db.factory();
        jta = InJvmJta.start();
        dataSource = jta.dataSource(db.url(), db.user(), 4);
        jtaUnit = Persistence.createEntityManagerFactory("lerian-streaming-jta-test",
                Map.of("jakarta.persistence.jtaDataSource", dataSource));
    }

    @AfterEach
    void stop() throws SQLException, NamingException {
        jtaUnit.close();
        dataSource.close();
        jta.close();
        resourceLocal.close();
        db.close();
    }

    @Test
    void aWriteInATransactionOfItsOwnIsSettledWhenItReturns() {
        JpaOutboxWriter writer = new JpaOutboxWriter(resourceLocal, unitOfWork::get, Clock.systemUTC());
        assertSame(OutboxWrite.SETTLED, writer.writeTracked(envelope("own")));
        assertSame(OutboxWrite.SETTLED, writer.writeAllTracked(List.of(envelope("own"), envelope("own"))));
    }

    @Test
    void aWriteInTheCallersResourceLocalTransactionSettlesWhenItCommitsOrRollsBack() {
        JpaOutboxWriter writer = new JpaOutboxWriter(resourceLocal, unitOfWork::get, Clock.systemUTC());
        for (boolean commit : new boolean[] {true, false}) {
            EntityManager em = resourceLocal.createEntityManager();
            unitOfWork.set(em);
            try {
                em.getTransaction().begin();
                OutboxWrite one = writer.writeTracked(envelope("rl"));
                OutboxWrite all = writer.writeAllTracked(List.of(envelope("rl"), envelope("rl")));
                assertFalse(one.settled(), "the caller's transaction is open: the row may still commit");
                assertFalse(all.settled());
                if (commit) {
                    em.getTransaction().commit();
                } else {
                    em.getTransaction().rollback();
                }
                assertTrue(one.settled(), commit ? "committed" : "rolled back");
                assertTrue(all.settled());
            } finally {
                unitOfWork.remove();
                em.close();
            }
        }
    }

    @Test
    void aWriteInTheCallersJtaTransactionSettlesWhenItCompletes() throws Exception {
        JpaOutboxWriter writer = new JpaOutboxWriter(jtaUnit);
        UserTransaction ut = jta.userTransaction();
        for (boolean commit : new boolean[] {true, false}) {
            ut.begin();
            OutboxWrite one;
            OutboxWrite all;
            try {
                one = writer.writeTracked(envelope("jta"));
                all = writer.writeAllTracked(List.of(envelope("jta"), envelope("jta")));
                assertFalse(one.settled(), "the caller's transaction is open: the row may still commit");
                assertFalse(all.settled());
            } finally {
                if (commit) {
                    ut.commit();
                } else {
                    ut.rollback();
                }
            }
            assertTrue(one.settled(), commit ? "committed" : "rolled back");
            assertTrue(all.settled());
        }
        assertEquals(3, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE partition_key = 'jta'"),
                "the committed transaction's rows, not the rolled-back one's");
    }

    private static OutboxEnvelope envelope(String tenant) {
        ResolvedEvent event = ResolvedEvent.builder().tenantId(tenant).resourceType("transaction")
                .eventType("created").eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z")).source("//lerian.midaz/transaction-service")
                .dataContentType("application/json").payload("{}".getBytes(StandardCharsets.UTF_8)).build();
        return OutboxEnvelope.of("transaction.created", DeliveryPolicy.defaults(), event);
    }
}
