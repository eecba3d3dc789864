package studio.lerian.streaming.outbox.jpa;

/** Relay lanes on H2 whose tables the shipped Flyway migrations made; always runs. */
class H2FlywayLaneContractTest extends AbstractLaneContractTest {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2().withTables(Migrations::flywayMigrate);
    }
}
