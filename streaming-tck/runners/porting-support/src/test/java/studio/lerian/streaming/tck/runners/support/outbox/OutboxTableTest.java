package studio.lerian.streaming.tck.runners.support.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The runners reuse the outbox table of earlier runs (a PostgreSQL schema per runtime): a table created by a version
 * before relay lanes must be upgraded, or every park fails on the missing {@code key_hash} column.
 */
class OutboxTableTest {

    @Test
    void aMissingTableIsCreatedWithTheLaneTables() throws Exception {
        try (Connection c = h2()) {
            OutboxTable.prepare(c, OutboxDatabase.H2);
            assertTrue(columns(c, "LERIAN_STREAMING_OUTBOX").contains("KEY_HASH"), "key_hash column");
            assertTrue(tableExists(c, "LERIAN_STREAMING_OUTBOX_LANE"), "lane table");
            assertTrue(tableExists(c, "LERIAN_STREAMING_OUTBOX_RELAY"), "relay table");
        }
    }

    @Test
    void aTableCreatedBeforeLanesIsUpgradedAndAnUpgradedOneLeftAsItIs() throws Exception {
        try (Connection c = h2(); Statement st = c.createStatement()) {
            for (String sql : OutboxTable.statements(resource("outbox/schema-h2-before-lanes.sql"))) {
                st.execute(sql);
            }
            st.execute("INSERT INTO lerian_streaming_outbox (id, relay_type, aggregate_id, partition_key, topic, "
                    + "envelope, status, next_attempt_at, created_at, updated_at) VALUES ('r1', 'kafka', 'a1', "
                    + "'t-1', 'topic', X'7B7D', 'PENDING', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");

            OutboxTable.prepare(c, OutboxDatabase.H2);
            OutboxTable.prepare(c, OutboxDatabase.H2);

            assertTrue(columns(c, "LERIAN_STREAMING_OUTBOX").contains("KEY_HASH"), "key_hash column added");
            assertTrue(tableExists(c, "LERIAN_STREAMING_OUTBOX_LANE"), "lane table");
            assertTrue(tableExists(c, "LERIAN_STREAMING_OUTBOX_RELAY"), "relay table");
            try (ResultSet rs = st.executeQuery("SELECT id, key_hash FROM lerian_streaming_outbox")) {
                assertTrue(rs.next(), "the parked row is kept");
                assertEquals("r1", rs.getString(1));
                rs.getLong(2);
                assertTrue(rs.wasNull(), "an old row has no hash until a relay gives it one");
            }
        }
    }

    private static Connection h2() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:mem:outbox-table-" + UUID.randomUUID());
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), table, new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    private static List<String> columns(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), table, null)) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME"));
            }
        }
        return out;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = OutboxTableTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
