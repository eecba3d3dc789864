package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Persistence;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
 * PostgreSQL becomes unreachable while the broker is down and the breaker open, so the outbox is the only way an event
 * can be kept: each emit fails with a typed infrastructure error ({@code OUTBOX_WRITE_FAILED}, never a caller error),
 * nothing is half-written, a business transaction that joined the outbox write cannot commit without its event, and
 * once the database and the broker are back, with no restart, new emits park again and the relay publishes every
 * committed event and none whose emit failed.
 *
 * <p>How the database is made unavailable: the persistence unit reaches PostgreSQL through an in-JVM TCP proxy
 * ({@link ProxiedPostgres}), which is closed (every connection of the unit reset, new connections refused) and opened
 * again. The machine's PostgreSQL itself is never touched, so other tests using it go on; revoking {@code CONNECT} or
 * terminating back ends would need a role and a database of the test's own and still leave pooled connections to
 * handle, while a proxy cuts exactly this unit's connections, pooled or new.
 */
class PostgresUnavailableTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final String UNIT = "lerian-streaming-test";

    private ProxiedPostgres database;
    private TestDatabase.Postgres db;
    private KafkaBroker broker;
    private StreamingContainer app;

    @BeforeEach
    void start() throws SQLException, IOException {
        database = ProxiedPostgres.open();
        db = database.db();
        String viaProxy = database.url();
        OutboxApplication.unit = Persistence.createEntityManagerFactory(UNIT, Map.of(
                "jakarta.persistence.jdbc.url", viaProxy,
                "jakarta.persistence.jdbc.user", db.user(),
                "jakarta.persistence.jdbc.password", ""));
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 1, Map.of());
        Map<String, String> config = Fixture.config(broker.bootstrap());
        config.put("streaming.cb.min.requests", "2");
        config.put("streaming.cb.timeout.s", "600"); // stays open until the test is done with the outage
        config.put("streaming.record.delivery.timeout.s", "1");
        config.put("streaming.outbox.poll.interval.ms", "100");
        app = StreamingContainer.start(config, Fixture.Definitions.class, OutboxApplication.class);
    }

    @AfterEach
    void stop() throws SQLException {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (OutboxApplication.unit != null) {
            OutboxApplication.unit.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void anUnreachableDatabaseIsATypedFailureAndLeavesNothingHalfWritten() throws SQLException {
        Emitter emitter = app.emitter();
        broker.stop();
        AbstractTransactionalFallbackTest.openTheCircuit(emitter);
        emitter.emit(request("kept-before-outage").build());
        long parkedBefore = db.count("SELECT COUNT(*) FROM lerian_streaming_outbox");

        // A business transaction that has already written its own row when the database goes away.
        EntityManager em = OutboxApplication.unit.createEntityManager();
        OutboxApplication.UNIT_OF_WORK.set(em);
        try {
            em.getTransaction().begin();
            em.createNativeQuery("INSERT INTO ledger_entry (id, note) VALUES ('in-flight', 'business data')")
                    .executeUpdate();

            database.cut();

            StreamingException joined = assertThrows(StreamingException.class,
                    () -> emitter.emit(request("in-flight").build()));
            assertInfrastructureFailure(joined);
            // Whatever the application does next, its business row cannot commit without its event.
            assertThrows(PersistenceException.class, () -> em.getTransaction().commit());
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            OutboxApplication.UNIT_OF_WORK.remove();
            em.close();
        }

        // Without a business transaction: the breaker's fallback, and the outbox=always policy.
        assertInfrastructureFailure(assertThrows(StreamingException.class,
                () -> emitter.emit(request("own-transaction").build())));
        assertInfrastructureFailure(assertThrows(StreamingException.class,
                () -> emitter.emit(request("always").policyOverride(DeliveryPolicyOverride.builder()
                        .outbox(OutboxMode.ALWAYS).build()).build())));

        database.restore();
        assertEquals(0, db.count("SELECT COUNT(*) FROM ledger_entry"), "the business row rolled back");
        assertEquals(parkedBefore, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox"),
                "no row of a failed emit was written");

        // Recovery needs nothing but the database and the broker coming back.
        emitter.emit(request("after-outage").build());
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

    private static void assertInfrastructureFailure(StreamingException e) {
        assertEquals(ErrorCode.OUTBOX_WRITE_FAILED, e.code(), e::getMessage);
        assertFalse(StreamingErrors.isCallerError(e), "a database outage is not the caller's fault");
    }

    private static EmitRequest.Builder request(String id) {
        return EmitRequest.builder("transaction.created").tenantId("t-" + id).subject(id)
                .payload("{\"note\":\"" + id + "\"}");
    }

}
