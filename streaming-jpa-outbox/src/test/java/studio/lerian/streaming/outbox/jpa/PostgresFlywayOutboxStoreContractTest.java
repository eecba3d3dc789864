package studio.lerian.streaming.outbox.jpa;

/** The store contract on Postgres whose tables the shipped Flyway migrations made; skipped when PostgreSQL is not reachable, except under CI. */
class PostgresFlywayOutboxStoreContractTest extends AbstractOutboxStoreContractTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.Postgres.open().withTables(Migrations::flywayMigrate);
    }
}
