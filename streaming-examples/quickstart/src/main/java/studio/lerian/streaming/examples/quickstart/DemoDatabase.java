package studio.lerian.streaming.examples.quickstart;

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
import java.util.Locale;
import java.util.Map;

/**
 * The application's database: an in-memory H2 by default, or yours ({@code -Ddemo.jdbc.url=...}). Holds the outbox
 * table, created from the DDL shipped in the outbox jar when it does not exist yet.
 */
final class DemoDatabase implements AutoCloseable {

    private final String url;
    private final String user;
    private final String password;
    private final EntityManagerFactory unit;

    private DemoDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        createOutboxTable();
        this.unit = Persistence.createEntityManagerFactory("quickstart", Map.of(
                "jakarta.persistence.jdbc.url", url,
                "jakarta.persistence.jdbc.user", user,
                "jakarta.persistence.jdbc.password", password));
    }

    static DemoDatabase open() {
        return new DemoDatabase(System.getProperty("demo.jdbc.url", "jdbc:h2:mem:quickstart;DB_CLOSE_DELAY=-1"),
                System.getProperty("demo.jdbc.user", "sa"), System.getProperty("demo.jdbc.password", ""));
    }

    String url() {
        return url;
    }

    EntityManagerFactory unit() {
        return unit;
    }

    /** Counts the outbox rows in a state. */
    long rows(String status) {
        return count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status = '" + status + "'");
    }

    long unpublished() {
        return count("SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status IN ('PENDING', 'PROCESSING')");
    }

    private long count(String sql) {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the outbox table: " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private void createOutboxTable() {
        try (Connection c = connect()) {
            boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
            boolean exists;
            try (ResultSet tables = c.getMetaData().getTables(null, null, postgres ? "lerian_streaming_outbox"
                    : "LERIAN_STREAMING_OUTBOX", null)) {
                // A table of an earlier version of the library gets the shipped upgrade (idempotent) instead.
                exists = tables.next();
            }
            String ddl = resource("META-INF/lerian-streaming/" + (exists ? "upgrade-lanes-" : "schema-")
                    + (postgres ? "postgresql" : "h2") + ".sql");
            try (Statement st = c.createStatement()) {
                for (String statement : ddl.replaceAll("(?m)^\\s*--.*$", "").split(";", -1)) {
                    if (!statement.isBlank()) {
                        st.execute(statement);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the outbox table at " + url + ": " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = DemoDatabase.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        unit.close();
    }
}
