package studio.lerian.streaming.outbox.jpa.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Paths;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.core.internal.BreakerState;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * A real three-node cluster ({@link BrokerCluster}: KRaft, replication factor 3, {@code min.insync.replicas=2}) under
 * the load of the broker chaos test ({@link CallerLoad}), with the JPA outbox wired (H2) and the library's defaults
 * ({@code acks=all}, idempotent writes, strict ordering). Each of {@code cluster.cycles} cycles:
 *
 * <ol>
 *   <li><b>one node down</b>: a node is killed with SIGKILL, stays dead, is restarted and caught up; the cluster still
 *       has two in-sync replicas, so no caller sees an error;</li>
 *   <li><b>two nodes down</b>: two nodes are killed with SIGKILL; {@code acks=all} writes fail, the breaker opens, the
 *       outbox absorbs the events; the nodes are restarted, and the relay drains the outbox while callers go on.</li>
 * </ol>
 *
 * <p>Afterwards: every emit that returned without error is on the topic (deduplicated on {@code ce-id}, duplicates
 * counted), each tenant's events are in emit order, no caller saw an error except while two nodes were down or coming
 * back, and no emit blocked longer than the delivery timeout plus one second.
 *
 * <p>Three broker processes are more than the short suite of every build can afford on a shared 2-core machine (a
 * node alone took up to 90 s to start there), so this test runs with {@code -Dchaos.cluster=true}, which
 * {@code -Pchaos-long} sets together with its cycle count; by hand, one cycle is the short run.
 */
class ClusterChaosTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final String ONE_DOWN = "one down";
    private static final String TWO_DOWN = "two down";
    private static final String RECOVERING = "recovering";
    private static final String ALL_UP = "all up";

    private static final int CYCLES = Integer.getInteger("cluster.cycles", 1);
    private static final int CALLERS = Integer.getInteger("chaos.callers", 16);
    private static final int TENANTS = Integer.getInteger("chaos.tenants", 20);
    private static final int RATE = Integer.getInteger("chaos.rate", 320);
    /**
     * Long enough to ride out a leader failover (the dead node's session expires after 3 s, then a new leader is
     * elected; a new active controller first, when the dead node was it); the breaker chaos test, with nothing to fail
     * over to, uses 2 s.
     */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(Long.getLong("cluster.delivery.timeout.s",
            10));
    /** How long the cluster serves between faults, and how long a node stays dead. */
    private static final Duration UP = Duration.ofMillis(Long.getLong("cluster.up.ms", 2000));
    private static final Duration DOWN = Duration.ofMillis(Long.getLong("cluster.down.ms", 3000));
    private static final Duration RECOVERY = Duration.ofMinutes(3);

    private final TestDatabase db = new TestDatabase.H2();
    private BrokerCluster cluster;
    private OutboxApp app;

    @BeforeEach
    void start() {
        assumeTrue(Boolean.getBoolean("chaos.cluster"), "the cluster chaos test runs with -Dchaos.cluster=true");
        db.applyShippedDdl();
        cluster = new BrokerCluster(Paths.get("target", "chaos")).start();
        cluster.createTopic(TOPIC, BrokerCluster.SIZE);
        cluster.awaitInSync(TOPIC, RECOVERY);
        app = OutboxApp.start(db, cluster.bootstrap(), DELIVERY_TIMEOUT, CALLERS);
    }

    @AfterEach
    void stop() throws SQLException {
        if (app != null) {
            app.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        db.close();
    }

    @Test
    void oneNodeDownIsInvisibleToCallersAndTwoDownAreBridgedByTheOutbox() throws Exception {
        CallerLoad load = new CallerLoad(app.emitter(), CALLERS, TENANTS, RATE).start();
        load.mark(ALL_UP);
        long maxBacklog = 0;
        long slowestOpenMs = 0;
        long slowestDrainMs = 0;
        long started = System.nanoTime();
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            int victim = (cycle - 1) % BrokerCluster.SIZE + 1;
            int second = victim % BrokerCluster.SIZE + 1;
            serve();

            load.mark(ONE_DOWN);
            cluster.kill(victim);
            serveFor(DOWN);
            assertEquals(BreakerState.State.CLOSED, app.circuit(), "one node down must not open the breaker");
            cluster.start();
            cluster.awaitInSync(TOPIC, RECOVERY);
            load.mark(ALL_UP);
            serve();

            load.mark(TWO_DOWN);
            long killed = System.nanoTime();
            cluster.kill(victim, second);
            await("the breaker opens with two nodes down").atMost(DELIVERY_TIMEOUT.multipliedBy(4))
                    .pollInterval(Duration.ofMillis(50)).until(() -> app.circuit() == BreakerState.State.OPEN);
            slowestOpenMs = Math.max(slowestOpenMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            await("the outbox absorbs the events").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50)).until(() -> app.unpublishedRows() > 0);
            serveFor(DOWN);
            maxBacklog = Math.max(maxBacklog, app.unpublishedRows());
            assertEquals(1, cluster.alive());

            load.mark(RECOVERING);
            long restarted = System.nanoTime();
            cluster.start();
            cluster.awaitInSync(TOPIC, RECOVERY);
            // Callers go on with the nodes back: with a backlog, strict ordering parks their events behind it.
            serve();
            // Then the relay drains by itself. The callers pause meanwhile: on a busy 2-core machine a strictly
            // ordered relay (one round trip per key and row) need not outpace 320 new events a second.
            load.pause();
            try {
                await("the outbox drains once the nodes are back").atMost(RECOVERY)
                        .pollInterval(Duration.ofMillis(100)).until(() -> app.unpublishedRows() == 0);
            } finally {
                load.resume();
            }
            await("emits go straight to the cluster again: the breaker closes").atMost(RECOVERY)
                    .pollInterval(Duration.ofMillis(50)).until(() -> app.circuit() == BreakerState.State.CLOSED);
            slowestDrainMs = Math.max(slowestDrainMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
            load.mark(ALL_UP);
        }
        serve();
        load.stop();
        long chaosSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).until(() -> app.unpublishedRows() == 0);

        int total = load.acknowledged();
        List<ConsumerRecord<byte[], byte[]>> records = cluster.consume(TOPIC, total, Duration.ofMinutes(2));
        TopicAudit audit = new TopicAudit(records, load.acked());
        long viaOutbox = app.publishedThroughOutbox();
        List<CallerLoad.Failure> visible = load.failuresOutside(Set.of(TWO_DOWN, RECOVERING)::contains);
        String figures = String.format("cluster=%d-nodes cycles=%d callers=%d tenants=%d chaos=%ds attempts=%d "
                + "acked=%d failed=%s failedWithAtMostOneDown=%d records=%d distinct=%d duplicates=%d viaOutbox=%d "
                + "maxBacklog=%d slowestOpenMs=%d slowestRestartToClosedMs=%d maxEmitMs=%d deliveryTimeoutS=%d",
                BrokerCluster.SIZE, CYCLES, CALLERS, TENANTS, chaosSeconds, load.attempts(), total,
                load.failureCounts(), visible.size(), audit.records(), audit.distinct(), audit.duplicates(),
                viaOutbox, maxBacklog, slowestOpenMs, slowestDrainMs, TimeUnit.NANOSECONDS.toMillis(load.longestNanos()),
                DELIVERY_TIMEOUT.toSeconds());
        OutboxApp.report("cluster", figures);

        audit.assertEveryAcknowledgedEmitInOrder(figures);
        assertEquals(List.of(), visible, "a caller saw an error while at most one node was down; " + figures);
        assertFalse(load.threwUntyped(), "an emit threw something other than a StreamingException; " + figures);
        assertTrue(viaOutbox > 0, "the two-node outages were bridged by the outbox; " + figures);
        assertTrue(load.longestNanos() <= DELIVERY_TIMEOUT.plusSeconds(1).toNanos(), "longest emit "
                + Duration.ofNanos(load.longestNanos()) + " exceeds the delivery timeout + 1 s; " + figures);
    }

    private static void serve() {
        serveFor(UP);
    }

    /** Lets the callers go on for a while in the current state (a duration of load, not a wait for a state). */
    private static void serveFor(Duration d) {
        await().pollDelay(d).atMost(d.plusSeconds(1)).until(() -> true);
    }
}
