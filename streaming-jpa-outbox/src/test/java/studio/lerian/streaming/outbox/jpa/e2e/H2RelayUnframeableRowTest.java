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
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
 * A stored row that the configured record format cannot frame (a {@code source} or {@code dataschema} that is not a
 * URI, which the CloudEvents Kafka binding needs; the {@code lerian} format takes any header value): a Go service
 * sharing the table, a row parked before the format changed, an edited row. It is marked INVALID on its first
 * attempt; it neither aborts its batch (whose other rows are published and recorded) nor holds back the later rows of
 * its own key. With one attempt allowed, the relay used to mark it FAILED and then throw while copying it to the DLQ,
 * so the batch rolled back and every poll claimed and republished it again.
 */
class H2RelayUnframeableRowTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";

    private TestDatabase db;
    private EntityManagerFactory unit;
    private KafkaBroker broker;
    private StreamingEngine instance;
    private final OffsetDateTime firstCreatedAt = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(10);
    private int inserted;

    @BeforeEach
    void start() {
        db = new TestDatabase.H2();
        db.applyShippedDdl();
        unit = db.factory();
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 1, Map.of());
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

    @ParameterizedTest(name = "{0} with {1}=\"{2}\"")
    @CsvSource({
        "kafka-binary, source, //lerian.midaz/not a uri",
        "kafka-structured, source, //lerian.midaz/not a uri",
        "kafka-binary, dataschema, https://schemas.lerian.test/not a uri.json",
        "kafka-structured, dataschema, https://schemas.lerian.test/not a uri.json"})
    void aRowTheFormatCannotFrameIsInvalidAndTheRestOfItsBatchGoesOut(String format, String field, String value)
            throws SQLException {
        ResolvedEvent.Builder bad = event("bad", "t-a");
        if (field.equals("source")) {
            bad.source(value);
        } else {
            bad.dataSchema(value);
        }
        insert("bad", "t-a", envelope(bad.build()));
        insert("after-bad", "t-a", envelope(event("after-bad", "t-a").build()));
        insert("other", "t-b", envelope(event("other", "t-b").build()));

        Map<String, String> properties = Fixture.config(broker.bootstrap());
        properties.put("streaming.cloudevents.format", format);
        properties.put("streaming.outbox.poll.interval.ms", "50");
        properties.put("streaming.outbox.max.attempts", "1"); // the first failure is the last attempt
        instance = StreamingEngine.builder().settings(properties).catalog(Catalog.of(Fixture.TRANSACTION_CREATED))
                .outbox(null, new JpaOutboxStore(unit)).build();

        await().atMost(Duration.ofSeconds(20)).until(() -> status("after-bad").equals("PUBLISHED")
                && status("other").equals("PUBLISHED"));
        assertEquals("INVALID", status("bad"));
        Set<String> keys = broker.consume(TOPIC, 2, Duration.ofSeconds(10)).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8)).collect(Collectors.toSet());
        assertEquals(Set.of("t-a", "t-b"), keys, "the rows after the unframeable one, of its key and of another");
    }

    private static ResolvedEvent.Builder event(String subject, String tenant) {
        return ResolvedEvent.builder().tenantId(tenant).resourceType("transaction").eventType("created")
                .eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                .timestamp(OffsetDateTime.now(ZoneOffset.UTC)).source(Fixture.SOURCE).subject(subject)
                .dataContentType("application/json").payload("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] envelope(ResolvedEvent event) {
        return OutboxEnvelope.of("transaction.created", DeliveryPolicy.defaults(), event).toJson();
    }

    /** Rows are created a millisecond apart, in insertion order: the relay takes a key's rows oldest first. */
    private void insert(String id, String partitionKey, byte[] envelope) throws SQLException {
        OffsetDateTime created = firstCreatedAt.plusNanos(inserted++ * 1_000_000L);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW)) {
            TestDatabase.bindPendingRow(ps, id, UUID.randomUUID().toString(), partitionKey, TOPIC, envelope, created);
            ps.executeUpdate();
        }
    }

    private String status(String id) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM lerian_streaming_outbox WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row " + id);
                }
                return rs.getString(1);
            }
        }
    }
}
