package studio.lerian.streaming.tck.runners.support;

import studio.lerian.streaming.core.support.KafkaBroker;

/**
 * The one real Kafka broker (KRaft, 127.0.0.1, free ports) of a TCK run, in the test JVM: started on first use, kept
 * across test classes (their servers reach it on the same address), stopped and its files deleted at JVM exit.
 */
public final class RunBroker {

    private static KafkaBroker broker;

    private RunBroker() {
    }

    /** @return the broker, started on the first call */
    public static synchronized KafkaBroker get() {
        if (broker == null) {
            KafkaBroker started = new KafkaBroker().start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "tck-broker-close"));
            broker = started;
        }
        return broker;
    }
}
