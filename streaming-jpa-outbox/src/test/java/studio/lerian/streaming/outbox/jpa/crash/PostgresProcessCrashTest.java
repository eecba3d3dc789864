package studio.lerian.streaming.outbox.jpa.crash;

import studio.lerian.streaming.outbox.jpa.TestDatabase;

/** The application JVM killed with its outbox on PostgreSQL (skipped without it, failed under CI). */
class PostgresProcessCrashTest extends AbstractProcessCrashTest {

    @Override
    TestDatabase openDatabase() {
        return TestDatabase.Postgres.open();
    }

    @Override
    String name() {
        return "postgresql";
    }
}
