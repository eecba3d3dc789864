package studio.lerian.streaming.outbox.jpa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.core.internal.RecordSender;
import studio.lerian.streaming.core.internal.TestPublishers;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;
import studio.lerian.streaming.core.internal.outbox.BacklogFlag;
import studio.lerian.streaming.core.internal.outbox.OutboxRelay;
import studio.lerian.streaming.core.internal.outbox.RowOwnership;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.outbox.jpa.JpaOutboxStore;
import studio.lerian.streaming.outbox.jpa.TestDatabase;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * A hot key's backlog drains without a broker round trip per row (README, "Ordering across an outage"): the relay
 * publishes a key's claimed run back to back over the library's idempotent producer, and a real broker receives every
 * row once, each key in creation order, while the relay waits for the broker once per claim, not once per row. Counted
 * (flushes, and the client's own {@code request-total}), not timed.
 */
class PostgresHotKeyDrainTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final int HOT_ROWS = 600;
    private static final int COLD_KEYS = 4;
    private static final int COLD_ROWS = 10;
    private static final int ROWS = HOT_ROWS + COLD_KEYS * COLD_ROWS;
    private static final int COLD_EVERY = ROWS / (COLD_KEYS * COLD_ROWS);

    private TestDatabase db;
    private EntityManagerFactory unit;
    private KafkaBroker broker;
    private KafkaProducer<byte[], byte[]> producer;
    private final AtomicInteger flushes = new AtomicInteger();
    private RecordSender publisher;
    private OutboxRelay relay;

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
        if (relay != null) {
            relay.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        broker.close();
        unit.close();
        db.close();
    }

    @Test
    void aHotKeysBacklogReachesTheBrokerInOrderWithFarFewerRequestsThanRows() throws Exception {
        insertRows();
        Map<String, String> properties = Fixture.config(broker.bootstrap());
        properties.put("streaming.batch.linger.ms", "5"); // the default, which the README's round trip refers to
        StreamingConfig config = StreamingConfigLoader.load(properties::get);
        producer = new KafkaProducer<>(TestPublishers.producerSettings(config)) {
            @Override
            public void flush() {
                flushes.incrementAndGet(); // each is a wait for the broker's answers
                super.flush();
            }
        };
        publisher = TestPublishers.over(producer, config);
        relay = new OutboxRelay(new JpaOutboxStore(unit), publisher, config.outbox(), false,
                RowOwnership.of(Catalog.empty(), true), new BacklogFlag(), "relay-1",
                Executors.newSingleThreadScheduledExecutor(), true, Telemetry.NOOP);
        // The producer's id, the topic's metadata and its connection first, so that the count below is the drain's.
        producer.send(new ProducerRecord<>(TOPIC, "warm-up".getBytes(StandardCharsets.UTF_8), new byte[0]))
                .get(30, TimeUnit.SECONDS);
        double before = requestsSent();
        flushes.set(0);

        int polls = 0;
        while (relay.pollOnce() > 0) { // the test drives the relay itself: every claim is counted
            polls++;
        }
        double requests = requestsSent() - before;

        assertEquals(0, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status <> 'PUBLISHED'"),
                "every row was acknowledged and recorded as published");
        assertTrue(polls >= HOT_ROWS / config.outbox().batchSize(), "the hot key took several claims: " + polls);
        assertEquals(polls, flushes.get(), "one wait for the broker per claim, every key's run handed over whole");
        // One round trip per row took a request per row at least. Handed over whole, a claim's rows share batches;
        // how many requests carry them depends on how fast the client's sender thread drains them (linger, load).
        assertTrue(requests < HOT_ROWS / 2.0, requests + " requests for " + ROWS + " rows in " + polls + " polls");

        List<ConsumerRecord<byte[], byte[]>> records = broker.consumeToEnd(TOPIC, Duration.ofSeconds(60));
        Map<String, List<Integer>> perKey = new HashMap<>();
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (key.equals("warm-up")) {
                continue;
            }
            assertTrue(ids.add(new String(r.headers().lastHeader("ce-id").value(), StandardCharsets.UTF_8)),
                    "no row published twice");
            String value = new String(r.value(), StandardCharsets.UTF_8);
            perKey.computeIfAbsent(key, k -> new ArrayList<>()).add(Integer.parseInt(value.replaceAll("[^0-9]", "")));
        }
        assertEquals(ROWS, ids.size(), "every row reached the topic");
        assertEquals(expected(HOT_ROWS), perKey.get("t-hot"), "the hot key's rows in creation order");
        for (int k = 0; k < COLD_KEYS; k++) {
            assertEquals(expected(COLD_ROWS), perKey.get("t-cold-" + k), "t-cold-" + k + " in creation order");
        }
    }

    /** Requests the producer has sent so far, of every kind: produce requests, and metadata now and then. */
    private double requestsSent() {
        for (Map.Entry<MetricName, ? extends Metric> e : producer.metrics().entrySet()) {
            if (e.getKey().name().equals("request-total") && e.getKey().group().equals("producer-metrics")) {
                return (double) e.getValue().metricValue();
            }
        }
        throw new AssertionError("the producer reports no request-total");
    }

    private static List<Integer> expected(int count) {
        List<Integer> seqs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            seqs.add(i);
        }
        return seqs;
    }

    /**
     * The hot key's rows, with the cold keys' rows among them (every 16th row is a cold key's), each key's payload
     * counting 0, 1, 2, ... in creation order.
     */
    private void insertRows() throws SQLException {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        Map<String, Integer> next = new HashMap<>();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW)) {
                for (int i = 0; i < ROWS; i++) {
                    String key = i % COLD_EVERY == 0 ? "t-cold-" + (i / COLD_EVERY % COLD_KEYS) : "t-hot";
                    int seq = next.merge(key, 1, Integer::sum) - 1;
                    ResolvedEvent event = ResolvedEvent.builder().tenantId(key).resourceType("transaction")
                            .eventType("created").eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                            .timestamp(start).source(Fixture.SOURCE).dataContentType("application/json")
                            .payload(("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8)).build();
                    OutboxEnvelope envelope = OutboxEnvelope.of("transaction.created", DeliveryPolicy.defaults(),
                            event);
                    TestDatabase.bindPendingRow(ps, UUID.randomUUID().toString(), envelope.aggregateId().toString(),
                            key, TOPIC, envelope.toJson(), start.plusNanos(i * 1_000L));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        db.afterBulkLoad();
    }
}
