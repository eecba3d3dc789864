package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.core.StreamingEngine;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.outbox.jpa.JpaOutboxStore;
import studio.lerian.streaming.outbox.jpa.TestDatabase;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * What the relay refuses: a row whose envelope was tampered with (its topic redirected), has an unknown version or a
 * nil aggregate id is marked INVALID and never published; a row the broker can never accept is marked FAILED at once
 * and copied to the dead-letter topic. Good rows around them are published. Without a publication history
 * ({@code STREAMING_OUTBOX_RETENTION_H=0}) a published row is deleted as it is published, and the refused ones stay.
 */
class H2RelayRefusesBadRowsTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";

    private TestDatabase db;
    private EntityManagerFactory unit;
    private KafkaBroker broker;
    private StreamingEngine instance;

    @BeforeEach
    void start() {
        db = new TestDatabase.H2();
        db.applyShippedDdl();
        unit = db.factory();
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 1, Map.of("max.message.bytes", "2000"));
    }

    @AfterEach
    void stop() throws SQLException {
        if (instance != null) {
            instance.close();
        }
        broker.close();
        unit.close();
        db.close();
    }

    @Test
    void tamperedUnknownAndUndeliverableRowsAreSetAsideAndGoodOnesPublished() throws SQLException {
        OutboxEnvelope good = envelope("good", "{\"n\":1}");
        String goodJson = new String(good.toJson(), StandardCharsets.UTF_8);
        insert("good", TOPIC, good.toJson());
        insert("tampered", "lerian.streaming.transaction.updated",
                goodJson.replace("\"topic\":\"" + TOPIC + "\"", "\"topic\":\"lerian.streaming.transaction.updated\"")
                        .getBytes(StandardCharsets.UTF_8));
        insert("version-2", TOPIC, goodJson.replace("\"version\":1", "\"version\":2").getBytes(StandardCharsets.UTF_8));
        insert("nil-aggregate", TOPIC, goodJson.replace(good.aggregateId().toString(),
                "00000000-0000-0000-0000-000000000000").getBytes(StandardCharsets.UTF_8));
        insert("not-json", TOPIC, "{\"version\":".getBytes(StandardCharsets.UTF_8));
        insert("too-large", TOPIC, envelope("too-large", "{\"blob\":\"" + incompressible(4000) + "\"}").toJson());

        Map<String, String> properties = Fixture.config(broker.bootstrap());
        properties.put("streaming.outbox.poll.interval.ms", "50");
        instance = StreamingEngine.builder().settings(properties).catalog(Catalog.of(Fixture.TRANSACTION_CREATED))
                .outbox(null, new JpaOutboxStore(unit)).build();

        await().atMost(Duration.ofSeconds(30)).until(() -> status("good").equals("PUBLISHED")
                && status("too-large").equals("FAILED"));
        for (String bad : List.of("tampered", "version-2", "nil-aggregate", "not-json")) {
            assertEquals("INVALID", status(bad), bad);
        }
        List<ConsumerRecord<byte[], byte[]>> published = broker.consume(TOPIC, 1, Duration.ofSeconds(10));
        assertEquals(List.of("good"), published.stream().map(r -> header(r, "ce-subject")).toList());
        List<ConsumerRecord<byte[], byte[]>> dead = broker.consume(TOPIC + ".dlq", 1, Duration.ofSeconds(20));
        assertEquals(1, dead.size(), "the undeliverable row's DLQ copy");
        assertEquals("too-large", header(dead.get(0), "ce-subject"));
        assertEquals("serialization_error", header(dead.get(0), "x-lerian-dlq-error-class"));
    }

    @Test
    void withoutHistoryAPublishedRowIsDeletedAndRefusedRowsStayForInspection() throws SQLException {
        OutboxEnvelope good = envelope("good", "{\"n\":1}");
        insert("good", TOPIC, good.toJson());
        insert("tampered", "lerian.streaming.transaction.updated", good.toJson());
        insert("too-large", TOPIC, envelope("too-large", "{\"blob\":\"" + incompressible(4000) + "\"}").toJson());

        Map<String, String> properties = Fixture.config(broker.bootstrap());
        properties.put("streaming.outbox.poll.interval.ms", "50");
        properties.put("streaming.outbox.retention.h", "0");
        instance = StreamingEngine.builder().settings(properties).catalog(Catalog.of(Fixture.TRANSACTION_CREATED))
                .outbox(null, new JpaOutboxStore(unit)).build();

        await().atMost(Duration.ofSeconds(30)).until(() -> statusOrNull("good") == null
                && "FAILED".equals(statusOrNull("too-large")));
        assertEquals("INVALID", status("tampered"));
        List<ConsumerRecord<byte[], byte[]>> published = broker.consume(TOPIC, 1, Duration.ofSeconds(10));
        assertEquals(List.of("good"), published.stream().map(r -> header(r, "ce-subject")).toList(),
                "the deleted row was published first");
    }

    /** Random letters, so that compression cannot bring the record under the topic's limit. */
    private static String incompressible(int length) {
        StringBuilder sb = new StringBuilder(length);
        java.util.Random random = new java.util.Random(42);
        while (sb.length() < length) {
            sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }

    private static OutboxEnvelope envelope(String subject, String payload) {
        ResolvedEvent event = ResolvedEvent.builder().tenantId("t-" + subject).resourceType("transaction")
                .eventType("created").eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                .timestamp(OffsetDateTime.now(ZoneOffset.UTC)).source(Fixture.SOURCE).subject(subject)
                .dataContentType("application/json").payload(payload.getBytes(StandardCharsets.UTF_8)).build();
        return OutboxEnvelope.of("transaction.created", DeliveryPolicy.defaults(), event);
    }

    private void insert(String id, String topic, byte[] envelope) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW)) {
            TestDatabase.bindPendingRow(ps, id, UUID.randomUUID().toString(), "t-" + id, topic, envelope, now);
            ps.executeUpdate();
        }
    }

    private String status(String id) throws SQLException {
        String status = statusOrNull(id);
        if (status == null) {
            throw new AssertionError("no row " + id);
        }
        return status;
    }

    /** The row's status, {@code null} when there is no such row. */
    private String statusOrNull(String id) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM lerian_streaming_outbox WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
