package studio.lerian.streaming.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.core.StreamingEngine;
import studio.lerian.streaming.core.support.TopicClient;
import studio.lerian.streaming.kafka.StreamingRecordReader;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The library on Quarkus: {@code @Inject Emitter} from the application's producer, the engine configured by Quarkus's
 * configuration, publishing through Quarkus's Fault Tolerance breaker to a real broker, and parking events in the
 * outbox of Quarkus's persistence unit inside the caller's transaction.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class PaymentEventsTest {

    @Inject
    PaymentEvents payments;

    @Inject
    StreamingEngine engine;

    @Inject
    EntityManager em;

    @Test
    void capturedPaymentsAreOnTheTopicInOrderWithTheirCloudEventsHeaders() {
        for (int i = 0; i < 3; i++) {
            payments.captured("tenant-q", "pay-" + i, 100L + i);
        }

        List<ConsumerRecord<byte[], byte[]>> records = TopicClient.consume(KafkaBrokerResource.bootstrap,
                PaymentEvents.CAPTURED.topic(), 3, Duration.ofSeconds(30));
        assertEquals(3, records.size());
        StreamingRecordReader reader = new StreamingRecordReader();
        for (int i = 0; i < 3; i++) {
            ConsumerRecord<byte[], byte[]> r = records.get(i);
            assertEquals("tenant-q", new String(r.key(), StandardCharsets.UTF_8));
            ResolvedEvent event = reader.read(r.topic(), r.headers(), r.value());
            assertEquals("pay-" + i, event.subject(), "in emit order");
            assertEquals("//lerian.example/payments", event.source(), "from application.properties");
            assertEquals("{\"payment_id\":\"pay-" + i + "\",\"amount_cents\":" + (100 + i) + "}",
                    new String(event.payload(), StandardCharsets.UTF_8));
        }
        assertTrue(engine.enabled());
        assertEquals("closed", engine.circuitState());
    }

    /**
     * The outbox on Quarkus: an event parked inside a {@code @Transactional} method commits or rolls back with the
     * method's own writes (Narayana's transaction, joined through the beans the producer hands the outbox), and the
     * relay publishes the committed one.
     */
    @Test
    void aRefundsEventExistsExactlyWhenTheRefundCommits() {
        assertThrows(IllegalStateException.class, () -> payments.refunded("tenant-r", "refund-rolled-back", 5, true));
        payments.refunded("tenant-r", "refund-committed", 7, false);

        List<ConsumerRecord<byte[], byte[]>> records = TopicClient.consume(KafkaBrokerResource.bootstrap,
                PaymentEvents.REFUNDED.topic(), 2, Duration.ofSeconds(20));
        assertEquals(List.of("{\"payment_id\":\"refund-committed\",\"amount_cents\":7}"),
                records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList(),
                "the relay published the committed refund's event, and only it");
        assertEquals(List.of("refund-committed"), QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select p.id from Payment p where p.tenantId = :t", String.class).setParameter("t", "tenant-r")
                .getResultList()), "the refund's own row commits and rolls back with its event");
    }
}
