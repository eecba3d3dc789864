package studio.lerian.streaming.outbox.jpa;

/**
 * Operating the outbox on PostgreSQL with its shipped DDL, in a schema of its own. Skipped when PostgreSQL is not
 * reachable on 127.0.0.1:5432, except under CI (the {@code CI} environment variable), where that fails.
 */
class PostgresOutboxAdminTest extends OutboxAdminContract {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.Postgres.open();
    }
}
