package studio.lerian.streaming.outbox.jpa;

/** The contract on H2 with its shipped DDL: always runs. */
class H2OutboxStoreContractTest extends AbstractOutboxStoreContractTest {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2();
    }
}
