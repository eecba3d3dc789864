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
 * Rows the relay trusts no further than it should. A row whose {@code partition_key} column differs from its
 * envelope's key is INVALID, always: the column orders and claims it among one key's rows while the record would go
 * out under another key. A row whose event is not in the running catalog (a crafted row could otherwise publish to any
 * {@code lerian.streaming.*} topic under any {@code ce-source}) is INVALID by default, and relayed when
 * {@code STREAMING_OUTBOX_RELAY_FOREIGN_ROWS=true} says the table is shared with other applications.
 */
class H2RelayForeignRowsTest {

    private static final String OURS = "lerian.streaming.transaction.created";
    private static final String FOREIGN = "lerian.streaming.account.closed";

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
        broker.createTopic(OURS, 1, Map.of());
        broker.createTopic(FOREIGN, 1, Map.of());
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
    void byDefaultRowsOfOtherApplicationsAndRowsWithAnotherKeyAreInvalid() throws SQLException {
        insertRows();
        startRelay(null);

        await().atMost(Duration.ofSeconds(20)).until(() -> !status("ours").equals("PENDING")
                && !status("other-key").equals("PENDING") && !status("foreign").equals("PENDING"));
        assertEquals("PUBLISHED", status("ours"));
        assertEquals("INVALID", status("other-key"));
        assertEquals("INVALID", status("foreign"));
        assertEquals(List.of("ours"), subjects(OURS, 1));
        assertEquals(List.of(), subjects(FOREIGN, 0));
    }

    @Test
    void withForeignRowsAcceptedTheOtherApplicationsRowGoesOutButNotARowWithAnotherKey() throws SQLException {
        insertRows();
        startRelay("true");

        await().atMost(Duration.ofSeconds(20)).until(() -> !status("ours").equals("PENDING")
                && !status("other-key").equals("PENDING") && !status("foreign").equals("PENDING"));
        assertEquals("PUBLISHED", status("ours"));
        assertEquals("INVALID", status("other-key"));
        assertEquals("PUBLISHED", status("foreign"));
        assertEquals(List.of("foreign"), subjects(FOREIGN, 1));
    }

    private void insertRows() throws SQLException {
        insert("ours", "t-a", OURS, envelope("transaction", "created", "t-a", "ours"));
        // A row whose key column was edited (or forged): claimed and ordered as t-b, its record keyed t-a.
        insert("other-key", "t-b", OURS, envelope("transaction", "created", "t-a", "other-key"));
        // Another application's event: consistent in itself, but not in this application's catalog.
        insert("foreign", "t-c", FOREIGN, envelope("account", "closed", "t-c", "foreign"));
    }

    private void startRelay(String foreignRows) {
        Map<String, String> properties = Fixture.config(broker.bootstrap());
        properties.put("streaming.outbox.poll.interval.ms", "50");
        if (foreignRows != null) {
            properties.put("streaming.outbox.relay.foreign.rows", foreignRows);
        }
        instance = StreamingEngine.builder().settings(properties).catalog(Catalog.of(Fixture.TRANSACTION_CREATED))
                .outbox(null, new JpaOutboxStore(unit)).build();
    }

    private List<String> subjects(String topic, int expected) {
        return broker.consume(topic, expected, Duration.ofSeconds(expected == 0 ? 2 : 10)).stream()
                .map(r -> new String(r.headers().lastHeader("ce-subject").value(), StandardCharsets.UTF_8)).toList();
    }

    private static byte[] envelope(String resource, String event, String tenant, String subject) {
        ResolvedEvent e = ResolvedEvent.builder().tenantId(tenant).resourceType(resource).eventType(event)
                .eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                .timestamp(OffsetDateTime.now(ZoneOffset.UTC)).source("//lerian.midaz/another-service")
                .subject(subject).dataContentType("application/json")
                .payload("{\"n\":1}".getBytes(StandardCharsets.UTF_8)).build();
        return OutboxEnvelope.of(resource + "." + event, DeliveryPolicy.defaults(), e).toJson();
    }

    private void insert(String id, String partitionKey, String topic, byte[] envelope) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW)) {
            TestDatabase.bindPendingRow(ps, id, UUID.randomUUID().toString(), partitionKey, topic, envelope, now);
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
