package studio.lerian.streaming.examples.liberty;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import studio.lerian.streaming.outbox.jpa.OutboxEventEntity;

/**
 * Brings the database up to date when the application starts, with Flyway: first the outbox tables, from the
 * migrations in the {@code streaming-jpa-outbox} jar, as a Flyway of their own (their own locations and history
 * table, so their versions never collide with the application's); then the application's own tables, from
 * {@code db/migration}. The persistence unit generates nothing.
 */
@ApplicationScoped
public class Migrations {

    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    /** The history of the library's migrations, apart from the application's {@code flyway_schema_history}. */
    static final String OUTBOX_HISTORY = "lerian_streaming_schema_history";

    @Resource(lookup = "jdbc/payments")
    DataSource dataSource;

    void migrate(@Observes Startup startup) {
        String dialect = dialect();
        FluentConfiguration outbox = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:META-INF/lerian-streaming/flyway/" + dialect)
                .table(OUTBOX_HISTORY)
                .baselineOnMigrate(true)
                .baselineVersion(baselineOfExistingOutbox());
        if (dialect.equals("postgresql")) {
            // V2 builds an index CONCURRENTLY: lock for the session, not in a transaction the build would wait for.
            outbox.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        }
        int outboxRuns = outbox.load().migrate().migrationsExecuted;
        int appRuns = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load().migrate().migrationsExecuted;
        LOG.info("database up to date (" + dialect + "): " + outboxRuns + " outbox migration(s), " + appRuns
                + " application migration(s) run");
    }

    private String dialect() {
        try (Connection c = dataSource.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")
                    ? "postgresql" : "h2";
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    /**
     * Where the library's history starts when it does not exist yet, as the outbox documentation says: below V1 on a
     * database without the outbox table ({@code 0}, every migration runs); at the version the table has when an
     * earlier version of this application created it from the shipped DDL ({@code 1} without the relay lanes'
     * {@code key_hash} column, so V2 adds them; {@code 2} with it). Ignored once the history exists.
     */
    private String baselineOfExistingOutbox() {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            if (!hasTable(meta, OutboxEventEntity.TABLE)) {
                return "0";
            }
            return hasColumn(meta, OutboxEventEntity.TABLE, "key_hash") ? "2" : "1";
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's tables: " + e.getMessage(), e);
        }
    }

    /** Names as created (PostgreSQL folds to lower case) or folded to upper case (H2). */
    private static List<String> spellings(String name) {
        return List.of(name, name.toUpperCase(Locale.ROOT));
    }

    private static boolean hasTable(DatabaseMetaData meta, String table) throws SQLException {
        for (String t : spellings(table)) {
            try (ResultSet rs = meta.getTables(null, null, t, new String[] {"TABLE"})) {
                if (rs.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean hasColumn(DatabaseMetaData meta, String table, String column) throws SQLException {
        for (String t : spellings(table)) {
            for (String col : spellings(column)) {
                try (ResultSet rs = meta.getColumns(null, null, t, col)) {
                    if (rs.next()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
