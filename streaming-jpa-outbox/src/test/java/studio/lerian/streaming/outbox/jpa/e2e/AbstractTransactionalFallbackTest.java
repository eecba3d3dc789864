package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.BatchEmitException;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.HealthState;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.BreakerState;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * The outbox fallback joined to the caller's resource-local transaction, with a real broker and a real database: while
 * the circuit is open, an emit inside a business transaction parks its event in that transaction; a rollback leaves
 * neither the business row nor the event, a commit leaves both, and the relay publishes the event once the broker is
 * back.
 *
 * <p>The same for {@code Emitter.emitAll}: a batch parks in the caller's transaction as one, in batch order, and the
 * relay publishes each tenant's events in that order; a row the database refuses fails every parked request of the
 * batch and leaves no row. With the broker up and strict ordering, a request whose key has an earlier request of the
 * batch in the outbox follows it there.
 */
abstract class AbstractTransactionalFallbackTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final Pattern PAYLOAD = Pattern.compile("\\{\"tenant\":\"([^\"]+)\",\"seq\":(\\d+)}");

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
        broker.createTopic(TOPIC, 3, Map.of());
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
        // Committed and not published; the relay, polling meanwhile, may be holding it for an attempt.
        assertEquals(1, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE partition_key = 't-committed'"
                + " AND status IN ('PENDING', 'PROCESSING')"));

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

    @Test
    void anOpenCircuitParksTheWholeBatchInTheCallersTransactionAsOne() throws SQLException {
        Emitter emitter = app.emitter();
        broker.stop();
        openTheCircuit(emitter);

        inBusinessTransaction("rolled-back", () -> emitter.emitAll(batch("rb", 3, 4)), false);
        assertEquals(0, db.count("SELECT COUNT(*) FROM ledger_entry"));
        assertEquals(0, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE partition_key LIKE 'rb-%'"));

        List<EmitRequest> committed = batch("ok", 3, 4);
        inBusinessTransaction("committed", () -> emitter.emitAll(committed), true);
        assertEquals(1, db.count("SELECT COUNT(*) FROM ledger_entry WHERE id = 'committed'"));
        assertEquals(List.of("ok-0:0", "ok-1:0", "ok-2:0", "ok-0:1", "ok-1:1", "ok-2:1", "ok-0:2", "ok-1:2", "ok-2:2",
                "ok-0:3", "ok-1:3", "ok-2:3"), pendingRowsInSeqOrder("ok-%"), "one row per request, in batch order");

        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE lerian_streaming_outbox ADD CONSTRAINT batch_poison"
                    + " CHECK (partition_key <> 'poison-0')");
        }
        BatchEmitException refused = assertThrows(BatchEmitException.class,
                () -> emitter.emitAll(List.of(event("fine-0", 0), event("poison-0", 0), event("fine-0", 1))));
        assertEquals(ErrorCode.BATCH_EMIT_FAILED, refused.code());
        assertEquals(List.of(0, 1, 2), refused.failures().stream().map(BatchEmitException.Failure::index).toList(),
                "one transaction: every parked request failed with it");
        refused.failures().forEach(f -> assertEquals(ErrorCode.OUTBOX_WRITE_FAILED, f.cause().code()));
        assertFalse(StreamingErrors.isCallerError(refused));
        assertEquals(0, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE partition_key LIKE 'fine-%'"));
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE lerian_streaming_outbox DROP CONSTRAINT batch_poison");
        }

        broker.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> db.count("SELECT COUNT(*) FROM lerian_streaming_outbox"
                + " WHERE status <> 'PUBLISHED'") == 0);
        Map<String, List<Integer>> sequences = sequencesOnTheTopic("ok-", 12);
        for (int t = 0; t < 3; t++) {
            assertEquals(List.of(0, 1, 2, 3), sequences.get("ok-" + t), "ok-" + t + " in batch order");
        }
        assertFalse(sequences.keySet().stream().anyMatch(k -> k.startsWith("rb-")), "rolled back: never published");
    }

    @Test
    void withStrictOrderingARequestFollowsAnEarlierRequestOfItsKeyIntoTheOutbox() throws SQLException {
        Emitter emitter = app.emitter();
        DeliveryPolicyOverride always = DeliveryPolicyOverride.builder().outbox(OutboxMode.ALWAYS).build();
        emitter.emitAll(List.of(
                event("follow", 0),
                event("free", 0),
                event("follow", 1).toBuilder().policyOverride(always).build(),
                event("free", 1),
                event("follow", 2)));

        assertEquals(List.of("follow:1", "follow:2"), rowsInSeqOrder("%"),
                "#2 by its policy, #4 after it; #0 went to Kafka before, and the other key is not held back");
        await().atMost(Duration.ofSeconds(60)).until(() -> db.count("SELECT COUNT(*) FROM lerian_streaming_outbox"
                + " WHERE status <> 'PUBLISHED'") == 0);
        Map<String, List<Integer>> sequences = sequencesOnTheTopic("f", 5);
        assertEquals(List.of(0, 1, 2), sequences.get("follow"));
        assertEquals(List.of(0, 1), sequences.get("free"));
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

    private static List<EmitRequest> batch(String prefix, int tenants, int perTenant) {
        List<EmitRequest> batch = new ArrayList<>();
        for (int seq = 0; seq < perTenant; seq++) {
            for (int t = 0; t < tenants; t++) {
                batch.add(event(prefix + "-" + t, seq));
            }
        }
        return batch;
    }

    private static EmitRequest event(String tenant, int seq) {
        return EmitRequest.builder("transaction.created").tenantId(tenant)
                .payload("{\"tenant\":\"" + tenant + "\",\"seq\":" + seq + "}").build();
    }

    private void inBusinessTransaction(String id, Emitter emitter, boolean commit) {
        inBusinessTransaction(id, () -> emitter.emit(EmitRequest.builder("transaction.created").tenantId("t-" + id)
                .subject(id).payload("{\"note\":\"" + id + "\"}").build()), commit);
    }

    private void inBusinessTransaction(String id, Runnable emits, boolean commit) {
        EntityManager em = OutboxApplication.unit.createEntityManager();
        OutboxApplication.UNIT_OF_WORK.set(em);
        try {
            em.getTransaction().begin();
            em.createNativeQuery("INSERT INTO ledger_entry (id, note) VALUES (?1, ?2)")
                    .setParameter(1, id).setParameter(2, "business data").executeUpdate();
            emits.run();
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
    private List<String> pendingRowsInSeqOrder(String keyPattern) throws SQLException {
        assertEquals(0, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE partition_key LIKE '"
                + keyPattern + "' AND status <> 'PENDING'"));
        return rowsInSeqOrder(keyPattern);
    }

    /** The outbox rows of the keys, in seq order, as {@code tenant:seq} read from their envelopes. */
    private List<String> rowsInSeqOrder(String keyPattern) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT envelope FROM lerian_streaming_outbox WHERE partition_key LIKE '"
                        + keyPattern + "' AND partition_key <> 'probe' ORDER BY seq")) {
            while (rs.next()) {
                // The envelope holds the payload JSON as is (spec section 8.2), so its tenant and seq can be read.
                Matcher m = Pattern.compile("\\\\?\"tenant\\\\?\":\\\\?\"([^\"\\\\]+)\\\\?\",\\\\?\"seq\\\\?\":(\\d+)")
                        .matcher(new String(rs.getBytes(1), StandardCharsets.UTF_8));
                out.add(m.find() ? m.group(1) + ":" + m.group(2) : "unreadable");
            }
        }
        return out;
    }

    /**
     * Each tenant's sequence numbers on the topic, in offset order, once {@code expected} distinct events arrived. The
     * relay delivers at least once (a publish acknowledged while its row's update failed is published again), so a
     * repeated {@code ce-id} is read as the consumer would: its first occurrence counts.
     */
    private Map<String, List<Integer>> sequencesOnTheTopic(String keyPrefix, int expected) {
        Map<String, List<Integer>> sequences = new HashMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            sequences.clear();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : broker.consume(TOPIC, Integer.MAX_VALUE, Duration.ofSeconds(2))) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                if (key.startsWith(keyPrefix) && seen.add(new String(r.headers().lastHeader("ce-id").value(),
                        StandardCharsets.UTF_8))) {
                    Matcher m = PAYLOAD.matcher(new String(r.value(), StandardCharsets.UTF_8));
                    if (m.matches()) {
                        sequences.computeIfAbsent(key, k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
                    }
                }
            }
            return sequences.values().stream().mapToInt(List::size).sum() >= expected;
        });
        assertEquals(expected, sequences.values().stream().mapToInt(List::size).sum(), "records: " + sequences);
        return sequences;
    }
}
