package studio.lerian.streaming.outbox.jpa.e2e;

import studio.lerian.streaming.outbox.jpa.TestDatabase;

/** Across a broker outage, on PostgreSQL (skipped without it, failed under CI). */
class PostgresOutageOrderingTest extends AbstractOutageOrderingTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.Postgres.open();
    }
}
