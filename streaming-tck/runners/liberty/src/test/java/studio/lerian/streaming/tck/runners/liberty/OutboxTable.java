package studio.lerian.streaming.tck.runners.liberty;

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
import studio.lerian.streaming.outbox.jpa.OutboxEventEntity;

/**
 * In every TCK deployment: creates the outbox table, from the DDL that streaming-jpa-outbox ships, when the database
 * does not have it yet. On PostgreSQL the table lives in a schema of its own, created here too, so the TCK neither
 * sees nor disturbs other users of the database, and a later run finds the table of the earlier one.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class OutboxTable {

    /** The PostgreSQL schema the datasource names as {@code currentSchema}. */
    static final String PG_SCHEMA = "streaming_tck_liberty";

    @PostConstruct
    void create() {
        OutboxDatabase db = OutboxDatabase.ofDeployment();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            if (db == OutboxDatabase.POSTGRESQL) {
                st.execute("CREATE SCHEMA IF NOT EXISTS " + PG_SCHEMA);
            }
            if (!exists(c)) {
                for (String sql : statements(ddl(db))) {
                    st.execute(sql);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the outbox table: " + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c) throws SQLException {
        for (String name : List.of(OutboxEventEntity.TABLE, OutboxEventEntity.TABLE.toUpperCase())) {
            try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), name, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String ddl(OutboxDatabase db) {
        String resource = "META-INF/lerian-streaming/schema-" + db.ddlName() + ".sql";
        try (InputStream in = OutboxEventEntity.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource + " in streaming-jpa-outbox");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The script's statements: comment lines dropped, split at semicolons that end a line. */
    private static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            cur.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                out.add(cur.substring(0, cur.lastIndexOf(";")));
                cur.setLength(0);
            }
        }
        return out;
    }
}
