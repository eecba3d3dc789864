package studio.lerian.streaming.outbox.jpa;

import java.sql.Connection;
import java.sql.SQLException;
import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.command.core.UpdateCommandStep;
import liquibase.command.core.helpers.DbUrlConnectionArgumentsCommandStep;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/**
 * The outbox tables made by the shipped migrations, set up as the README tells an application to set them up: Flyway
 * with the library's own locations and history table, Liquibase with the library's changelog.
 */
final class Migrations {

    /** The library's own Flyway history table, apart from the application's {@code flyway_schema_history}. */
    static final String FLYWAY_HISTORY = "lerian_streaming_schema_history";

    /** The library's Liquibase changelog, as an application's master changelog includes it. */
    static final String LIQUIBASE_CHANGELOG = "META-INF/lerian-streaming/liquibase/changelog.xml";

    static {
        // No usage reports from the tests.
        System.setProperty("liquibase.analytics.enabled", "false");
    }

    private Migrations() {
    }

    /**
     * @param db the database
     * @return Flyway over the database, with the library's migrations for it and its own history table, as the README
     *     sets it up
     */
    static FluentConfiguration flyway(TestDatabase db) {
        FluentConfiguration flyway = Flyway.configure()
                .dataSource(db.url(), db.user(), "")
                .locations("classpath:META-INF/lerian-streaming/flyway/" + db.dbms())
                .table(FLYWAY_HISTORY)
                // The schema holds the application's tables but not yet this history: start it below V1.
                .baselineOnMigrate(true)
                .baselineVersion("0");
        // A session lock on PostgreSQL, not one held in an open transaction, which CREATE INDEX CONCURRENTLY would
        // wait for forever.
        flyway.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        return flyway;
    }

    /** Creates the outbox tables with every shipped Flyway migration. */
    static void flywayMigrate(TestDatabase db) {
        flyway(db).load().migrate();
    }

    /** Applies the shipped Flyway migrations up to a version, e.g. "1" for the table before relay lanes. */
    static void flywayMigrate(TestDatabase db, String target) {
        flyway(db).target(target).load().migrate();
    }

    /** Creates the outbox tables with the shipped Liquibase changelog. */
    static void liquibaseUpdate(TestDatabase db) {
        try (Connection c = db.connect()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            Scope.child(Scope.Attr.ui.name(), new liquibase.ui.LoggerUIService(), () -> new CommandScope(
                    UpdateCommandStep.COMMAND_NAME)
                    .addArgumentValue(DbUrlConnectionArgumentsCommandStep.DATABASE_ARG, database)
                    .addArgumentValue(UpdateCommandStep.CHANGELOG_FILE_ARG, LIQUIBASE_CHANGELOG)
                    .execute());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Liquibase update failed: " + e.getMessage(), e);
        }
    }
}
