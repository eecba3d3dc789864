package studio.lerian.streaming.outbox.jpa.e2e;

import studio.lerian.streaming.outbox.jpa.TestDatabase;

/** The transactional fallback on PostgreSQL (skipped without it, failed under CI). */
class PostgresTransactionalFallbackTest extends AbstractTransactionalFallbackTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.Postgres.open();
    }
}
