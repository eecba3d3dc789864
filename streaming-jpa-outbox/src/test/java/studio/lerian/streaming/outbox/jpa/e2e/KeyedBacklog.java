package studio.lerian.streaming.outbox.jpa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.outbox.jpa.TestDatabase;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * A backlog of {@code transaction.created} events parked as a writer without key hashes (or a Go service) parks them,
 * tenants round robin, each tenant's payload counting 0, 1, 2, ... in row order; and the check of what a relay made of
 * it on the topic.
 */
final class KeyedBacklog {

    static final String TOPIC = "lerian.streaming.transaction.created";

    private KeyedBacklog() {
    }

    /** Inserts {@code rows} due rows over {@code keys} tenants ({@code tenant-0}, ...), in one transaction. */
    static void park(TestDatabase db, int rows, int keys) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW)) {
                for (int i = 0; i < rows; i++) {
                    String tenant = "tenant-" + (i % keys);
                    ResolvedEvent event = ResolvedEvent.builder().tenantId(tenant).resourceType("transaction")
                            .eventType("created").eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                            .timestamp(now).source(Fixture.SOURCE).dataContentType("application/json")
                            .payload(("{\"seq\":" + (i / keys) + "}").getBytes(StandardCharsets.UTF_8)).build();
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

    /**
     * Asserts that every parked row reached the topic and that each tenant's first deliveries (deduplicated on
     * {@code ce-id}) are in creation order.
     *
     * @return how many records were duplicates
     */
    static int assertEveryRowInKeyOrder(List<ConsumerRecord<byte[], byte[]>> records, int rows) {
        Set<String> ids = new HashSet<>();
        Map<String, List<Integer>> firstDeliveries = new HashMap<>();
        int duplicates = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (!ids.add(new String(r.headers().lastHeader("ce-id").value(), StandardCharsets.UTF_8))) {
                duplicates++;
                continue;
            }
            String value = new String(r.value(), StandardCharsets.UTF_8);
            firstDeliveries.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(Integer.parseInt(value.replaceAll("[^0-9]", "")));
        }
        assertEquals(rows, ids.size(), "every row reached the topic");
        for (Map.Entry<String, List<Integer>> e : firstDeliveries.entrySet()) {
            List<Integer> seqs = e.getValue();
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(i, seqs.get(i), e.getKey() + ": first deliveries in creation order");
            }
        }
        return duplicates;
    }
}
