package studio.lerian.streaming.outbox.jpa;

/** Relay lanes on Postgres whose tables the shipped Flyway migrations made; skipped when PostgreSQL is not reachable, except under CI. */
class PostgresFlywayLaneContractTest extends AbstractLaneContractTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.Postgres.open().withTables(Migrations::flywayMigrate);
    }
}
