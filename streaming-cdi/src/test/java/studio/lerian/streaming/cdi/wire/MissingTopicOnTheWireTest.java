package studio.lerian.streaming.cdi.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.OtelCapture;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * Spec section 10.3 against a broker that does not create topics: an emit to a topic that does not exist fails as
 * {@code topic_not_found}, and so say its dead-letter copy and the DLQ metric. The Kafka client reports it as a
 * {@code TimeoutException} (the topic never appears in the metadata) whose cause is the broker's
 * {@code UnknownTopicOrPartitionException}: the class comes from the cause, not from the outer timeout.
 */
class MissingTopicOnTheWireTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final String DLQ_TOPIC = TOPIC + ".dlq";

    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = new KafkaBroker(Map.of("auto.create.topics.enable", "false")).start();
        broker.createTopic(DLQ_TOPIC, 1, Map.of());
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void emitToAMissingTopicIsTopicNotFoundInTheExceptionTheDlqHeaderAndTheMetric() {
        String eventId = "0190abcd-ef01-7890-abcd-0000000000f1";
        try (OtelCapture otel = OtelCapture.start();
                StreamingContainer app = StreamingContainer.start(Fixture.config(broker.bootstrap()),
                        Fixture.Definitions.class, OtelCapture.Producer.class)) {
            EmitException failure = assertThrows(EmitException.class, () -> app.emitter().emit(
                    EmitRequest.builder("transaction.created").tenantId("t-abc").eventId(eventId)
                            .payload("{\"amount\":1}").build()));
            assertEquals(ErrorClass.TOPIC_NOT_FOUND, failure.errorClass(), failure.getMessage());

            List<ConsumerRecord<byte[], byte[]>> read = Records.readUntil(broker.bootstrap(), DLQ_TOPIC,
                    Records.withHeader("ce-id", eventId), Duration.ofSeconds(20));
            ConsumerRecord<byte[], byte[]> dlq = read.get(read.size() - 1);
            assertEquals("topic_not_found", Records.header(dlq, "x-lerian-dlq-error-class"));
            assertEquals(TOPIC, Records.header(dlq, "x-lerian-dlq-source-topic"));

            assertEquals(1, otel.count("streaming_dlq_total", Attributes.of(AttributeKey.stringKey("topic"), TOPIC,
                    AttributeKey.stringKey("error_class"), "topic_not_found")));
        }
    }
}
