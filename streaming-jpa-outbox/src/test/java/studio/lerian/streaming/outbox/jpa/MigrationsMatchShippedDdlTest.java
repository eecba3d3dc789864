package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The full DDL files and the migrations make the same schema: columns (type, length, nullability, default, identity),
 * indexes (columns and, on PostgreSQL, predicates) and constraints, read back from the database's catalog. A change of
 * the DDL that ships no migration, or a migration that the DDL does not follow, fails here. So do the ways to adopt
 * tables made earlier, and the upgrade file for those who use no migration tool.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a migration waiting on a lock fails
class MigrationsMatchShippedDdlTest {

    @Test
    void flywayMigrationsMakeTheSchemaOfTheShippedDdlOnPostgres() throws SQLException {
        assertSameSchema(TestDatabase.Postgres::open, Migrations::flywayMigrate, MigrationsMatchShippedDdlTest::postgres);
    }

    @Test
    void liquibaseChangelogMakesTheSchemaOfTheShippedDdlOnPostgres() throws SQLException {
        assertSameSchema(TestDatabase.Postgres::open, Migrations::liquibaseUpdate,
                MigrationsMatchShippedDdlTest::postgres);
    }

    @Test
    void flywayMigrationsMakeTheSchemaOfTheShippedDdlOnH2() throws SQLException {
        assertSameSchema(TestDatabase.H2::new, Migrations::flywayMigrate, MigrationsMatchShippedDdlTest::h2);
    }

    @Test
    void liquibaseChangelogMakesTheSchemaOfTheShippedDdlOnH2() throws SQLException {
        assertSameSchema(TestDatabase.H2::new, Migrations::liquibaseUpdate, MigrationsMatchShippedDdlTest::h2);
    }

    /** Tables made by the shipped DDL earlier are adopted by the changelog as they are, and stay as they are. */
    @Test
    void liquibaseChangelogAdoptsTablesMadeByTheShippedDdlOnPostgres() throws SQLException {
        assertSameSchema(TestDatabase.Postgres::open, db -> {
            db.applyShippedDdl();
            Migrations.liquibaseUpdate(db);
        }, MigrationsMatchShippedDdlTest::postgres);
    }

