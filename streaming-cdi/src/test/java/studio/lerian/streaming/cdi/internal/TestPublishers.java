package studio.lerian.streaming.cdi.internal;

import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import studio.lerian.streaming.cdi.internal.telemetry.Telemetry;
import studio.lerian.streaming.cdi.kafka.RecordFormat;
import studio.lerian.streaming.cdi.kafka.RecordFramer;

/** Builds a {@link KafkaPublisher} over a given producer (a {@code MockProducer}) for unit tests of other packages. */
public final class TestPublishers {

    private TestPublishers() {
    }

    /**
     * @param producer the producer
     * @param format the record format
     * @param deliveryTimeout the delivery timeout the publisher assumes the client has
     * @param telemetry where counts go
     * @return a publisher with a 10,000-record in-flight limit and a one-second close timeout
     */
    public static KafkaPublisher over(Producer<byte[], byte[]> producer, RecordFormat format, Duration deliveryTimeout,
            Telemetry telemetry) {
        return new KafkaPublisher(producer, new RecordFramer(format), "test-producer", deliveryTimeout, 10_000,
                Duration.ofSeconds(1), telemetry);
    }
}
