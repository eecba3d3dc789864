package studio.lerian.streaming.cdi.internal;

import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import studio.lerian.streaming.cdi.internal.config.StreamingConfig;
import studio.lerian.streaming.cdi.internal.telemetry.Telemetry;
import studio.lerian.streaming.cdi.kafka.RecordFramer;

/**
 * The library's publisher over a producer the test holds (a {@code MockProducer}, or a real {@code KafkaProducer}
 * whose metrics it reads), for tests of what sits on the publisher, such as the outbox relay.
 */
public final class TestPublishers {

    private TestPublishers() {
    }

    /**
     * @param producer the producer the publisher sends with
     * @param config the configuration whose record format, delivery timeout and limits the publisher takes
     * @return a publisher as {@code EmitterFactory} builds it, over the given producer
     */
    public static KafkaPublisher over(Producer<byte[], byte[]> producer, StreamingConfig config) {
        return new KafkaPublisher(producer, new RecordFramer(config.format()), "test-producer",
                config.deliveryTimeout(), config.maxBufferedRecords(), config.closeTimeout(), Telemetry.NOOP);
    }

    /**
     * @param config a configuration
     * @return the {@code KafkaProducer} settings the library derives from it
     */
    public static Map<String, Object> producerSettings(StreamingConfig config) {
        return ProducerSettings.producer(config);
    }
}
