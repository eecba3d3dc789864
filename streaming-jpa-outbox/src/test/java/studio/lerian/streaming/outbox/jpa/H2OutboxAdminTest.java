package studio.lerian.streaming.outbox.jpa;

/** Operating the outbox on H2 with its shipped DDL. */
class H2OutboxAdminTest extends OutboxAdminContract {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2();
    }
}
