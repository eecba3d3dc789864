package studio.lerian.streaming.outbox.jpa.chaos;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import studio.lerian.streaming.outbox.jpa.TestDatabase;

/**
 * Broker chaos with the outbox on PostgreSQL. Runs with {@code -Dchaos.postgres=true} (set by {@code -Pchaos-long}),
 * so the short suite of every build stays within a minute; skipped, or failed under CI, without PostgreSQL.
 */
class PostgresBrokerChaosTest extends AbstractBrokerChaosTest {

    @Override
    TestDatabase openDatabase() {
        assumeTrue(Boolean.getBoolean("chaos.postgres"), "PostgreSQL chaos runs with -Dchaos.postgres=true");
        return TestDatabase.Postgres.open();
    }

    @Override
    String name() {
        return "postgres";
    }
}
