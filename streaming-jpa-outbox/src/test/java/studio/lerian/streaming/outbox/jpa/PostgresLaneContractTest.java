package studio.lerian.streaming.outbox.jpa;

/**
 * Relay lanes on PostgreSQL with its shipped DDL, in a schema of its own. Skipped when PostgreSQL is not reachable on
 * 127.0.0.1:5432, except under CI (the {@code CI} environment variable), where that fails.
 */
class PostgresLaneContractTest extends AbstractLaneContractTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.Postgres.open();
    }
}
