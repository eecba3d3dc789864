package studio.lerian.streaming.outbox.jpa;

/** The store contract on H2 whose tables the shipped Liquibase changelog made; always runs. */
class H2LiquibaseOutboxStoreContractTest extends AbstractOutboxStoreContractTest {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2().withTables(Migrations::liquibaseUpdate);
    }
}
