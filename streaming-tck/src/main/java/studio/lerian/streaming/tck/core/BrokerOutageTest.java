package studio.lerian.streaming.tck.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.tck.Assertion;
import studio.lerian.streaming.tck.TckTags;
import studio.lerian.streaming.tck.spi.TckPorting;
import studio.lerian.streaming.tck.support.TckBroker;
import studio.lerian.streaming.tck.support.TckDeployments;
import studio.lerian.streaming.tck.support.TckRecord;
import studio.lerian.streaming.tck.support.TckWait;

/**
 * The circuit breaker on broker loss and recovery. The steps run in order: the broker is stopped and started through
 * the porting on the client side ({@link RunAsClient}), the emits run inside the deployment. With no outbox (policy
 * {@code outbox=never}) publish failures are infrastructure errors until the breaker opens; an open breaker refuses
 * with {@code CIRCUIT_OPEN} without touching the broker; after recovery emits go through again.
 */
@ExtendWith(ArquillianExtension.class)
@Tag(TckTags.CORE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class BrokerOutageTest {

    private static final int MIN_REQUESTS = 4;

    @Deployment
    public static WebArchive deployment() {
        return TckDeployments.war("broker-outage", Map.of(
                "streaming.cb.min.requests", Integer.toString(MIN_REQUESTS),
                "streaming.cb.failure.ratio", "0.5",
                "streaming.cb.timeout.s", "2",
                "streaming.record.delivery.timeout.s", "2",
                "streaming.event.policies", "transaction.created.outbox=never"),
                BrokerOutageTest.class, TckCatalog.class);
    }

    @Inject
    Emitter emitter;

    @Test
    @Order(1)
    @Assertion(id = "breaker-1", spec = "docs/policies.md §Circuit breaker")
    public void brokerUpEmitSucceeds() {
        // The topic exists before the first publish: its metadata need not arrive within the short blocking time.
        TckBroker.createTopic(TckCatalog.TRANSACTION_CREATED_TOPIC, 1, Map.of());
        TckWait.until("an emit succeeds with the broker up", Duration.ofSeconds(30), () -> emitFailure() == null);
    }

    @Test
    @Order(2)
    @RunAsClient
    public void stopTheBroker() {
        TckPorting.load().stopBroker();
    }

    @Test
    @Order(3)
    @Assertion(id = "breaker-2", spec = "docs/policies.md §Circuit breaker; docs/errors.md")
    public void brokerLossFailsAsInfrastructureErrorsThenOpensTheBreaker() {
        int publishFailures = 0;
        StreamingException failure = emitFailure();
        while (failure instanceof EmitException failed) {
            publishFailures++;
            assertFalse(StreamingErrors.isCallerError(failed), "a publish failure is not a caller error: " + failed);
            assertTrue(publishFailures <= MIN_REQUESTS, "still not open after " + publishFailures + " failures");
            failure = emitFailure();
        }
        assertTrue(publishFailures >= 1, "the outage was seen by at least one publish");
        assertOpen(failure);
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            StreamingException refused = emitFailure();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertOpen(refused);
            assertTrue(took.compareTo(Duration.ofMillis(500)) < 0, "an open breaker answered in " + took);
        }
    }

    @Test
    @Order(4)
    @RunAsClient
    public void startTheBroker() {
        TckPorting.load().startBroker();
    }

    @Test
    @Order(5)
    @Assertion(id = "breaker-3", spec = "docs/policies.md §Circuit breaker")
    public void afterRecoveryEmitsGoThroughAgain() {
        TckWait.until("an emit succeeds after the broker returns", Duration.ofSeconds(30),
                () -> emitFailure() == null);
        String id = UUID.randomUUID().toString();
        emitter.emit(EmitRequest.builder(TckCatalog.TRANSACTION_CREATED).tenantId("t-outage").eventId(id)
                .payload("{\"after\":\"recovery\"}").build());
        List<TckRecord> records = TckBroker.awaitEvent(TckCatalog.TRANSACTION_CREATED_TOPIC, id);
        assertEquals(1, records.size(), "the event emitted after recovery is on the topic");
    }

    private static EmitRequest created() {
        return EmitRequest.builder(TckCatalog.TRANSACTION_CREATED).tenantId("t-outage").payload("{}").build();
    }

    private StreamingException emitFailure() {
        try {
            emitter.emit(created());
            return null;
        } catch (StreamingException e) {
            return e;
        }
    }

    private static void assertOpen(StreamingException failure) {
        assertTrue(failure != null, "expected CIRCUIT_OPEN, the emit succeeded");
        assertEquals(ErrorCode.CIRCUIT_OPEN, failure.code(), failure.getMessage());
        assertFalse(failure instanceof EmitException, "an open breaker does not publish");
        assertFalse(StreamingErrors.isCallerError(failure), "CIRCUIT_OPEN is not a caller error");
    }
}
