package studio.lerian.streaming.outbox.jpa.e2e;

import studio.lerian.streaming.outbox.jpa.TestDatabase;

/** The transactional fallback on H2. */
class H2TransactionalFallbackTest extends AbstractTransactionalFallbackTest {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2();
    }
}
