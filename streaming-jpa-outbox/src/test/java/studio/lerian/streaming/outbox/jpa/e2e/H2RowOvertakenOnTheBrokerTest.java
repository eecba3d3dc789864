package studio.lerian.streaming.outbox.jpa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 * The case that makes sending a key's rows back to back unsafe, on a real broker (README, "Ordering across an outage"):
 * the broker refuses one row of a key for good (larger than its topic's {@code max.message.bytes}) while the idempotent
 * producer still delivers the rows sent behind it. The relay sees that a later row overtook the refused one and marks
 * it FAILED with a DLQ copy, saying why; the later rows are published and reach the topic in order.
 */
class H2RowOvertakenOnTheBrokerTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final int ROWS = 10;
    private static final int REFUSED = 3;

    private TestDatabase db;
    private EntityManagerFactory unit;
    private KafkaBroker broker;
    private RecordSender publisher;
    private OutboxRelay relay;
    private final Map<String, Integer> seqById = new HashMap<>();

    @BeforeEach
    void start() {
        db = new TestDatabase.H2();
        db.applyShippedDdl();
        unit = db.factory();
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 1, Map.of("max.message.bytes", "10000"));
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
    void aRowTheBrokerRefusesWhileItTakesTheRowsBehindItIsFailedAsOvertakenNotRetriedBehindThem() throws Exception {
        insertRows();
        Map<String, String> properties = Fixture.config(broker.bootstrap());
        properties.put("streaming.record.delivery.timeout.s", "30"); // room for the client's retries on a busy machine
        StreamingConfig config = StreamingConfigLoader.load(properties::get);
        publisher = TestPublishers.over(new KafkaProducer<>(TestPublishers.producerSettings(config)), config);
        relay = new OutboxRelay(new JpaOutboxStore(unit), publisher, config.outbox(), false,
                RowOwnership.of(Catalog.empty(), true), new BacklogFlag(), "relay-1",
                Executors.newSingleThreadScheduledExecutor(), true, Telemetry.NOOP);

        assertEquals(ROWS, relay.pollOnce(), "one claim holds the key's whole run");

        Map<Integer, String> status = new HashMap<>();
        String lastError = null;
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, status, last_error FROM lerian_streaming_outbox"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int seq = seqById.get(rs.getString(1));
                status.put(seq, rs.getString(2));
                if (seq == REFUSED) {
                    lastError = rs.getString(3);
                }
            }
        }
        for (int seq = 0; seq < ROWS; seq++) {
            assertEquals(seq == REFUSED ? "FAILED" : "PUBLISHED", status.get(seq), "row " + seq);
        }
        assertTrue(lastError.startsWith("not retried, to keep its key's order: a later row of the same key and topic"),
                lastError);
        assertTrue(lastError.contains("; failure: ") && lastError.contains("size"), "the broker's refusal: " + lastError);

        List<Integer> onTheTopic = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.consumeToEnd(TOPIC, Duration.ofSeconds(60))) {
            onTheTopic.add(seq(r.value()));
        }
        assertEquals(List.of(0, 1, 2, 4, 5, 6, 7, 8, 9), onTheTopic,
                "the rows behind the refused one were delivered, in order; it was not sent again behind them");
        List<ConsumerRecord<byte[], byte[]>> dlq = broker.consume(TOPIC + ".dlq", 1, Duration.ofSeconds(60));
        assertEquals(1, dlq.size(), "the refused row's DLQ copy (its policy allows one)");
        assertEquals(REFUSED, seq(dlq.get(0).value()));
    }

    private static int seq(byte[] value) {
        String json = new String(value, StandardCharsets.UTF_8);
        return Integer.parseInt(json.replaceFirst("(?s)^\\{\"seq\":(\\d+).*$", "$1"));
    }

    /**
     * One key's rows, payloads {"seq":n,...}; row REFUSED carries 30,000 random characters, which no compression
     * brings under the topic's 10,000 bytes.
     */
    private void insertRows() throws SQLException {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        byte[] noise = new byte[22_500];
        new SecureRandom().nextBytes(noise);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW)) {
            for (int seq = 0; seq < ROWS; seq++) {
                String payload = "{\"seq\":" + seq
                        + (seq == REFUSED ? ",\"noise\":\"" + Base64.getEncoder().encodeToString(noise) + "\"" : "")
                        + "}";
                ResolvedEvent event = ResolvedEvent.builder().tenantId("t-1").resourceType("transaction")
                        .eventType("created").eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                        .timestamp(start).source(Fixture.SOURCE).dataContentType("application/json")
                        .payload(payload.getBytes(StandardCharsets.UTF_8)).build();
                OutboxEnvelope envelope = OutboxEnvelope.of("transaction.created", DeliveryPolicy.defaults(), event);
                String id = UUID.randomUUID().toString();
                seqById.put(id, seq);
                TestDatabase.bindPendingRow(ps, id, envelope.aggregateId().toString(), "t-1", TOPIC,
                        envelope.toJson(), start.plusNanos(seq * 1_000L));
                ps.executeUpdate();
            }
        }
    }
}
