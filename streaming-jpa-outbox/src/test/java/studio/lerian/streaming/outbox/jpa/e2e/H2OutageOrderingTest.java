package studio.lerian.streaming.outbox.jpa.e2e;

import studio.lerian.streaming.outbox.jpa.TestDatabase;

/** Across a broker outage, on H2. */
class H2OutageOrderingTest extends AbstractOutageOrderingTest {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2();
    }
}
