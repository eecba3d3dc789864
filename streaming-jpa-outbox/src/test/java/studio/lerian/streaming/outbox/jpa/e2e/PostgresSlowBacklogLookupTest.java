package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.Persistence;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.BatchEmitException;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.OutboxMode;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.OtelCapture;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * An emit, and a batch, stays within its delivery timeout when the strict-ordering lookup in the outbox is slow. While the outbox
 * holds a backlog, every emit first asks the database whether its partition key has unpublished rows; that read is
 * part of the emit, so its time comes out of the same delivery timeout as the wait for the broker, instead of the
 * broker wait starting afresh after it (an emit then took the lookup's time plus a whole delivery timeout: under the
 * network-fault chaos test on a loaded machine, 24.7 s for a 2 s delivery timeout).
 *
 * <p>The lookup is made slow the way a real database makes it slow: another session holds an exclusive lock on the
 * outbox table for {@value #LOCK_HELD_S} s ({@code LOCK TABLE}, then {@code pg_sleep} in the same transaction), so the
 * lookup waits for it. The broker is down with the breaker still closed, so the publish waits for the broker until
 * its deadline. A lock held longer than the whole delivery timeout shows the lookup itself cut short.
 */
class PostgresSlowBacklogLookupTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final long DELIVERY_TIMEOUT_S = 3;
    private static final double LOCK_HELD_S = 2;
    /** A lock held three delivery timeouts long: the lookup behind it must be cut short. */
    private static final double LOCK_HELD_LONG_S = 3.0 * DELIVERY_TIMEOUT_S;

    private TestDatabase.Postgres db;
    private KafkaBroker broker;
    private StreamingContainer app;
    private OtelCapture otel;

    @BeforeEach
    void start() throws SQLException {
        db = TestDatabase.Postgres.open();
        db.applyShippedDdl();
        OutboxApplication.unit = Persistence.createEntityManagerFactory("lerian-streaming-test", Map.of(
                "jakarta.persistence.jdbc.url", db.url(),
                "jakarta.persistence.jdbc.user", db.user(),
                "jakarta.persistence.jdbc.password", ""));
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 1, Map.of());
        Map<String, String> config = Fixture.config(broker.bootstrap());
        config.put("streaming.cb.min.requests", "100"); // the breaker stays closed: every emit waits for the broker
        config.put("streaming.record.delivery.timeout.s", Long.toString(DELIVERY_TIMEOUT_S));
        config.put("streaming.outbox.poll.interval.ms", "100");
        otel = OtelCapture.start();
        app = StreamingContainer.start(config, Fixture.Definitions.class, OutboxApplication.class,
                OtelCapture.Producer.class);
    }

    @AfterEach
    void stop() throws SQLException {
        if (app != null) {
            app.close();
        }
        if (otel != null) {
            otel.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (OutboxApplication.unit != null) {
            OutboxApplication.unit.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aSlowBacklogLookupComesOutOfTheDeliveryTimeout() throws Exception {
        Duration took = behindTheLock(LOCK_HELD_S, PostgresSlowBacklogLookupTest::emitTimesOut);
        System.out.println("emit behind a " + LOCK_HELD_S + " s outbox lock took " + took.toMillis() + " ms");
        assertWithinBound(took, LOCK_HELD_S);
    }

    /**
     * A lookup that would outlast the whole delivery timeout (the lock is held for three of them) is cut short by a
     * query timeout taken from what is left of the emit's budget, and the emit fails as a timeout within its bound.
     */
    @Test
    void aBacklogLookupLongerThanTheDeliveryTimeoutIsCutShort() throws Exception {
        Duration took = behindTheLock(LOCK_HELD_LONG_S, PostgresSlowBacklogLookupTest::emitTimesOut);
        System.out.println("emit behind a " + LOCK_HELD_LONG_S + " s outbox lock took " + took.toMillis() + " ms");
        assertWithinBound(took, LOCK_HELD_LONG_S);
    }

    /** The same for a batch: its lookups share the batch's one budget. */
    @Test
    void aBatchsBacklogLookupsLongerThanTheDeliveryTimeoutAreCutShort() throws Exception {
        Duration took = behindTheLock(LOCK_HELD_LONG_S, PostgresSlowBacklogLookupTest::batchTimesOut);
        System.out.println("emitAll behind a " + LOCK_HELD_LONG_S + " s outbox lock took " + took.toMillis() + " ms");
        assertWithinBound(took, LOCK_HELD_LONG_S);
    }

    private static void emitTimesOut(Emitter emitter) {
        EmitException timedOut = assertThrows(EmitException.class,
                () -> emitter.emit(request("behind-the-lock").build()));
        assertEquals(ErrorClass.NETWORK_TIMEOUT, timedOut.errorClass(), timedOut::getMessage);
    }

    private static void batchTimesOut(Emitter emitter) {
        BatchEmitException failed = assertThrows(BatchEmitException.class,
                () -> emitter.emitAll(List.of(request("batch-a").build(), request("batch-b").build())));
        assertEquals(2, failed.failures().size(), failed::getMessage);
        for (BatchEmitException.Failure failure : failed.failures()) {
            EmitException cause = assertInstanceOf(EmitException.class, failure.cause(), failed::getMessage);
            assertEquals(ErrorClass.NETWORK_TIMEOUT, cause.errorClass(), cause::getMessage);
        }
    }

    @Test
    void aBatchsSlowBacklogLookupsComeOutOfItsDeliveryTimeout() throws Exception {
        Duration took = behindTheLock(LOCK_HELD_S, PostgresSlowBacklogLookupTest::batchTimesOut);
        System.out.println("emitAll behind a " + LOCK_HELD_S + " s outbox lock took " + took.toMillis() + " ms");
        assertWithinBound(took, LOCK_HELD_S);
        // The lookups left too little time to hand the records to the client: as for a single emit, the broker never
        // saw them, so there is no dead-letter copy to write (nor one to fail writing, with the broker down).
        await("no dead-letter copy").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> otel.total("streaming_dlq_total") + otel.total("streaming_dlq_publish_failed_total") == 0);
    }

    /**
     * Leaves a backlog with the broker down, locks the outbox table for {@code lockSeconds}, and times {@code call}
     * while the lock is held.
     */
    private Duration behindTheLock(double lockSeconds, java.util.function.Consumer<Emitter> call) throws Exception {
        Emitter emitter = app.emitter();
        emitter.emit(request("warm-up").build()); // the producer knows the topic's partitions from now on
        broker.stop();
        // A parked event that cannot be relayed keeps a backlog, so every emit asks the outbox about its key.
        emitter.emit(request("parked").policyOverride(DeliveryPolicyOverride.builder().outbox(OutboxMode.ALWAYS)
                .build()).build());

        CompletableFuture<Void> lockHolder = CompletableFuture.runAsync(() -> lockTheOutboxTable(lockSeconds));
        try {
            await("the outbox table is locked").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> db.count("SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                            + " WHERE c.relname = 'lerian_streaming_outbox' AND l.mode = 'AccessExclusiveLock'"
                            + " AND l.granted") > 0);
            long started = System.nanoTime();
            call.accept(emitter);
            return Duration.ofNanos(System.nanoTime() - started);
        } finally {
            lockHolder.get(30, TimeUnit.SECONDS);
        }
    }

    private static void assertWithinBound(Duration took, double lockSeconds) {
        Duration bound = Duration.ofSeconds(DELIVERY_TIMEOUT_S + 1);
        assertTrue(took.compareTo(bound) <= 0, "the call took " + took + " with a " + DELIVERY_TIMEOUT_S
                + " s delivery timeout while the outbox table was locked for " + lockSeconds + " s; the bound is "
                + bound);
    }

    /** Holds an exclusive lock on the outbox table for the given time, in a session of its own. */
    private void lockTheOutboxTable(double seconds) {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("LOCK TABLE lerian_streaming_outbox IN ACCESS EXCLUSIVE MODE");
            st.execute("SELECT pg_sleep(" + seconds + ")");
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EmitRequest.Builder request(String id) {
        return EmitRequest.builder("transaction.created").tenantId("t-" + id).subject(id)
                .payload("{\"note\":\"" + id + "\"}");
    }
}
