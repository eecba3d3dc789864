package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
 * Four application instances relay one PostgreSQL outbox table to a real broker, sharing its lanes, and one of them
 * dies in the middle of the drain: its database sessions end as a killed process's do, and it never says goodbye, so
 * its lanes go to the others when its lease runs out. Every row reaches the topic, and each key's first deliveries are
 * in creation order (the dead relay's last batch may be published again: at least once, never out of order).
 *
 * <p>Rows: {@code lanes.e2e.rows} (20,000 by default; 200,000 with {@code -Pchaos-long}), over 100 keys, parked the way
 * a writer without key hashes (or a Go service) parks them, so the relays hash them as they go.
 */
class PostgresFourRelaysEndToEndTest {

    private static final String TOPIC = KeyedBacklog.TOPIC;
    private static final int ROWS = Integer.getInteger("lanes.e2e.rows", 20_000);
    private static final int KEYS = 100;
    private static final int RELAYS = 4;

    private TestDatabase db;
    private KafkaBroker broker;
    private final List<EntityManagerFactory> units = new ArrayList<>();
    private final List<KafkaEmitter> instances = new ArrayList<>();

    @BeforeEach
    void start() {
        db = TestDatabase.Postgres.open();
        db.applyShippedDdl();
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 6, Map.of());
    }

    @AfterEach
    void stop() throws SQLException {
        instances.forEach(KafkaEmitter::close);
        broker.close();
        units.forEach(EntityManagerFactory::close);
        db.close();
    }

    @Test
    void fourRelaysDrainTheTableInKeyOrderThoughOneDiesOnTheWay() throws SQLException {
        KeyedBacklog.park(db, ROWS, KEYS);
        Map<String, String> properties = Fixture.config(broker.bootstrap());
        properties.put("streaming.outbox.poll.interval.ms", "100");
        properties.put("streaming.outbox.lane.lease.s", "3");
        StreamingConfig config = StreamingConfigLoader.load(properties::get);
        Catalog catalog = Catalog.of(Fixture.TRANSACTION_CREATED);
        for (int i = 0; i < RELAYS; i++) {
            EntityManagerFactory unit = db.factory("&ApplicationName=relay-" + i);
            units.add(unit);
            JpaOutboxStore store = i == 1 ? new NeverLeaves(unit) : new JpaOutboxStore(unit);
            instances.add(EmitterFactory.create(config, catalog, null, null, store));
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> openRows() < ROWS * 2L / 3);
        killRelay(1);
        Instant killed = Instant.now();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> openRows() == 0);
        Duration drainAfterKill = Duration.between(killed, Instant.now());

        List<ConsumerRecord<byte[], byte[]>> records = broker.consumeToEnd(TOPIC, Duration.ofMinutes(3));
        int duplicates = KeyedBacklog.assertEveryRowInKeyOrder(records, ROWS);
        assertEquals(0, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status <> 'PUBLISHED'"));
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(
                "SELECT COUNT(DISTINCT claimed_by) FROM lerian_streaming_outbox"); ResultSet rs = st.executeQuery()) {
            rs.next();
            assertEquals(RELAYS, rs.getInt(1), "every instance relayed rows");
        }
        System.out.printf("four relays: %d rows, %d duplicates after the kill, drain after the kill %d ms%n", ROWS,
                duplicates, drainAfterKill.toMillis());
    }

    /** The instance dies: its database sessions end (its open batch rolls back) and its relay stops, saying nothing. */
    private void killRelay(int i) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'relay-"
                    + i + "'").close();
        }
        instances.get(i).close();
    }

    private long openRows() throws SQLException {
        return db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status IN ('PENDING', 'PROCESSING')");
    }

    /** A store whose relay never gives its lanes back, as a killed process cannot: they go when its lease runs out. */
    private static final class NeverLeaves extends JpaOutboxStore {
        NeverLeaves(EntityManagerFactory unit) {
            super(unit);
        }

        @Override
        public void leaveLanes(String relayId) {
            // dead: no goodbye
        }
    }
}
