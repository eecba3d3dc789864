package studio.lerian.streaming.tck.runners.support.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The runners reuse the outbox table of earlier runs (a PostgreSQL schema per runtime): a table created by a version
 * before relay lanes must be upgraded, or every park fails on the missing {@code key_hash} column. The connection a
 * server's pool hands out may not be in auto-commit mode, which PostgreSQL's concurrent index build refuses.
 */
class OutboxTableTest {

    private static final String POSTGRESQL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String INSERT_OLD_ROW = "INSERT INTO lerian_streaming_outbox (id, relay_type, aggregate_id, "
            + "partition_key, topic, envelope, status, next_attempt_at, created_at, updated_at) VALUES ('r1', "
            + "'kafka', 'a1', 't-1', 'topic', ?, 'PENDING', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)";

    @Test
    void onH2AMissingTableIsCreatedWithTheLaneTables() throws Exception {
        try (Connection c = h2()) {
            OutboxTable.prepare(c, new OutboxDatabase(OutboxDatabase.H2, "unused", ""));
            assertLanes(c);
        }
    }

    @Test
    void onH2ATableCreatedBeforeLanesIsUpgradedOnce() throws Exception {
        try (Connection c = h2()) {
            createOldTable(c, "META-INF/lerian-streaming/flyway/h2/V1__outbox.sql"); // the table as first released
            OutboxDatabase db = new OutboxDatabase(OutboxDatabase.H2, "unused", "");
            OutboxTable.prepare(c, db);
            OutboxTable.prepare(c, db);
            assertLanes(c);
            assertOldRowKept(c);
        }
    }

    @Test
    void onPostgresqlATableCreatedBeforeLanesIsUpgradedThroughAConnectionOutsideAutoCommit() throws Exception {
        String schema = "outbox_table_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = postgresql(schema)) {
            try {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE SCHEMA " + schema);
                }
                createOldTable(c, "META-INF/lerian-streaming/flyway/postgresql/V1__outbox.sql");
                c.setAutoCommit(false); // as a server's pool may hand it out
                OutboxDatabase db = new OutboxDatabase(OutboxDatabase.POSTGRESQL, "unused", schema);
                OutboxTable.prepare(c, db);
                OutboxTable.prepare(c, db);
                assertFalse(c.getAutoCommit(), "the connection's mode is restored");
                c.setAutoCommit(true);
                assertLanes(c);
                assertOldRowKept(c);
            } finally {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }

    @Test
    void onPostgresqlTheSchemaAndTablesAreCreated() throws Exception {
        String schema = "outbox_table_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = postgresql(schema)) {
            try {
                c.setAutoCommit(false);
                OutboxTable.prepare(c, new OutboxDatabase(OutboxDatabase.POSTGRESQL, "unused", schema));
                c.setAutoCommit(true);
                assertLanes(c);
            } finally {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                    st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            }
        }
    }

    private static void createOldTable(Connection c, String script) throws Exception {
        try (Statement st = c.createStatement()) {
            for (String sql : OutboxTable.statements(resource(script))) {
                st.execute(sql);
            }
        }
        try (var ps = c.prepareStatement(INSERT_OLD_ROW)) {
            ps.setBytes(1, "{}".getBytes(StandardCharsets.UTF_8));
            ps.executeUpdate();
        }
    }

    private static void assertLanes(Connection c) throws SQLException {
        assertTrue(columns(c, "lerian_streaming_outbox").contains("key_hash"), "key_hash column");
        assertTrue(tableExists(c, "lerian_streaming_outbox_lane"), "lane table");
        assertTrue(tableExists(c, "lerian_streaming_outbox_relay"), "relay table");
    }

    private static void assertOldRowKept(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, key_hash FROM lerian_streaming_outbox")) {
            assertTrue(rs.next(), "the parked row is kept");
            assertEquals("r1", rs.getString(1));
            rs.getLong(2);
            assertTrue(rs.wasNull(), "an old row has no hash until a relay gives it one");
        }
    }

    private static Connection h2() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:mem:outbox-table-" + UUID.randomUUID());
    }

    /** A connection whose current schema is {@code schema}; the test is skipped when PostgreSQL is not running. */
    private static Connection postgresql(String schema) {
        try {
            return DriverManager.getConnection(POSTGRESQL + "?currentSchema=" + schema, "postgres", "");
        } catch (SQLException e) {
            String reason = "PostgreSQL not reachable at " + POSTGRESQL + ": " + e.getMessage();
            if (System.getenv("CI") != null) {
                fail(reason + " (CI is set, so PostgreSQL must be available)");
            }
            Assumptions.abort(reason + " (set CI to make this a failure)");
            throw new AssertionError(reason);
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> columns(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), name, null)) {
                while (rs.next()) {
                    out.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
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
