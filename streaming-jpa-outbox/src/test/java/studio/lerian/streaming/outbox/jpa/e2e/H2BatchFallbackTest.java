package studio.lerian.streaming.outbox.jpa.e2e;

import studio.lerian.streaming.outbox.jpa.TestDatabase;

/** The batch emit with the outbox on H2. */
class H2BatchFallbackTest extends AbstractBatchFallbackTest {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2();
    }
}
