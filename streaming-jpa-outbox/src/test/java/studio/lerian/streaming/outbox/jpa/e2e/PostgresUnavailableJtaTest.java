package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.naming.NamingException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * {@link PostgresUnavailableTest}'s outage with a JTA persistence unit: the caller's business work and the outbox row
 * join one JTA transaction of a real transaction manager (Narayana), over a pool that enlists its PostgreSQL
 * connections in it (Agroal), as in a Jakarta EE server ({@link InJvmJta}). PostgreSQL becomes unreachable (its
 * netcrusher proxy is closed) while the broker is down and the breaker open, inside a JTA transaction that has already
 * written a business row. The emit fails with a typed infrastructure error, the JTA transaction is marked for rollback
 * and cannot commit, nothing of it exists once the database is back, and then the same kind of transaction commits
 * its business row and its event together, with no restart; the relay (whose own transactions are JTA transactions
 * here) publishes every committed event and none whose emit failed.
 */
class PostgresUnavailableJtaTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final String UNIT = "lerian-streaming-jta-test";

    private ProxiedPostgres database;
    private TestDatabase.Postgres db;
    private InJvmJta jta;
    private AgroalDataSource dataSource;
    private EntityManagerFactory unit;
    private KafkaBroker broker;
    private StreamingContainer app;

    @BeforeEach
    void start() throws SQLException, IOException, NamingException {
        database = ProxiedPostgres.open();
        db = database.db();
        String viaProxy = database.url();
        jta = InJvmJta.start();
        dataSource = jta.dataSource(viaProxy, db.user(), 8);
        unit = Persistence.createEntityManagerFactory(UNIT, Map.of("jakarta.persistence.jtaDataSource", dataSource));
        OutboxApplication.unit = unit;
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 1, Map.of());
        Map<String, String> config = Fixture.config(broker.bootstrap());
        config.put("streaming.cb.min.requests", "2");
        config.put("streaming.cb.timeout.s", "600"); // stays open until the test is done with the outage
        config.put("streaming.record.delivery.timeout.s", "1");
        config.put("streaming.outbox.poll.interval.ms", "100");
        // However long the outage lasts on a busy machine, the relay retries soon once the broker is back, and a row it
        // had claimed when the database was cut (its release then failed too) returns to PENDING within seconds.
        config.put("streaming.outbox.backoff.max.ms", "1000");
        config.put("streaming.outbox.stuck.timeout.s", "5");
        app = StreamingContainer.start(config, Fixture.Definitions.class, OutboxApplication.class);
    }

    @AfterEach
    void stop() throws SQLException, NamingException {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (unit != null) {
            unit.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
        if (jta != null) {
            jta.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void anUnreachableDatabaseRollsBackTheCallersJtaTransactionAndLeavesNothingHalfWritten() throws Exception {
        Emitter emitter = app.emitter();
        UserTransaction ut = jta.userTransaction();
        broker.stop();
        AbstractTransactionalFallbackTest.openTheCircuit(emitter);
        // Without a caller's transaction the outbox runs a JTA transaction of its own.
        emitter.emit(request("kept-before-outage").build());
        long parkedBefore = db.count("SELECT COUNT(*) FROM lerian_streaming_outbox");

        // A JTA business transaction that has already written its own row when the database goes away.
        ut.begin();
        EntityManager em = unit.createEntityManager();
        try {
            em.joinTransaction();
            writeLedgerEntry(em, "in-flight");

            database.cut();

            StreamingException joined = assertThrows(StreamingException.class,
                    () -> emitter.emit(request("in-flight").build()));
            assertInfrastructureFailure(joined);
            assertEquals(Status.STATUS_MARKED_ROLLBACK, ut.getStatus(),
                    "the failed outbox write marked the caller's transaction for rollback");
            // Whatever the application does next, its business row cannot commit without its event.
            assertThrows(RollbackException.class, ut::commit);
            assertEquals(Status.STATUS_NO_TRANSACTION, ut.getStatus(), "the transaction is over, rolled back");
        } finally {
            if (ut.getStatus() != Status.STATUS_NO_TRANSACTION) {
                ut.rollback();
            }
            em.close();
        }

        // Without a business transaction: the breaker's fallback, and the outbox=always policy.
        assertInfrastructureFailure(assertThrows(StreamingException.class,
                () -> emitter.emit(request("own-transaction").build())));
        assertInfrastructureFailure(assertThrows(StreamingException.class,
                () -> emitter.emit(request("always").policyOverride(DeliveryPolicyOverride.builder()
                        .outbox(OutboxMode.ALWAYS).build()).build())));
        assertEquals(Status.STATUS_NO_TRANSACTION, ut.getStatus(), "no transaction of the outbox was left open");

        database.restore();
        assertEquals(0, db.count("SELECT COUNT(*) FROM ledger_entry"), "the business row rolled back");
        assertEquals(parkedBefore, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox"),
                "no row of a failed emit was written");

        // Recovery needs nothing but the database and the broker coming back: the same kind of transaction commits
        // its business row and its event together.
        ut.begin();
        EntityManager after = unit.createEntityManager();
        try {
            after.joinTransaction();
            writeLedgerEntry(after, "after-outage");
            emitter.emit(request("after-outage").build());
            ut.commit();
        } finally {
            after.close();
        }
        assertEquals(1, db.count("SELECT COUNT(*) FROM ledger_entry WHERE id = 'after-outage'"));
        // Committed with it (the relay may already have claimed it, with the broker still down).
        assertEquals(1, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE partition_key = 't-after-outage'"));

        broker.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> db.count("SELECT COUNT(*) FROM lerian_streaming_outbox"
                + " WHERE status <> 'PUBLISHED'") == 0);
        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(TOPIC, Integer.MAX_VALUE, Duration.ofSeconds(3));
        Set<String> keys = records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8))
                .collect(Collectors.toSet());
        assertTrue(keys.containsAll(Set.of("t-kept-before-outage", "t-after-outage")), keys::toString);
        for (String failed : List.of("t-in-flight", "t-own-transaction", "t-always")) {
            assertFalse(keys.contains(failed), () -> "an emit that failed was published: " + failed);
        }
    }

    private static void writeLedgerEntry(EntityManager em, String id) {
        em.createNativeQuery("INSERT INTO ledger_entry (id, note) VALUES (?1, 'business data')")
                .setParameter(1, id).executeUpdate();
    }

    private static void assertInfrastructureFailure(StreamingException e) {
        assertEquals(ErrorCode.OUTBOX_WRITE_FAILED, e.code(), e::getMessage);
        assertFalse(StreamingErrors.isCallerError(e), "a database outage is not the caller's fault");
    }

    private static EmitRequest.Builder request(String id) {
        return EmitRequest.builder("transaction.created").tenantId("t-" + id).subject(id)
                .payload("{\"note\":\"" + id + "\"}");
    }

}
