package studio.lerian.streaming.tck.runners.support.outbox;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import studio.lerian.streaming.outbox.jpa.OutboxEventEntity;

/**
 * In every TCK deployment, at start: creates the outbox table and the relays' lane tables (and on PostgreSQL the
 * runtime's schema) unless the outbox table exists, running the DDL that streaming-jpa-outbox ships
 * ({@code META-INF/lerian-streaming/schema-<kind>.sql}); upgrades a table created before relay lanes with its upgrade
 * script ({@code upgrade-lanes-<kind>.sql}).
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class OutboxTable {

    @PostConstruct
    void create() {
        OutboxDatabase db = OutboxDatabase.ofDeployment();
        try (Connection c = db.dataSource().getConnection()) {
            prepare(c, db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the outbox table on " + db + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the tables (and on PostgreSQL the schema), or upgrades an outbox table an earlier run created: the
     * runners reuse a PostgreSQL schema across runs, so its table may predate relay lanes, and every park would fail
     * on the missing {@code key_hash} column. The upgrade is the script streaming-jpa-outbox ships for that
     * ({@code upgrade-lanes-<kind>.sql}). A table that has lanes is left as it is.
     *
     * <p>The statements run in auto-commit mode whatever the pool handed out: the PostgreSQL upgrade builds an index
     * concurrently, which no transaction block allows, and nothing would commit the DDL otherwise.
     *
     * @param c a connection whose current schema is the database's (its {@code currentSchema} on PostgreSQL)
     * @param db the database
     * @throws SQLException if a statement fails
     */
    static void prepare(Connection c, OutboxDatabase db) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            if (db.isPostgresql()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + db.schema());
            }
            String script = !exists(c) ? "schema-" + db.kind() + ".sql"
                    : !hasKeyHash(c) ? "upgrade-lanes-" + db.kind() + ".sql" : null;
            if (script != null) {
                for (String sql : statements(script(script))) {
                    st.execute(sql);
                }
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** Whether the outbox table has the column relay lanes added. */
    private static boolean hasKeyHash(Connection c) throws SQLException {
        String table = OutboxEventEntity.TABLE;
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), name, null)) {
                while (rs.next()) {
                    if ("key_hash".equalsIgnoreCase(rs.getString("COLUMN_NAME"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Looks the table up in the connection's current schema, under the case each database folds names to. */
    private static boolean exists(Connection c) throws SQLException {
        String table = OutboxEventEntity.TABLE;
        for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
            try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String script(String name) {
        String resource = "META-INF/lerian-streaming/" + name;
        try (InputStream in = OutboxEventEntity.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from streaming-jpa-outbox");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The script's statements: whole-line comments dropped, one statement per semicolon that ends a line. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder statement = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("--")) {
                continue;
            }
            if (text.endsWith(";")) {
                statement.append(text, 0, text.length() - 1);
                out.add(statement.toString());
                statement.setLength(0);
            } else {
                statement.append(text).append('\n');
            }
        }
        return out;
    }
}
