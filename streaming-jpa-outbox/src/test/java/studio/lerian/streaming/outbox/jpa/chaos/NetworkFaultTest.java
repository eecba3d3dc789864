package studio.lerian.streaming.outbox.jpa.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
import studio.lerian.streaming.core.support.BrokerProcess;
import studio.lerian.streaming.core.support.FreePorts;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * Network faults between the library and a broker: every client connection goes through an in-JVM TCP proxy
 * ({@link NetworkFault}), because the broker (a separate OS process) advertises the proxy's address. Under the load of
 * the broker chaos test ({@link CallerLoad}) with the JPA outbox wired (H2), each of {@code netfault.cycles} cycles
 * breaks the network, holds the fault, and heals it:
 *
 * <ul>
 *   <li>a <b>blackholed</b> connection: the proxy accepts and keeps connections but passes nothing, so requests are
 *       never answered and nothing is refused either (the hardest case for a client: only its own timeouts help);</li>
 *   <li>a <b>slow</b> connection: every chunk of data is held back, longer than the request timeout.</li>
 * </ul>
 *
 * <p>Each time: the breaker opens, the outbox takes the events, and once the network heals the library recovers by
 * itself, with nobody restarting anything: the relay drains the outbox (callers pause for that, see below) and emits go
 * straight to the broker again (the breaker closes). Afterwards every acknowledged emit is on the topic (deduplicated
 * on {@code ce-id}, duplicates counted), each tenant's events are in emit order, and no emit blocked longer than the
 * delivery timeout plus one second.
 *
 * <p>Callers go on for a while after the network heals, then pause until the relay has drained: with a backlog, strict
 * ordering parks every new event of that key behind it, and a strictly ordered relay (one round trip per key and row)
 * on a busy 2-core machine need not outpace 320 new events a second.
 *
 * <p>The defaults are the short run of {@code mvn verify}; {@code -Pchaos-long} raises the cycle count.
 */
class NetworkFaultTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final String HEALTHY = "healthy";
    private static final String FAULT = "fault";
    private static final String HEALING = "healing";

    private static final int CYCLES = Integer.getInteger("netfault.cycles", 1);
    private static final int CALLERS = Integer.getInteger("chaos.callers", 16);
    private static final int TENANTS = Integer.getInteger("chaos.tenants", 20);
    private static final int RATE = Integer.getInteger("chaos.rate", 320);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(Long.getLong("netfault.delivery.timeout.s",
            2));
    /** How long each chunk is held back on a slow link: above the request timeout (about the delivery timeout). */
    private static final Duration SLOW_CHUNK = Duration.ofMillis(Long.getLong("netfault.slow.chunk.ms",
            DELIVERY_TIMEOUT.toMillis() + 500));
    /** How long the network serves between faults, and how long a fault is held once the breaker opened. */
    private static final Duration UP = Duration.ofMillis(Long.getLong("netfault.up.ms", 2000));
    private static final Duration HOLD = Duration.ofMillis(Long.getLong("netfault.hold.ms", 3000));
    private static final Duration RECOVERY = Duration.ofSeconds(Long.getLong("netfault.recovery.s", 180));

    private final TestDatabase db = new TestDatabase.H2();
    private BrokerProcess broker;
    private NetworkFault network;
    private OutboxApp app;

    @BeforeEach
    void start() {
        db.applyShippedDdl();
        // The proxy's port too: the broker advertises it, so it must differ from the broker's own listeners.
        int[] ports = FreePorts.pick(4);
        int proxyPort = ports[0];
        int brokerPort = ports[1];
        broker = BrokerProcess.behindProxy(Paths.get("target", "chaos"), brokerPort, proxyPort, ports[2], ports[3])
                .start();
        broker.createTopic(TOPIC, 3);
        network = new NetworkFault(proxyPort, brokerPort);
        app = OutboxApp.start(db, "127.0.0.1:" + proxyPort, DELIVERY_TIMEOUT, CALLERS);
    }

    @AfterEach
    void stop() throws SQLException {
        if (app != null) {
            app.close();
        }
        if (network != null) {
            network.close();
        }
        if (broker != null) {
            broker.close();
        }
        db.close();
    }

    @Test
    void blackholedConnection() throws Exception {
        survive("blackhole", network::blackhole);
    }

    @Test
    void slowConnection() throws Exception {
        survive("slow", () -> network.slow(SLOW_CHUNK));
    }

    private void survive(String fault, Runnable breakNetwork) throws Exception {
        Duration bound = DELIVERY_TIMEOUT.plusSeconds(1);
        CallerLoad load = new CallerLoad(app.emitter(), CALLERS, TENANTS, RATE).watchEmitsSlowerThan(bound).start();
        load.mark(HEALTHY);
        long maxBacklog = 0;
        long slowestOpenMs = 0;
        long slowestRecoveryMs = 0;
        long started = System.nanoTime();
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            serveFor(UP);

            load.mark(FAULT);
            long broken = System.nanoTime();
            breakNetwork.run();
            await("the breaker opens").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> app.circuit() == BreakerState.State.OPEN);
            slowestOpenMs = Math.max(slowestOpenMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - broken));
            await("the outbox takes the events").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> app.unpublishedRows() > 0);
            serveFor(HOLD);
            maxBacklog = Math.max(maxBacklog, app.unpublishedRows());

            load.mark(HEALING);
            long healed = System.nanoTime();
            network.heal();
            // Callers go on while the network is back: with a backlog, strict ordering parks their events behind it.
            serveFor(UP);
            // Then the relay drains by itself. The callers pause meanwhile: on a busy 2-core machine a strictly
            // ordered relay (one round trip per key and row) need not outpace 320 new events a second.
            load.pause();
            try {
                await("the relay drains the outbox by itself").atMost(RECOVERY).pollInterval(Duration.ofMillis(100))
                        .until(() -> app.unpublishedRows() == 0);
            } finally {
                load.resume();
            }
            await("emits go straight to the broker again: the breaker closes").atMost(RECOVERY)
                    .pollInterval(Duration.ofMillis(50)).until(() -> app.circuit() == BreakerState.State.CLOSED);
            slowestRecoveryMs = Math.max(slowestRecoveryMs,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - healed));
            load.mark(HEALTHY);
        }
        serveFor(UP);
        load.stop();
        long chaosSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(100)).until(() -> app.unpublishedRows() == 0);

        int total = load.acknowledged();
        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(TOPIC, total, Duration.ofMinutes(2));
        TopicAudit audit = new TopicAudit(records, load.acked());
        long viaOutbox = app.publishedThroughOutbox();
        int whileHealthy = load.failuresOutside(Set.of(FAULT, HEALING)::contains).size();
        String figures = String.format("fault=%s cycles=%d callers=%d tenants=%d chaos=%ds attempts=%d acked=%d "
                + "failed=%s failedOutsideFaults=%d records=%d distinct=%d duplicates=%d viaOutbox=%d maxBacklog=%d "
                + "slowestOpenMs=%d slowestHealToRecoveredMs=%d maxEmitMs=%d", fault, CYCLES, CALLERS, TENANTS,
                chaosSeconds, load.attempts(), total, load.failureCounts(), whileHealthy, audit.records(),
                audit.distinct(), audit.duplicates(), viaOutbox, maxBacklog, slowestOpenMs, slowestRecoveryMs,
                TimeUnit.NANOSECONDS.toMillis(load.longestNanos()));
        OutboxApp.report("network-" + fault, figures);
        Path slowEmits = OutboxApp.write("slow-emits-network-" + fault, load.slowEmits());

        audit.assertEveryAcknowledgedEmitInOrder(figures);
        assertFalse(load.threwUntyped(), "an emit threw something other than a StreamingException; " + figures);
        assertTrue(viaOutbox > 0, "the faults were bridged by the outbox; " + figures);
        assertTrue(load.longestNanos() <= bound.toNanos(), "longest emit " + Duration.ofNanos(load.longestNanos())
                + " exceeds the delivery timeout + 1 s (where such emits waited: " + slowEmits + "); " + figures);
    }

    /** Lets the callers go on for a while in the current state (a duration of load, not a wait for a state). */
    private static void serveFor(Duration d) {
        await().pollDelay(d).atMost(d.plusSeconds(1)).until(() -> true);
    }
}
