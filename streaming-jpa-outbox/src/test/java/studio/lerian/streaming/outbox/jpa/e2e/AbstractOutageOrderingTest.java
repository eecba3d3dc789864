package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * No event lost, and each tenant's order kept, across a broker outage: five tenants emit steadily (up to 200 events a
 * second each) while the broker is stopped and restarted. Every emit that returned without error must be on the topic afterwards (consumers dedupe
 * on {@code ce-id}), each tenant's acknowledged events in the order they were emitted (strict ordering), and no emit
 * may block longer than the delivery timeout plus one second.
 */
abstract class AbstractOutageOrderingTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final int TENANTS = 5;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);
    /** Each tenant emits at most 200 events a second: a busy merchant, not a benchmark. */
    private static final Duration PACE = Duration.ofMillis(5);

    private TestDatabase db;
    private KafkaBroker broker;
    private StreamingContainer app;

    abstract TestDatabase openDatabase();

    @BeforeEach
    void start() {
        db = openDatabase();
        db.applyShippedDdl();
        OutboxApplication.unit = db.factory();
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 3, Map.of());
        Map<String, String> config = Fixture.config(broker.bootstrap());
        config.put("streaming.cb.min.requests", "4");
        config.put("streaming.cb.timeout.s", "2");
        config.put("streaming.record.delivery.timeout.s", Long.toString(DELIVERY_TIMEOUT.toSeconds()));
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
    void everyAcknowledgedEmitReachesKafkaInEachTenantsOrder() throws Exception {
        Emitter emitter = app.emitter();
        Map<String, List<Integer>> acked = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> durations = new ConcurrentLinkedQueue<>();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService callers = Executors.newFixedThreadPool(TENANTS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            String tenant = "tenant-" + t;
            acked.put(tenant, new ArrayList<>());
            done.add(callers.submit(() -> {
                long nextSlot = System.nanoTime();
                for (int seq = 0; running.get(); seq++) {
                    // A steady caller: at most one emit per PACE (a rate limit, not a wait for a state).
                    nextSlot += PACE.toNanos();
                    LockSupport.parkNanos(nextSlot - System.nanoTime());
                    long started = System.nanoTime();
                    try {
                        emitter.emit(EmitRequest.builder("transaction.created").tenantId(tenant)
                                .eventId(tenant + "-" + seq).payload("{\"seq\":" + seq + "}").build());
                        acked.get(tenant).add(seq);
                    } catch (StreamingException notAcknowledged) {
                        // the caller saw the failure; such an event is not owed
                        failures.merge(notAcknowledged.getMessage().replaceAll(":.*", "") + " "
                                + StreamingErrors.emitException(notAcknowledged).map(x -> x.errorClass().wire())
                                        .orElse(notAcknowledged.code().name()), 1, Integer::sum);
                    } finally {
                        durations.add(System.nanoTime() - started);
                    }
                }
                return null;
            }));
        }

        await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
        broker.stop();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> unpublishedRows() > 0); // the outbox takes over
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no event was parked while the broker was down; emit failures: " + failures, e);
        }
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        broker.start();
        // Callers go on after the broker is back: a key with a backlog keeps parking behind it, in order, until the
        // relay has caught up with it.
        await().pollDelay(Duration.ofSeconds(4)).until(() -> true);
        running.set(false);
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        callers.shutdown();
        await().atMost(Duration.ofMinutes(2)).until(() -> unpublishedRows() == 0);

        // Drained: the next events go straight to Kafka again, none to the outbox.
        long rowsBefore = db.count("SELECT COUNT(*) FROM lerian_streaming_outbox");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            emitter.emit(EmitRequest.builder("transaction.created").tenantId("after-recovery").payload("{}").build());
            return db.count("SELECT COUNT(*) FROM lerian_streaming_outbox") == rowsBefore;
        });

        int total = acked.values().stream().mapToInt(List::size).sum();
        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(TOPIC, total, Duration.ofSeconds(60));
        Map<String, List<Integer>> seen = new HashMap<>();
        Set<String> ids = new HashSet<>();
        int[] duplicates = {0};
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String id = new String(r.headers().lastHeader("ce-id").value(), StandardCharsets.UTF_8);
            if (!ids.add(id)) {
                duplicates[0]++;
                continue;
            }
            String tenant = new String(r.key(), StandardCharsets.UTF_8);
            if (!acked.containsKey(tenant)) {
                continue; // the probes sent after recovery
            }
            String value = new String(r.value(), StandardCharsets.UTF_8);
            seen.computeIfAbsent(tenant, k -> new ArrayList<>())
                    .add(Integer.parseInt(value.replaceAll("[^0-9]", "")));
        }
        for (Map.Entry<String, List<Integer>> e : acked.entrySet()) {
            Set<Integer> owed = new LinkedHashSet<>(e.getValue());
            List<Integer> onKafka = new ArrayList<>(seen.getOrDefault(e.getKey(), List.of()));
            onKafka.retainAll(owed);
            Set<Integer> missing = new LinkedHashSet<>(owed);
            missing.removeAll(onKafka);
            assertEquals(Set.of(), missing, e.getKey() + ": acknowledged events missing from Kafka");
            for (int i = 1; i < onKafka.size(); i++) {
                int at = i;
                assertTrue(onKafka.get(i - 1) < onKafka.get(i), () -> e.getKey() + ": out of order at position " + at
                        + ": " + onKafka.subList(Math.max(0, at - 5), Math.min(onKafka.size(), at + 5))
                        + " (duplicates skipped: " + duplicates[0] + ")");
            }
        }
        assertTrue(publishedThroughOutbox() > 0, "the outage was bridged by the outbox");
        long longest = durations.stream().mapToLong(Long::longValue).max().orElse(0);
        assertTrue(longest <= DELIVERY_TIMEOUT.plusSeconds(1).toNanos(),
                "longest emit " + Duration.ofNanos(longest) + " exceeds the delivery timeout + 1 s");
    }

    private long unpublishedRows() throws SQLException {
        return db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status IN ('PENDING', 'PROCESSING')");
    }

    private long publishedThroughOutbox() throws SQLException {
        return db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status = 'PUBLISHED'");
    }

}
