package studio.lerian.streaming.outbox.jpa;

/** The store contract on H2 whose tables the shipped Flyway migrations made; always runs. */
class H2FlywayOutboxStoreContractTest extends AbstractOutboxStoreContractTest {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2().withTables(Migrations::flywayMigrate);
    }
}
