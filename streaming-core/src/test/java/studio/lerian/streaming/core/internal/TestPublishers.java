package studio.lerian.streaming.core.internal;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.telemetry.Telemetry;
import studio.lerian.streaming.kafka.RecordFormat;
import studio.lerian.streaming.kafka.RecordFramer;

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
    public static RecordSender over(Producer<byte[], byte[]> producer, StreamingConfig config) {
        return new RecordSender(producer, new RecordFramer(config.format()), "test-producer",
                config.deliveryTimeout(), config.maxBufferedRecords(), config.closeTimeout(), Telemetry.NOOP);
    }

    /**
     * @param config a configuration
     * @return the {@code KafkaProducer} settings the library derives from it
     */
    public static Map<String, Object> producerSettings(StreamingConfig config) {
        return ProducerSettings.producer(config);
    }

    /**
     * @param producer the producer
     * @param format the record format
     * @param deliveryTimeout the delivery timeout the publisher assumes the client has
     * @param telemetry where counts go
     * @return a publisher with a 10,000-record in-flight limit and a one-second close timeout
     */
    public static RecordSender over(Producer<byte[], byte[]> producer, RecordFormat format, Duration deliveryTimeout,
            Telemetry telemetry) {
        return new RecordSender(producer, new RecordFramer(format), "test-producer", deliveryTimeout, 10_000,
                Duration.ofSeconds(1), telemetry);
    }
}
