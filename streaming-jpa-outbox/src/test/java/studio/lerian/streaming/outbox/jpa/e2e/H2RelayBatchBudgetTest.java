package studio.lerian.streaming.outbox.jpa.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.core.StreamingEngine;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.outbox.jpa.JpaOutboxStore;
import studio.lerian.streaming.outbox.jpa.TestDatabase;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * A relay whose broker is unreachable from the start has no metadata for its topic, so every {@code send()} blocks
 * for {@code max.block.ms} (half the delivery timeout). It used to do so once per key of the batch, one after the
 * other, inside the batch's transaction: here 40 keys at 1 s each, and with the defaults 200 heads at 15 s, about 50
 * minutes, far past any application server's transaction timeout, so that no outcome was ever committed. The batch
 * now ends within {@code STREAMING_OUTBOX_BATCH_TIMEOUT_S}: the rows it tried get their outcome (a failed attempt), the
 * others none (due again, untried).
 */
class H2RelayBatchBudgetTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final int KEYS = 40;
    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(4);

    private TestDatabase db;
    private EntityManagerFactory unit;
    private StreamingEngine instance;

    @BeforeEach
    void start() {
        db = new TestDatabase.H2();
        db.applyShippedDdl();
        unit = db.factory();
    }

    @AfterEach
    void stop() throws SQLException {
        if (instance != null) {
            instance.close();
        }
        unit.close();
        db.close();
    }

    @Test
    void aBatchWhoseTopicHasNoMetadataEndsWithinItsBudget() throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (int i = 0; i < KEYS; i++) {
            insert("row-" + i, "t-" + i, now);
        }
        Map<String, String> properties = Fixture.config("127.0.0.1:" + closedPort());
        properties.put("streaming.record.delivery.timeout.s", "2"); // max.block.ms 1 s
        properties.put("streaming.outbox.batch.timeout.s", Long.toString(BATCH_TIMEOUT.toSeconds()));
        properties.put("streaming.outbox.poll.interval.ms", "100");
        long started = System.nanoTime();
        instance = StreamingEngine.builder().settings(properties).catalog(Catalog.of(Fixture.TRANSACTION_CREATED))
                .outbox(null, new JpaOutboxStore(unit)).build();

        // The first batch's outcomes commit within its budget (plus the time to start and to commit); before, the
        // first commit came after one metadata wait per key, 40 s here. The margin is for a busy machine.
        await("the first batch's outcomes").atMost(BATCH_TIMEOUT.plusSeconds(12)).pollInterval(Duration.ofMillis(50))
                .until(() -> count("attempts > 0") > 0);
        Duration firstCommit = Duration.ofNanos(System.nanoTime() - started);
        long tried = count("attempts > 0");
        assertTrue(tried < KEYS, "rows beyond the budget were left untried, " + tried + " of " + KEYS + " tried");
        assertEquals(KEYS, count("status = 'PENDING'"), "a failed attempt keeps the row pending; untried ones too");
        assertTrue(firstCommit.compareTo(BATCH_TIMEOUT.plusSeconds(12)) <= 0, firstCommit::toString);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed again: nothing listens there
        }
    }

    private void insert(String id, String tenant, OffsetDateTime now) throws SQLException {
        ResolvedEvent event = ResolvedEvent.builder().tenantId(tenant).resourceType("transaction").eventType("created")
                .eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0").timestamp(now).source(Fixture.SOURCE)
                .dataContentType("application/json").payload("{\"n\":1}".getBytes(StandardCharsets.UTF_8)).build();
        byte[] envelope = OutboxEnvelope.of("transaction.created", DeliveryPolicy.defaults(), event).toJson();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW)) {
            TestDatabase.bindPendingRow(ps, id, UUID.randomUUID().toString(), tenant, TOPIC, envelope, now);
            ps.executeUpdate();
        }
    }

    private long count(String where) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM lerian_streaming_outbox WHERE " + where); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
