package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.cdi.internal.EmitterFactory;
import studio.lerian.streaming.cdi.internal.KafkaEmitter;
import studio.lerian.streaming.cdi.internal.config.StreamingConfig;
import studio.lerian.streaming.cdi.internal.config.StreamingConfigLoader;
import studio.lerian.streaming.cdi.support.Fixture;
import studio.lerian.streaming.cdi.support.KafkaBroker;
import studio.lerian.streaming.outbox.jpa.JpaOutboxStore;
import studio.lerian.streaming.outbox.jpa.TestDatabase;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * Two application instances relay one PostgreSQL outbox table of 20,000 rows to a real broker: every row reaches the
 * topic, each key's rows in creation order, and no row is published twice because two relays claimed it (a duplicate
 * could only come from the documented at-least-once window, and this run has no failure to open it).
 */
class PostgresTwoRelaysEndToEndTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final int ROWS = 20_000;
    private static final int KEYS = 40;

    private TestDatabase db;
    private EntityManagerFactory unit;
    private KafkaBroker broker;
    private final List<KafkaEmitter> instances = new ArrayList<>();

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

    @Test
    void twoRelaysDrainTwentyThousandRowsEachOnceAndEachKeyInOrder() throws SQLException {
        insertRows();
        Map<String, String> properties = Fixture.config(broker.bootstrap());
        properties.put("streaming.outbox.poll.interval.ms", "50");
        // Claims of 20 rows take 20 of the 40 keys' heads at most, so that the other relay finds keys nobody holds
        // and both relay side by side; with claims larger than the keys, the relay that claims first holds every key
        // batch after batch, and the other only gets in between two of its batches, by chance.
        properties.put("streaming.outbox.batch.size", "20");
        StreamingConfig config = StreamingConfigLoader.load(properties::get);
        Catalog catalog = Catalog.of(Fixture.TRANSACTION_CREATED);
        for (int i = 0; i < 2; i++) {
            instances.add(EmitterFactory.create(config, catalog, null, null, new JpaOutboxStore(unit)));
        }

        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status <> 'PUBLISHED'") == 0);

        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(TOPIC, ROWS, Duration.ofSeconds(120));
        Set<String> ids = new HashSet<>();
        Map<String, List<Integer>> perKey = new HashMap<>();
        int duplicates = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (!ids.add(new String(r.headers().lastHeader("ce-id").value(), StandardCharsets.UTF_8))) {
                duplicates++;
                continue;
            }
            String value = new String(r.value(), StandardCharsets.UTF_8);
            perKey.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(Integer.parseInt(value.replaceAll("[^0-9]", "")));
        }
        assertEquals(ROWS, ids.size(), "every row reached the topic");
        assertEquals(0, duplicates, "no row published twice");
        for (Map.Entry<String, List<Integer>> e : perKey.entrySet()) {
            List<Integer> seqs = e.getValue();
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(i, seqs.get(i), e.getKey() + ": rows in creation order");
            }
        }
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                "SELECT COUNT(DISTINCT claimed_by) FROM lerian_streaming_outbox"); ResultSet rs = st.executeQuery()) {
            rs.next();
            assertEquals(2, rs.getInt(1), "both instances relayed rows");
        }
    }

    /** 20,000 parked events, 40 tenants round-robin, each tenant's payload counting 0, 1, 2, ... in row order. */
    private void insertRows() throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW)) {
                for (int i = 0; i < ROWS; i++) {
                    String tenant = "tenant-" + (i % KEYS);
                    ResolvedEvent event = ResolvedEvent.builder().tenantId(tenant).resourceType("transaction")
                            .eventType("created").eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                            .timestamp(now).source(Fixture.SOURCE).dataContentType("application/json")
                            .payload(("{\"seq\":" + (i / KEYS) + "}").getBytes(StandardCharsets.UTF_8)).build();
                    OutboxEnvelope envelope = OutboxEnvelope.of("transaction.created", DeliveryPolicy.defaults(),
                            event);
                    TestDatabase.bindPendingRow(ps, UUID.randomUUID().toString(), envelope.aggregateId().toString(),
                            tenant, TOPIC, envelope.toJson(), now);
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
        db.afterBulkLoad();
    }

}
