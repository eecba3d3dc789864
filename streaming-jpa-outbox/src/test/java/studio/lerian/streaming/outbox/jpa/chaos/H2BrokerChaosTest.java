package studio.lerian.streaming.outbox.jpa.chaos;

import studio.lerian.streaming.outbox.jpa.TestDatabase;

/** Broker chaos with the outbox on H2: part of every build. */
class H2BrokerChaosTest extends AbstractBrokerChaosTest {

    @Override
    TestDatabase openDatabase() {
        return new TestDatabase.H2();
    }

    @Override
    String name() {
        return "h2";
    }
}
