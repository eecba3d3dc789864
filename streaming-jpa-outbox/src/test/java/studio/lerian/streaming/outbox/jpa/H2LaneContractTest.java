package studio.lerian.streaming.outbox.jpa;

/** Relay lanes on H2 with its shipped DDL: always runs. */
class H2LaneContractTest extends AbstractLaneContractTest {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2();
    }
}