    /**
     * The library's own Flyway history in a schema that already holds the application's tables (and its history):
     * without a baseline Flyway refuses a non-empty schema; baselined at 0, as the README says, it creates the tables.
     */
    @Test
    void flywayCreatesTheTablesInASchemaThatHoldsTheApplicationsTablesOnPostgres() throws SQLException {
        assertSameSchema(TestDatabase.Postgres::open, db -> {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY)");
                st.execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            assertThrows(FlywayException.class, () -> Migrations.flyway(db).baselineOnMigrate(false).load().migrate(),
                    "without a baseline Flyway refuses a schema with other tables");
            assertEquals(2, Migrations.flyway(db).load().migrate().migrationsExecuted, "V1 and V2");
        }, MigrationsMatchShippedDdlTest::postgres);
    }

    /** A table made by the current shipped DDL is adopted at baseline 2: Flyway records it and runs nothing. */
    @Test
    void flywayAdoptsTablesMadeByTheShippedDdlAtBaselineTwoOnPostgres() throws SQLException {
        assertSameSchema(TestDatabase.Postgres::open, db -> {
            db.applyShippedDdl();
            MigrateResult result = Migrations.flyway(db).baselineOnMigrate(true).baselineVersion("2").load().migrate();
            assertEquals(0, result.migrationsExecuted, "nothing to migrate in a current table");
        }, MigrationsMatchShippedDdlTest::postgres);
    }

    /** A table made before relay lanes is adopted at baseline 1, and V2 upgrades it to the current schema. */
    @Test
    void flywayUpgradesATableMadeBeforeRelayLanesFromBaselineOneOnPostgres() throws SQLException {
        assertSameSchema(TestDatabase.Postgres::open, db -> {
            db.applySql("META-INF/lerian-streaming/flyway/postgresql/V1__outbox.sql");
            MigrateResult result = Migrations.flyway(db).baselineOnMigrate(true).baselineVersion("1").load().migrate();
            assertEquals(1, result.migrationsExecuted, "relay lanes added");
        }, MigrationsMatchShippedDdlTest::postgres);
    }

    /** Forgetting the baseline when adopting tables stops the migration: V1 finds the table it would create. */
    @Test
    void flywayBaselinedAtZeroOverExistingTablesFailsRatherThanSkippingOnPostgres() throws SQLException {
        TestDatabase db = TestDatabase.Postgres.open();
        try {
            db.applyShippedDdl();
            FlywayException e = assertThrows(FlywayException.class, () -> Migrations.flywayMigrate(db));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
        } finally {
            db.close();
        }
    }

    /** A table made before relay lanes: the changelog marks its first changeset as run and adds relay lanes. */
    @Test
    void liquibaseChangelogUpgradesATableMadeBeforeRelayLanesOnPostgres() throws SQLException {
        assertSameSchema(TestDatabase.Postgres::open, db -> {
            db.applySql("META-INF/lerian-streaming/flyway/postgresql/V1__outbox.sql");
            Migrations.liquibaseUpdate(db);
        }, MigrationsMatchShippedDdlTest::postgres);
    }

    /** Without a migration tool: the table before relay lanes, then the shipped upgrade file, run as psql runs it. */
    @Test
    void upgradeFileMakesTheSchemaOfTheShippedDdlOnPostgres() throws SQLException {
        assertSameSchema(TestDatabase.Postgres::open, db -> {
            db.applySql("META-INF/lerian-streaming/flyway/postgresql/V1__outbox.sql");
            db.applySql("META-INF/lerian-streaming/upgrade-lanes-postgresql.sql");
        }, MigrationsMatchShippedDdlTest::postgres);
    }

    @Test
    void upgradeFileMakesTheSchemaOfTheShippedDdlOnH2() throws SQLException {
        assertSameSchema(TestDatabase.H2::new, db -> {
            db.applySql("META-INF/lerian-streaming/flyway/h2/V1__outbox.sql");
            db.applySql("META-INF/lerian-streaming/upgrade-lanes-h2.sql");
        }, MigrationsMatchShippedDdlTest::h2);
    }

    private static void assertSameSchema(Supplier<TestDatabase> open,
            Consumer<TestDatabase> migrate, Function<TestDatabase, String> describe) throws SQLException {
        TestDatabase fromDdl = open.get();
        TestDatabase migrated = null;
        try {
            migrated = open.get();
            fromDdl.applyShippedDdl();
            migrate.accept(migrated);
            String expected = describe.apply(fromDdl);
            assertFalse(expected.isBlank(), "the catalog describes the tables");
            assertEquals(expected, describe.apply(migrated), "the migrated schema differs from the shipped DDL's");
        } finally {
            fromDdl.close();
            if (migrated != null) {
                migrated.close();
            }
        }
    }

    /** The outbox tables of the database's own schema, as PostgreSQL's catalog has them, schema names left out. */
    private static String postgres(TestDatabase db) {
        String schema = ((TestDatabase.Postgres) db).schema();
        String tables = " LIKE 'lerian\\_streaming\\_outbox%'";
        return query(db, schema, "columns",
                "SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision,"
                        + " datetime_precision, is_nullable, column_default, is_identity, identity_generation"
                        + " FROM information_schema.columns WHERE table_schema = ? AND table_name" + tables
                        + " ORDER BY table_name, column_name")
                + query(db, schema, "indexes",
                        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = ? AND tablename"
                                + tables + " ORDER BY tablename, indexname")
                + query(db, schema, "constraints",
                        "SELECT t.relname, c.conname, c.contype, pg_get_constraintdef(c.oid)"
                                + " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
                                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                                + " WHERE n.nspname = ? AND t.relname" + tables + " ORDER BY t.relname, c.conname");
    }

    /**
     * The outbox tables as H2's catalog has them. H2 has no partial indexes; an index is its columns in order. H2 names
     * the indexes behind constraints itself, with a counter: the counter, or the whole name, is left out.
     */
    private static String h2(TestDatabase db) {
        String schema = "PUBLIC";
        String tables = " LIKE 'LERIAN\\_STREAMING\\_OUTBOX%'";
        return query(db, schema, "columns",
                "SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision,"
                        + " datetime_precision, is_nullable, column_default, is_identity, identity_generation"
                        + " FROM information_schema.columns WHERE table_schema = ? AND table_name" + tables
                        + " ORDER BY table_name, column_name")
                + query(db, schema, "indexes",
                        "SELECT i.table_name, CASE WHEN i.index_name LIKE 'LERIAN%'"
                                + " THEN REGEXP_REPLACE(i.index_name, '_INDEX_[0-9]+$', '_INDEX')"
                                + " ELSE 'index of ' || COALESCE(i.index_type_name, '') END, i.index_type_name,"
                                + " ic.column_name, ic.ordinal_position, ic.is_unique"
                                + " FROM information_schema.indexes i JOIN information_schema.index_columns ic"
                                + " ON ic.index_schema = i.index_schema AND ic.index_name = i.index_name"
                                + " WHERE i.table_schema = ? AND i.table_name" + tables
                                + " ORDER BY 1, 2, 5, 4")
                + query(db, schema, "constraints",
                        "SELECT tc.table_name, tc.constraint_name, tc.constraint_type, cc.check_clause,"
                                + " (SELECT LISTAGG(kcu.column_name, ',') WITHIN GROUP (ORDER BY kcu.ordinal_position)"
                                + " FROM information_schema.key_column_usage kcu"
                                + " WHERE kcu.constraint_schema = tc.constraint_schema"
                                + " AND kcu.constraint_name = tc.constraint_name)"
                                + " FROM information_schema.table_constraints tc"
                                + " LEFT JOIN information_schema.check_constraints cc"
                                + " ON cc.constraint_schema = tc.constraint_schema"
                                + " AND cc.constraint_name = tc.constraint_name"
                                + " WHERE tc.table_schema = ? AND tc.table_name" + tables
                                + " ORDER BY tc.table_name, tc.constraint_name");
    }

    private static String query(TestDatabase db, String schema, String what, String sql) {
        List<String> lines = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, schema);
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder line = new StringBuilder(what).append(':');
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        line.append(' ').append(rs.getString(i));
                    }
                    lines.add(line.toString().replace(schema + ".", ""));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return String.join("\n", lines) + "\n";
    }
}
