package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.HealthState;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.cdi.internal.BreakerState;
import studio.lerian.streaming.cdi.internal.KafkaEmitter;
import studio.lerian.streaming.cdi.support.Fixture;
import studio.lerian.streaming.cdi.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * The outbox fallback joined to the caller's resource-local transaction, with a real broker and a real database: while
 * the circuit is open, an emit inside a business transaction parks its event in that transaction; a rollback leaves
 * neither the business row nor the event, a commit leaves both, and the relay publishes the event once the broker is
 * back.
 */
abstract class AbstractTransactionalFallbackTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";

    private TestDatabase db;
    private KafkaBroker broker;
    private StreamingContainer app;

    abstract TestDatabase openDatabase();

    @BeforeEach
    void start() throws SQLException {
        db = openDatabase();
        db.applyShippedDdl();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE ledger_entry (id VARCHAR(64) PRIMARY KEY, note VARCHAR(255))");
        }
        OutboxApplication.unit = db.factory();
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 1, Map.of());
        Map<String, String> config = Fixture.config(broker.bootstrap());
        config.put("streaming.cb.min.requests", "2");
        config.put("streaming.cb.timeout.s", "600"); // stays open for the whole test
        config.put("streaming.record.delivery.timeout.s", "1");
        config.put("streaming.outbox.poll.interval.ms", "100");
        app = StreamingContainer.start(config, Fixture.Definitions.class, OutboxApplication.class);
    }

    @AfterEach
    void stop() throws SQLException {
        app.close();
        broker.close();
        OutboxApplication.unit.close();
        db.close();
    }

    @Test
    void rollbackDiscardsTheParkedEventAndCommitKeepsItUntilTheRelayPublishesIt() throws SQLException {
        Emitter emitter = app.emitter();
        broker.stop();
        assertEquals(HealthState.DEGRADED, emitter.health().state(), "the outbox captures events meanwhile");
        openTheCircuit(emitter);

        inBusinessTransaction("rolled-back", emitter, false);
        assertEquals(0, db.count("SELECT COUNT(*) FROM ledger_entry WHERE id = 'rolled-back'"));
        assertEquals(0, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE partition_key = 't-rolled-back'"));

        inBusinessTransaction("committed", emitter, true);
        assertEquals(1, db.count("SELECT COUNT(*) FROM ledger_entry WHERE id = 'committed'"));
        assertEquals(1, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE partition_key = 't-committed'"
                + " AND status = 'PENDING'"));

        broker.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> db.count("SELECT COUNT(*) FROM lerian_streaming_outbox"
                + " WHERE status <> 'PUBLISHED'") == 0);
        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(TOPIC, Integer.MAX_VALUE, Duration.ofSeconds(3));
        assertEquals(1, records.stream().filter(r -> "t-committed".equals(key(r))).count(),
                "the committed event reached Kafka once");
        assertEquals(0, records.stream().filter(r -> "t-rolled-back".equals(key(r))).count(),
                "the rolled-back event never exists");
        ConsumerRecord<byte[], byte[]> committed = records.stream().filter(r -> "t-committed".equals(key(r)))
                .findFirst().orElseThrow();
        assertEquals("committed", header(committed, "ce-subject"));
        assertEquals("{\"note\":\"committed\"}", new String(committed.value(), StandardCharsets.UTF_8));
    }

    /** Emits probe events (their own tenant) until the breaker refuses a call; they fail or park meanwhile. */
    static void openTheCircuit(Emitter emitter) {
        KafkaEmitter kafka = (KafkaEmitter) emitter;
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            try {
                emitter.emit(EmitRequest.builder("transaction.created").tenantId("probe").payload("{}").build());
            } catch (StreamingException expectedWhileClosed) {
                // publish failures until the breaker has seen enough of them
            }
            return kafka.circuitState() == BreakerState.State.OPEN;
        });
    }

    private void inBusinessTransaction(String id, Emitter emitter, boolean commit) {
        EntityManager em = OutboxApplication.unit.createEntityManager();
        OutboxApplication.UNIT_OF_WORK.set(em);
        try {
            em.getTransaction().begin();
            em.createNativeQuery("INSERT INTO ledger_entry (id, note) VALUES (?1, ?2)")
                    .setParameter(1, id).setParameter(2, "business data").executeUpdate();
            emitter.emit(EmitRequest.builder("transaction.created").tenantId("t-" + id).subject(id)
                    .payload("{\"note\":\"" + id + "\"}").build());
            if (commit) {
                em.getTransaction().commit();
            } else {
                em.getTransaction().rollback();
            }
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback(); // a failed step must not leave the transaction holding locks
            }
            OutboxApplication.UNIT_OF_WORK.remove();
            em.close();
        }
    }


    private static String key(ConsumerRecord<byte[], byte[]> r) {
        return new String(r.key(), StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
