package studio.lerian.streaming.outbox.jpa.e2e;

import studio.lerian.streaming.outbox.jpa.TestDatabase;

/** The batch emit with the outbox on PostgreSQL (skipped without it, failed under CI). */
class PostgresBatchFallbackTest extends AbstractBatchFallbackTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.Postgres.open();
    }
}
