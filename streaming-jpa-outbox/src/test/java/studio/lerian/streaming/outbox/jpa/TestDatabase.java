package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/** A database of one test class, with the shipped DDL applied and a persistence unit over it. */
public abstract class TestDatabase {

    static final String UNIT = "lerian-streaming-test";

    /** How {@link #createTables()} creates the outbox tables: the shipped DDL unless a test says otherwise. */
    private Consumer<TestDatabase> tables = TestDatabase::applyShippedDdl;

    /** @return the JDBC URL */
    public abstract String url();

    /** @return the JDBC user */
    public abstract String user();

    /** The shipped DDL for this database. */
    abstract String ddlResource();

    /** @return the database's name in the shipped migrations' paths and in Liquibase's {@code dbms}: h2, postgresql */
    abstract String dbms();

    /**
     * @param how how the outbox tables are to be created, e.g. by a migration tool
     * @return this database
     */
    public TestDatabase withTables(Consumer<TestDatabase> how) {
        this.tables = how;
        return this;
    }

    /** Creates the outbox tables: with the shipped DDL, or as {@link #withTables} says. */
    public void createTables() {
        tables.accept(this);
    }

    /** What the database's maintenance does after a large change (PostgreSQL: autovacuum's ANALYZE). */
    public void afterBulkLoad() throws SQLException {
    }

    /** Drops the database (or its schema). */
    public abstract void close() throws SQLException;

    /** @return a new JDBC connection */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), "");
    }

    /**
     * A single-number query, e.g. a count of outbox rows in some state.
     *
     * @param sql the query
     * @return the number in its first column
     */
    public long count(String sql) throws SQLException {
        try (Connection c = connect(); java.sql.PreparedStatement st = c.prepareStatement(sql);
                java.sql.ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Inserts a due {@code PENDING} outbox row, as a relay finds one; bind it with {@link #bindPendingRow}. */
    public static final String INSERT_PENDING_ROW = "INSERT INTO lerian_streaming_outbox (id, relay_type, aggregate_id,"
            + " partition_key, topic, envelope, status, attempts, next_attempt_at, created_at, updated_at, version)"
            + " VALUES (?, 'lerian.streaming.publish', ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, 0)";

    /**
     * Binds {@link #INSERT_PENDING_ROW}.
     *
     * @param ps the statement
     * @param id the row id
     * @param aggregateId the aggregate id
     * @param partitionKey the partition key
     * @param topic the stored topic
     * @param envelope the envelope bytes
     * @param now the creation time, also the next attempt time
     */
    public static void bindPendingRow(java.sql.PreparedStatement ps, String id, String aggregateId,
            String partitionKey, String topic, byte[] envelope, java.time.OffsetDateTime now) throws SQLException {
        ps.setString(1, id);
        ps.setString(2, aggregateId);
        ps.setString(3, partitionKey);
        ps.setString(4, topic);
        ps.setBytes(5, envelope);
        ps.setObject(6, now);
        ps.setObject(7, now);
        ps.setObject(8, now);
    }

    /** Applies the module's shipped DDL. */
    public void applyShippedDdl() {
        applySql(ddlResource());
    }

    /**
     * Runs a SQL file of the module's resources, statement by statement, as a database administrator would.
     *
     * @param resource the file's path on the class path, e.g. a shipped DDL or migration file
     */
    public void applySql(String resource) {
        String ddl;
        try (InputStream in = JpaOutboxStore.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("DDL not on the class path: " + resource);
            }
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder sql = new StringBuilder();
        for (String line : ddl.split("\n", -1)) {
            if (!line.strip().startsWith("--")) {
                sql.append(line).append('\n');
            }
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String statement : sql.toString().split(";", -1)) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("shipped DDL " + resource + " failed: " + e.getMessage(), e);
        }
    }

    /** @return a factory of the test unit over this database */
    public EntityManagerFactory factory() {
        return factory("");
    }

    /**
     * @param urlParameters parameters appended to the JDBC URL, e.g. {@code &ApplicationName=relay-1}
     * @return a factory of the test unit over this database, with connections of its own
     */
    public EntityManagerFactory factory(String urlParameters) {
        Map<String, Object> props = new HashMap<>();
        props.put("jakarta.persistence.jdbc.url", url() + urlParameters);
        props.put("jakarta.persistence.jdbc.user", user());
        props.put("jakarta.persistence.jdbc.password", "");
        return Persistence.createEntityManagerFactory(UNIT, props);
    }

    /** An in-memory H2 database of its own. */
    public static final class H2 extends TestDatabase {
        private final String url = "jdbc:h2:mem:outbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000";

        @Override
        public String url() {
            return url;
        }

        @Override
        public String user() {
            return "sa";
        }

        @Override
        public String ddlResource() {
            return "META-INF/lerian-streaming/schema-h2.sql";
        }

        @Override
        String dbms() {
            return "h2";
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute("SHUTDOWN");
            }
        }
    }

    /**
     * A fresh schema in the local PostgreSQL ({@code 127.0.0.1:5432/test}, trust authentication). When PostgreSQL is
     * not reachable the test class is skipped, unless the environment variable {@code CI} is set: CI has PostgreSQL,
     * so there its absence is a failure.
     */
    public static final class Postgres extends TestDatabase {
        static final String SERVER = System.getProperty("lerian.test.postgres.url",
                "jdbc:postgresql://127.0.0.1:5432/test");
        static final String USER = System.getProperty("lerian.test.postgres.user", "postgres");

        private final String schema = "outbox_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

        /** @return a fresh schema, or the test is skipped (failed under CI) */
        public static Postgres open() {
            try (Connection c = DriverManager.getConnection(SERVER, USER, "")) {
                Postgres db = new Postgres();
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE SCHEMA " + db.schema);
                }
                return db;
            } catch (SQLException e) {
                String reason = "PostgreSQL not reachable at " + SERVER + " as " + USER + ": " + e.getMessage();
                if (System.getenv("CI") != null) {
                    fail(reason + " (CI is set, so PostgreSQL must be available)");
                }
                Assumptions.abort(reason + " (set CI to make this a failure)");
                throw new AssertionError(reason);
            }
        }

        @Override
        public String url() {
            return SERVER + (SERVER.contains("?") ? "&" : "?") + "currentSchema=" + schema
                    + "&reWriteBatchedInserts=true";
        }

        @Override
        public String user() {
            return USER;
        }

        /**
         * Autovacuum analyzes a table after 50 changed rows plus 10 %, within a minute; the new statistics also
         * invalidate the plans that pooled connections cached while the table was nearly empty. A test that loads
         * 20,000 rows in a second does it by hand.
         */
        @Override
        public void afterBulkLoad() throws SQLException {
            try (Connection c = connect(); Statement st = c.createStatement()) {
                st.execute("ANALYZE lerian_streaming_outbox");
            }
        }

        @Override
        public String ddlResource() {
            return "META-INF/lerian-streaming/schema-postgresql.sql";
        }

        @Override
        String dbms() {
            return "postgresql";
        }

        /** @return the name of this database's schema */
        String schema() {
            return schema;
        }

        @Override
        public void close() throws SQLException {
            try (Connection c = DriverManager.getConnection(SERVER, USER, ""); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
