package studio.lerian.streaming.outbox.jpa;

/** Relay lanes on Postgres whose tables the shipped Liquibase changelog made; skipped when PostgreSQL is not reachable, except under CI. */
class PostgresLiquibaseLaneContractTest extends AbstractLaneContractTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.Postgres.open().withTables(Migrations::liquibaseUpdate);
    }
}
