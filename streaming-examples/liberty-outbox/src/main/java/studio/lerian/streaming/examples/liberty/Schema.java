package studio.lerian.streaming.examples.liberty;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;
import studio.lerian.streaming.outbox.jpa.OutboxEventEntity;

/**
 * Creates the two tables when the application starts, if they are missing: the payments, and the outbox from the DDL
 * that ships in the {@code streaming-jpa-outbox} jar ({@code META-INF/lerian-streaming/schema-<database>.sql}). The
 * persistence unit generates nothing: the outbox table needs the shipped DDL (identity column, indexes).
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Schema {

    private static final Logger LOG = Logger.getLogger(Schema.class.getName());

    private static final String PAYMENTS_DDL = "CREATE TABLE payments ("
            + " id VARCHAR(36) NOT NULL PRIMARY KEY,"
            + " merchant_id VARCHAR(64) NOT NULL,"
            + " amount_cents BIGINT NOT NULL,"
            + " currency VARCHAR(3) NOT NULL)";

    @Resource(lookup = "jdbc/payments")
    DataSource dataSource;

    @PostConstruct
    void create() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            String dialect = product.contains("postgres") ? "postgresql" : "h2";
            if (!exists(c, "payments")) {
                run(c, List.of(PAYMENTS_DDL));
                LOG.info("created table payments");
            }
            if (!exists(c, OutboxEventEntity.TABLE)) {
                run(c, statements(read("META-INF/lerian-streaming/schema-" + dialect + ".sql")));
                LOG.info("created table " + OutboxEventEntity.TABLE + " from the shipped " + dialect + " DDL");
            } else {
                // A table of an earlier version of the library: the shipped upgrade is idempotent.
                run(c, statements(read("META-INF/lerian-streaming/upgrade-lanes-" + dialect + ".sql")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the tables: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = meta.getTables(null, null, name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void run(Connection c, List<String> statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private static String read(String resource) {
        try (InputStream in = OutboxEventEntity.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource + " (is streaming-jpa-outbox in WEB-INF/lib?)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The script's statements: comment lines dropped, split on semicolons at line ends. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            cur.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = cur.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                cur.setLength(0);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().strip());
        }
        return out;
    }
}
