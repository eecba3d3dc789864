package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.core.internal.EmitterFactory;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;
import studio.lerian.streaming.core.internal.outbox.BacklogProbe;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.outbox.jpa.JpaOutboxStore;
import studio.lerian.streaming.outbox.jpa.JpaOutboxWriter;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * Strict ordering holds on every instance, whatever its configuration and however its callers use transactions: an
 * event whose partition key has parked events reaches the topic after them. Application instances are emitters built
 * in one JVM over one PostgreSQL outbox table and one real broker, with the broker up throughout (events are parked
 * by their policy, {@code outbox=always}, so that a later event of the key could go directly).
 */
class PostgresOrderingOnEveryInstanceTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final DeliveryPolicyOverride PARK = DeliveryPolicyOverride.builder().outbox(OutboxMode.ALWAYS)
            .build();

    private TestDatabase db;
    private EntityManagerFactory unit;
    private KafkaBroker broker;
    private final List<KafkaEmitter> instances = new ArrayList<>();
    /** The caller's unit of work, for a writer that joins resource-local transactions. */
    private static final ThreadLocal<EntityManager> unitOfWork = new ThreadLocal<>();

    @BeforeEach
    void start() {
        db = TestDatabase.Postgres.open();
        db.applyShippedDdl();
        unit = db.factory();
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 3, Map.of());
    }

    @AfterEach
    void stop() throws SQLException {
        instances.forEach(KafkaEmitter::close);
        broker.close();
        unit.close();
        db.close();
    }

    /**
     * Instance A parks three events of a key; its relay has not got to them yet (its next poll is a minute away).
     * Instance B, which does not relay, emits three more of that key: they must follow A's into the outbox, not
     * overtake them.
     */
    @Test
    void anInstanceWithoutARelayKeepsAKeyBehindRowsAnotherInstanceParked() {
        KafkaEmitter a = instance(Map.of("streaming.outbox.poll.interval.ms", "60000"));
        KafkaEmitter b = instance(Map.of("streaming.outbox.relay.enabled", "false",
                "streaming.outbox.poll.interval.ms", "100"));
        // A relays, B does not. A's relay polls once as it starts, then a minute later: wait for that first poll to be
        // over, or it may publish A's rows before B has seen them (on a busy machine it can start late).
        await("A's relay has polled once").atMost(Duration.ofSeconds(30))
                .until(() -> a.relay().orElseThrow().scheduledPollsCompleted() > 0);
        for (int seq = 0; seq < 3; seq++) {
            a.emit(event("k", seq).policyOverride(PARK).build());
        }

        // B's backlog probe has seen A's rows (it counts what it sees: one, two or all three of them).
        await("instance B sees the backlog A left").atMost(Duration.ofSeconds(10))
                .until(() -> b.outboxBacklog().unpublished() > 0);
        for (int seq = 3; seq < 6; seq++) {
            b.emit(event("k", seq).build());
        }

        drainWith(a);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), sequencesOnTheTopic("k", 6));
    }

    /**
     * Hole a: a caller parks an event inside its transaction and keeps the transaction open for many poll intervals,
     * during which every poll finds the outbox empty (the row is not committed). Once it commits, the key's next event
     * must still follow the parked one, not go ahead of it.
     */
    @Test
    void aRowParkedInALongCallerTransactionKeepsItsKeyBehindItAfterTheCommit() {
        KafkaEmitter app = instance(Map.of("streaming.outbox.poll.interval.ms", "100"));
        BacklogProbe probe = app.backlogProbe().orElseThrow();
        inCallersTransaction(() -> {
            app.emit(event("k", 0).policyOverride(PARK).build());
            long probesBefore = probe.completed();
            // The caller's transaction stays open for ten poll intervals, and at least three probes.
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30))
                    .until(() -> probe.completed() >= probesBefore + 3);
        });
        app.emit(event("k", 1).build());

        assertEquals(List.of(0, 1), sequencesOnTheTopic("k", 2));
    }

    /**
     * Hole b: a caller parks an event inside its transaction and, later in the same transaction (after the 250 ms
     * for which the key is remembered), emits another event of the key. The backlog lookup runs on a connection of its
     * own, which cannot see the uncommitted row; the second event must still follow the first.
     */
    @Test
    void aKeyParkedEarlierInTheCallersTransactionIsFollowedLaterInIt() {
        KafkaEmitter app = instance(Map.of("streaming.outbox.poll.interval.ms", "1000"));
        inCallersTransaction(() -> {
            app.emit(event("k", 0).policyOverride(PARK).build());
            await().pollDelay(Duration.ofMillis(400)).until(() -> true); // past the 250 ms memory of the key
            app.emit(event("k", 1).build());
        });

        assertEquals(List.of(0, 1), sequencesOnTheTopic("k", 2));
    }

    /** Runs the work in a resource-local transaction of the caller's, which the outbox writer joins; commits. */
    private void inCallersTransaction(Runnable work) {
        EntityManager em = unit.createEntityManager();
        unitOfWork.set(em);
        try {
            em.getTransaction().begin();
            work.run();
            em.getTransaction().commit();
        } finally {
            if (em.getTransaction().isActive()) {
                em.getTransaction().rollback();
            }
            unitOfWork.remove();
            em.close();
        }
    }

    private KafkaEmitter instance(Map<String, String> settings) {
        Map<String, String> properties = Fixture.config(broker.bootstrap());
        properties.putAll(settings);
        KafkaEmitter emitter = EmitterFactory.create(StreamingConfigLoader.load(properties::get),
                Catalog.of(Fixture.TRANSACTION_CREATED), null,
                new JpaOutboxWriter(unit, unitOfWork::get, Clock.systemUTC()), new JpaOutboxStore(unit));
        instances.add(emitter);
        // A first publish fetches the topic's metadata; from now on a direct publish takes milliseconds, which is what
        // lets an event that should wait overtake the parked ones.
        emitter.emit(event("warm-up", 0).build());
        return emitter;
    }

    /** Polls the instance's relay until the outbox holds no unpublished row. */
    private void drainWith(KafkaEmitter relaying) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            relaying.relay().orElseThrow().pollOnce();
            return db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status IN ('PENDING', 'PROCESSING')")
                    == 0;
        });
    }

    private static EmitRequest.Builder event(String tenant, int seq) {
        return EmitRequest.builder("transaction.created").tenantId(tenant).eventId(tenant + "-" + seq)
                .payload("{\"seq\":" + seq + "}");
    }

    /**
     * The key's sequence numbers on the topic in offset order, once {@code expected} distinct events arrived (a
     * repeated {@code ce-id} counts once, as a consumer deduplicating on it would).
     */
    private List<Integer> sequencesOnTheTopic(String tenant, int expected) {
        List<Integer> sequences = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            sequences.clear();
            Set<String> seen = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : broker.consumeToEnd(TOPIC, Duration.ofSeconds(10))) {
                String id = new String(r.headers().lastHeader("ce-id").value(), StandardCharsets.UTF_8);
                if (tenant.equals(new String(r.key(), StandardCharsets.UTF_8)) && seen.add(id)) {
                    sequences.add(Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8)
                            .replaceAll("[^0-9]", "")));
                }
            }
            return sequences.size() >= expected;
        });
        return List.copyOf(sequences);
    }
}
