package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hibernate.resource.jdbc.spi.StatementInspector;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.wire.Lanes;

/**
 * How PostgreSQL runs the claim of a relay that holds a share of the lanes, read from the plan of the very statement
 * the provider sends: it walks the pending rows' index in {@code seq} order and stops at the claim's size. With the
 * lanes written as ranges, the planner estimated them at half a percent of the rows and read and sorted every pending
 * row of the table on each claim instead (150 ms per claim on a 100,000-row backlog; four relays drained at a quarter
 * of one relay's rate). Skipped when PostgreSQL is not reachable on 127.0.0.1:5432, except under CI.
 */
class PostgresClaimPlanTest {

    private static final int ROWS = 20_000;
    private static final int LANES = 256;

    @Test
    void aRelayHoldingAQuarterOfTheLanesWalksThePendingIndexInsteadOfSortingTheBacklog() throws Exception {
        TestDatabase db = TestDatabase.Postgres.open();
        List<String> sent = new CopyOnWriteArrayList<>();
        Map<String, Object> props = new HashMap<>();
        props.put("jakarta.persistence.jdbc.url", db.url());
        props.put("jakarta.persistence.jdbc.user", db.user());
        props.put("jakarta.persistence.jdbc.password", "");
        props.put("hibernate.session_factory.statement_inspector", (StatementInspector) sql -> {
            sent.add(sql);
            return sql;
        });
        EntityManagerFactory emf = null;
        try {
            db.applyShippedDdl();
            park(db);
            emf = Persistence.createEntityManagerFactory(TestDatabase.UNIT, props);
            TestClock clock = new TestClock(Instant.now()); // the rows are due from the moment they are parked
            List<JpaOutboxStore> relays = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                JpaOutboxStore relay = new JpaOutboxStore(emf, clock);
                relay.joinLanes("relay-" + i, LANES, Duration.ofSeconds(10));
                relays.add(relay);
            }
            for (int beat = 0; beat < 4; beat++) { // each beat moves lanes toward the fair shares
                clock.advance(Duration.ofSeconds(2));
                for (int i = 0; i < relays.size(); i++) {
                    relays.get(i).claimBatch(200, true, false, "relay-" + i).close(); // claims, publishes nothing
                }
            }
            assertEquals(LANES / 4, relays.get(0).heldLanes("relay-0").size(), "a fair share");
            sent.clear();
            try (OutboxBatch batch = relays.get(0).claimBatch(200, true, false, "relay-0")) {
                assertEquals(200, batch.rows().size());
            }
            String claim = sent.stream()
                    .filter(sql -> sql.contains(" from lerian_streaming_outbox ") && sql.contains(" for "))
                    .findFirst().orElse(null);
            assertNotNull(claim, "the claiming statement, among " + sent);

            String plan = explain(db, claim);
            assertTrue(plan.contains("Index Scan using lerian_streaming_outbox_due_idx"), plan);
            assertFalse(plan.toLowerCase(Locale.ROOT).contains("sort"), plan);
        } finally {
            if (emf != null) {
                emf.close();
            }
            db.close();
        }
    }

    /** Parks the backlog as the library's writer does (key hashes included), then has the statistics gathered. */
    private static void park(TestDatabase db) throws Exception {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW);
                    PreparedStatement hash = c.prepareStatement(
                            "UPDATE lerian_streaming_outbox SET key_hash = ? WHERE partition_key = ?")) {
                for (int i = 0; i < ROWS; i++) {
                    TestDatabase.bindPendingRow(ps, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                            "tenant-" + i % 100, "lerian.streaming.transaction.created", Envelopes.of("tenant-" + i
                                    % 100).toJson(), now);
                    ps.addBatch();
                }
                ps.executeBatch();
                for (int k = 0; k < 100; k++) {
                    hash.setLong(1, Lanes.keyHash("tenant-" + k));
                    hash.setString(2, "tenant-" + k);
                    hash.addBatch();
                }
                hash.executeBatch();
            }
            c.commit();
        }
        db.afterBulkLoad();
    }

    /** The plan of the statement, its parameters (the claim's row limit) set to the claim's size. */
    private static String explain(TestDatabase db, String sql) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery("EXPLAIN " + sql.replace("?", "200"))) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            c.rollback();
        }
        return plan.toString();
    }
}
