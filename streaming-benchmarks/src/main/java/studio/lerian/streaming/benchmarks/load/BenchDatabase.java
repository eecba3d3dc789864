package studio.lerian.streaming.benchmarks.load;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import studio.lerian.streaming.outbox.jpa.JpaOutboxStore;

/**
 * The outbox database of one harness run: a fresh schema in PostgreSQL when it answers (dropped at the end), an
 * in-memory H2 database otherwise, with the outbox module's shipped DDL applied.
 */
final class BenchDatabase implements AutoCloseable {

    private final String kind;
    private final String server;
    private final String url;
    private final String user;
    private final String schema;

    private BenchDatabase(String kind, String server, String url, String user, String schema) {
        this.kind = kind;
        this.server = server;
        this.url = url;
        this.user = user;
        this.schema = schema;
    }

    /**
     * @param postgresUrl the PostgreSQL server to try, or {@code "none"} for H2
     * @param postgresUser its user (trust authentication)
     * @return the database, with the outbox table created
     */
    static BenchDatabase open(String postgresUrl, String postgresUser) throws SQLException {
        BenchDatabase db;
        if (!"none".equals(postgresUrl) && reachable(postgresUrl, postgresUser)) {
            String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(postgresUrl, postgresUser, "");
                    Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
            }
            String url = postgresUrl + (postgresUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema
                    + "&reWriteBatchedInserts=true";
            db = new BenchDatabase("postgresql", postgresUrl, url, postgresUser, schema);
        } else {
            db = new BenchDatabase("h2", null,
                    "jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", "sa", null);
        }
        db.applyShippedDdl();
        return db;
    }

    private static boolean reachable(String url, String user) {
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            System.out.println("PostgreSQL not reachable at " + url + " (" + e.getMessage() + "): using H2");
            return false;
        }
    }

    /** @return {@code postgresql} or {@code h2} */
    String kind() {
        return kind;
    }

    /**
     * @return the kind, and for PostgreSQL the settings that decide what a commit costs, e.g.
     *         {@code postgresql (fsync on, synchronous_commit on)}
     */
    String describe() throws SQLException {
        if (!isPostgres()) {
            return kind;
        }
        return kind + " (fsync " + setting("fsync") + ", synchronous_commit " + setting("synchronous_commit") + ")";
    }

    boolean isPostgres() {
        return "postgresql".equals(kind);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    /**
     * @param poolSize connections in Hibernate's pool
     * @return the harness's persistence unit over this database
     */
    EntityManagerFactory unit(int poolSize) {
        return Persistence.createEntityManagerFactory("lerian-streaming-bench", Map.of(
                "jakarta.persistence.jdbc.url", url, "jakarta.persistence.jdbc.user", user,
                "jakarta.persistence.jdbc.password", "", "hibernate.connection.pool_size",
                Integer.toString(poolSize)));
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql);
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /**
     * After a bulk delete and load: dead rows reclaimed, visibility map and planner statistics fresh (PostgreSQL), as
     * autovacuum would leave the table some time later, so that each drain starts from the same kind of table.
     */
    void vacuum() throws SQLException {
        if (isPostgres()) {
            execute("VACUUM ANALYZE lerian_streaming_outbox");
        }
    }

    /**
     * Whether the server vacuums by itself. A PostgreSQL with {@code autovacuum = off} never reclaims the row versions a
     * drain leaves behind, so every claim walks all the rows published or deleted so far: a server no production
     * deployment should run (docs/outbox.md asks for autovacuum on).
     */
    boolean autovacuumOff() throws SQLException {
        return isPostgres() && "off".equalsIgnoreCase(setting("autovacuum"));
    }

    /** @return a PostgreSQL server setting, as {@code SHOW} gives it */
    private String setting(String name) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void applyShippedDdl() throws SQLException {
        String resource = "/META-INF/lerian-streaming/schema-" + kind + ".sql";
        String ddl;
        try (InputStream in = JpaOutboxStore.class.getResourceAsStream(resource)) {
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
        }
    }

    @Override
    public void close() throws SQLException {
        if (isPostgres()) {
            try (Connection c = DriverManager.getConnection(server, user, ""); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        } else {
            execute("SHUTDOWN");
        }
    }
}
