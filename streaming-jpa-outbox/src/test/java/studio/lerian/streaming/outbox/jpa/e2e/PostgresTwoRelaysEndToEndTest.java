package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.core.internal.EmitterFactory;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.outbox.jpa.JpaOutboxStore;
import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * Two application instances relay one PostgreSQL outbox table of 20,000 rows to a real broker: every row reaches the
 * topic, each key's rows in creation order, and no row is published twice because two relays claimed it (a duplicate
 * could only come from the documented at-least-once window, and this run has no failure to open it).
 */
class PostgresTwoRelaysEndToEndTest {

    private static final String TOPIC = KeyedBacklog.TOPIC;
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
        KeyedBacklog.park(db, ROWS, KEYS);
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

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status <> 'PUBLISHED'") == 0);

        List<ConsumerRecord<byte[], byte[]>> records = broker.consume(TOPIC, ROWS, Duration.ofMinutes(2));
        assertEquals(0, KeyedBacklog.assertEveryRowInKeyOrder(records, ROWS), "no row published twice");
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                "SELECT COUNT(DISTINCT claimed_by) FROM lerian_streaming_outbox"); ResultSet rs = st.executeQuery()) {
            rs.next();
            assertEquals(2, rs.getInt(1), "both instances relayed rows");
        }
    }
}
