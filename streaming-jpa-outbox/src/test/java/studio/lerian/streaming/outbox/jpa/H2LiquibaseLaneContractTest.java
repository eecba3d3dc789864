package studio.lerian.streaming.outbox.jpa;

/** Relay lanes on H2 whose tables the shipped Liquibase changelog made; always runs. */
class H2LiquibaseLaneContractTest extends AbstractLaneContractTest {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2().withTables(Migrations::liquibaseUpdate);
    }
}
