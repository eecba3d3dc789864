package studio.lerian.streaming.examples.quarkuscdi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.core.support.TopicClient;
import studio.lerian.streaming.outbox.jpa.OutboxStatus;
import studio.lerian.streaming.outbox.jpa.admin.OutboxAdmin;
import studio.lerian.streaming.outbox.jpa.admin.OutboxCounts;
import studio.lerian.streaming.kafka.StreamingRecordReader;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The CDI module on Quarkus: {@code @Inject Emitter} with no producer of the application's (the build-compatible
 * extension registers the library's beans), the catalog from the application's {@code CatalogProvider} bean, the
 * settings from Quarkus's configuration, the records on a real broker.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class OrdersTest {

    @Inject
    Orders orders;

    @Inject
    @Readiness
    Instance<HealthCheck> readiness;

    @Inject
    EntityManager em;

    @Inject
    OutboxAdmin admin;

    @Test
    void placedOrdersAreOnTheTopicInOrder() {
        for (int i = 0; i < 3; i++) {
            orders.placed("tenant-o", "order-" + i);
        }

        List<ConsumerRecord<byte[], byte[]>> records = TopicClient.consume(KafkaBrokerResource.bootstrap,
                OrderCatalog.PLACED.topic(), 3, Duration.ofSeconds(30));
        assertEquals(3, records.size());
        StreamingRecordReader reader = new StreamingRecordReader();
        for (int i = 0; i < 3; i++) {
            ConsumerRecord<byte[], byte[]> r = records.get(i);
            assertEquals("tenant-o", new String(r.key(), StandardCharsets.UTF_8));
            ResolvedEvent event = reader.read(r.topic(), r.headers(), r.value());
            assertEquals("order-" + i, event.subject(), "in emit order");
            assertEquals("//lerian.example/orders", event.source());
        }
    }

    /**
     * The outbox through CDI on Quarkus: the library's writer bean (registered by the outbox's build-compatible
     * extension) joins the {@code @Transactional} method's transaction, and the relay publishes the committed event.
     */
    @Test
    void aCancellationsEventExistsExactlyWhenTheCancellationCommits() {
        assertThrows(IllegalStateException.class, () -> orders.cancelled("tenant-c", "order-rolled-back", true));
        orders.cancelled("tenant-c", "order-committed", false);

        List<ConsumerRecord<byte[], byte[]>> records = TopicClient.consume(KafkaBrokerResource.bootstrap,
                OrderCatalog.CANCELLED.topic(), 2, Duration.ofSeconds(20));
        assertEquals(List.of("{\"order_id\":\"order-committed\"}"),
                records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList(),
                "the relay published the committed cancellation's event, and only it");
        assertEquals(List.of("order-committed"), QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select o.id from CustomerOrder o where o.tenantId = :t", String.class).setParameter("t", "tenant-c")
                .getResultList()), "the order's own row commits and rolls back with its event");
        OutboxCounts counts = admin.counts("orders-test");
        assertEquals(1, counts.count(OutboxStatus.PUBLISHED), "the operator's view: one row, published");
        assertEquals(1, counts.total());
    }

    @Test
    void theLibrarysReadinessCheckIsAmongQuarkussAndUp() {
        HealthCheckResponse ready = readiness.stream().map(HealthCheck::call)
                .filter(r -> r.getName().equals("lib-streaming")).findFirst().orElseThrow();

        assertEquals(HealthCheckResponse.Status.UP, ready.getStatus());
        assertEquals("closed", ready.getData().orElseThrow().get("circuit"));
    }
}
