package studio.lerian.streaming.examples.quarkuscdi;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import studio.lerian.streaming.core.support.BrokerProcess;

/** A real Kafka broker (KRaft, its own process) for the test, and the application's brokers setting pointing at it. */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    static volatile String bootstrap;
    private BrokerProcess broker;

    @Override
    public Map<String, String> start() {
        broker = BrokerProcess.singleNode(Path.of(System.getProperty("java.io.tmpdir"))).start();
        bootstrap = broker.bootstrap();
        return Map.of("streaming.brokers", bootstrap, "streaming.record.delivery.timeout.s", "10");
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
