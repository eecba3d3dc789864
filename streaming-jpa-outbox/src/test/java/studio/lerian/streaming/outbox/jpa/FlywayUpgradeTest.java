package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;

/**
 * Upgrading a live outbox with the shipped Flyway migrations: rows parked in the table as first released (V1) are
 * still there after the relay lanes migration (V2), and a relay with lanes claims every pending one of them, each
 * key's rows in the order they were written, hashing them as it goes.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a migration waiting on a lock fails
class FlywayUpgradeTest {

    static final Instant T0 = Instant.parse("2026-04-18T10:00:00Z");

    @Test
    void rowsParkedBeforeRelayLanesAreKeptAndRelayedInKeyOrderOnH2() throws SQLException {
        upgradeWithParkedRows(TestDatabase.H2::new);
    }

    @Test
    void rowsParkedBeforeRelayLanesAreKeptAndRelayedInKeyOrderOnPostgres() throws SQLException {
        upgradeWithParkedRows(TestDatabase.Postgres::open);
    }

    private static void upgradeWithParkedRows(Supplier<TestDatabase> open) throws SQLException {
        TestDatabase db = open.get();
        try {
            Migrations.flywayMigrate(db, "1");
            Map<String, List<String>> pending = park(db, 12, 3);
            String failed = pending.get("tenant-1").remove(0);
            exec(db, "UPDATE lerian_streaming_outbox SET status = 'FAILED' WHERE id = '" + failed + "'");

            Migrations.flywayMigrate(db);

            assertEquals(List.of("1", "2"), Arrays.stream(Migrations.flyway(db).load().info().applied())
                    .map(MigrationInfo::getVersion).map(Object::toString).toList(),
                    "both migrations applied, in the library's own history table");
            assertEquals(12, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox"), "no row lost");
            assertEquals(12, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE key_hash IS NULL"),
                    "the migration leaves the hashing to the relays");

            TestClock clock = new TestClock(T0.plusSeconds(1));
            EntityManagerFactory emf = db.factory();
            try {
                JpaOutboxStore relay = new JpaOutboxStore(emf, clock);
                relay.joinLanes("relay-a", 8, Duration.ofSeconds(10));
                List<OutboxRow> claimed;
                try (OutboxBatch batch = relay.claimBatch(200, true, true, "relay-a")) {
                    batch.rows().forEach(r -> batch.published(r.id()));
                    batch.commit();
                    claimed = batch.rows();
                }
                Map<String, List<String>> claimedPerKey = new LinkedHashMap<>();
                claimed.forEach(r -> claimedPerKey.computeIfAbsent(r.partitionKey(), k -> new ArrayList<>())
                        .add(r.id()));
                assertEquals(pending, claimedPerKey, "every pending row, each key's rows in the order written");
            } finally {
                emf.close();
            }
            assertEquals(0, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE key_hash IS NULL"
                    + " AND status <> 'FAILED'"), "the relayed rows were hashed");
            assertEquals(1, db.count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status = 'FAILED'"),
                    "the failed row stays failed");
        } finally {
            db.close();
        }
    }

    /** Parks pending rows as a writer of the first release did: no key hash. @return their ids per key, in order */
    private static Map<String, List<String>> park(TestDatabase db, int rows, int keys) throws SQLException {
        byte[] envelope = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
        OffsetDateTime now = OffsetDateTime.ofInstant(T0, ZoneOffset.UTC);
        Map<String, List<String>> perKey = new LinkedHashMap<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW)) {
            for (int i = 0; i < rows; i++) {
                String id = UUID.randomUUID().toString();
                String key = "tenant-" + (i % keys);
                TestDatabase.bindPendingRow(ps, id, UUID.randomUUID().toString(), key,
                        "lerian.streaming.transaction.created", envelope, now);
                ps.executeUpdate();
                perKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
            }
        }
        return perKey;
    }

    private static void exec(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }
}
