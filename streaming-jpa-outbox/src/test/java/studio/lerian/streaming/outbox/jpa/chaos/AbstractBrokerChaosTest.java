package studio.lerian.streaming.outbox.jpa.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Paths;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.core.support.BrokerProcess;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * Broker chaos: a real broker in its own OS process is killed with SIGKILL and restarted on the same ports and data,
 * {@code chaos.kills} times, while {@code chaos.callers} caller threads across {@code chaos.tenants} tenants emit
 * steadily (about {@code chaos.rate} events a second in total) with the JPA outbox wired. After the last restart and
 * the drain: every emit that returned without error is on the topic (deduplicated on {@code ce-id}, duplicates
 * counted), each tenant's events are in the order they were emitted (strict ordering, the default), and no emit blocked
 * longer than the delivery timeout plus one second.
 *
 * <p>The defaults are the short run of {@code mvn verify}; {@code -Pchaos-long} raises the counts.
 */
abstract class AbstractBrokerChaosTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);

    private static final int KILLS = Integer.getInteger("chaos.kills", 3);
    private static final int CALLERS = Integer.getInteger("chaos.callers", 16);
    private static final int TENANTS = Integer.getInteger("chaos.tenants", 20);
    private static final int RATE = Integer.getInteger("chaos.rate", 320);
    /** How long the broker serves between two kills, and how long it stays dead. */
    private static final Duration UP = Duration.ofMillis(Long.getLong("chaos.up.ms", 2000));
    private static final Duration DOWN = Duration.ofMillis(Long.getLong("chaos.down.ms", 2500));

    private TestDatabase db;
    private BrokerProcess broker;
    private OutboxApp app;

    abstract TestDatabase openDatabase();

    abstract String name();

    @BeforeEach
    void start() {
        db = openDatabase();
        db.applyShippedDdl();
        broker = BrokerProcess.singleNode(Paths.get("target", "chaos")).start();
        broker.createTopic(TOPIC, 3);
        app = OutboxApp.start(db, broker.bootstrap(), DELIVERY_TIMEOUT, CALLERS);
    }

    @AfterEach
    void stop() throws SQLException {
        if (app != null) {
            app.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void everyAcknowledgedEmitSurvivesRepeatedBrokerKills() throws Exception {
        CallerLoad load = new CallerLoad(app.emitter(), CALLERS, TENANTS, RATE).start();

        long maxParked = 0;
        long chaosStarted = System.nanoTime();
        for (int kill = 1; kill <= KILLS; kill++) {
            await().pollDelay(UP).atMost(UP.plusSeconds(1)).until(() -> true); // the broker serves a while
            broker.kill();
            await().pollDelay(DOWN).atMost(DOWN.plusSeconds(1)).until(() -> true); // and stays dead a while
            maxParked = Math.max(maxParked, app.unpublishedRows());
            broker.start();
        }
        // Callers go on after the last restart: keys with a backlog keep parking behind it until the relay caught up.
        await().pollDelay(UP).atMost(UP.plusSeconds(1)).until(() -> true);
        load.stop();
        long chaosSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - chaosStarted);
        long drainStarted = System.nanoTime();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> app.unpublishedRows() == 0);
        Duration drain = Duration.ofNanos(System.nanoTime() - drainStarted);

        int total = load.acknowledged();
        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(TOPIC, total, Duration.ofMinutes(2));
        TopicAudit audit = new TopicAudit(records, load.acked());
        long viaOutbox = app.publishedThroughOutbox();
        String figures = String.format("database=%s kills=%d callers=%d tenants=%d chaos=%ds attempts=%d acked=%d "
                + "failed=%s records=%d distinct=%d duplicates=%d viaOutbox=%d maxBacklog=%d maxEmitMs=%d drainMs=%d",
                name(), KILLS, CALLERS, TENANTS, chaosSeconds, load.attempts(), total, load.failureCounts(),
                audit.records(), audit.distinct(), audit.duplicates(), viaOutbox, maxParked,
                TimeUnit.NANOSECONDS.toMillis(load.longestNanos()), drain.toMillis());
        OutboxApp.report(name(), figures);

        audit.assertEveryAcknowledgedEmitInOrder(figures);
        assertFalse(load.threwUntyped(), "an emit threw something other than a StreamingException; " + figures);
        assertTrue(viaOutbox > 0, "the outages were bridged by the outbox; " + figures);
        assertTrue(load.longestNanos() <= DELIVERY_TIMEOUT.plusSeconds(1).toNanos(), "longest emit "
                + Duration.ofNanos(load.longestNanos()) + " exceeds the delivery timeout + 1 s; " + figures);
    }
}
