package studio.lerian.streaming.cdi.observability;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.OtelCapture;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * A broker outage seen through the metrics: publishes that fail count as {@code failed} (their DLQ copies fail too,
 * and are counted as such), the breaker then refuses emits, counted as {@code circuit_open}, and
 * {@code streaming_circuit_state} goes to 2; once the broker is back and an emit goes through, it returns to 0.
 */
class CircuitTelemetryTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";

    private KafkaBroker broker;
    private OtelCapture otel;
    private StreamingContainer app;

    @BeforeEach
    void start() {
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 1, Map.of());
        otel = OtelCapture.start();
        Map<String, String> p = Fixture.config(broker.bootstrap());
        p.put("streaming.cb.min.requests", "2");
        p.put("streaming.cb.failure.ratio", "0.5");
        p.put("streaming.cb.timeout.s", "1");
        p.put("streaming.record.delivery.timeout.s", "1");
        p.put("streaming.event.policies", "transaction.created.outbox=never");
        app = StreamingContainer.start(p, Fixture.Definitions.class, OtelCapture.Producer.class);
    }

    @AfterEach
    void stop() {
        try {
            otel.assertNoTenantLabel();
        } finally {
            app.close();
            otel.close();
            broker.close();
        }
    }

    private static Attributes emitted(String outcome) {
        return Attributes.of(AttributeKey.stringKey("topic"), TOPIC, AttributeKey.stringKey("operation"), "send",
                AttributeKey.stringKey("outcome"), outcome);
    }

    private static Optional<ErrorCode> emit(Emitter emitter) {
        try {
            emitter.emit(EmitRequest.builder("transaction.created").tenantId("t-abc").payload("{}").build());
            return Optional.empty();
        } catch (StreamingException e) {
            return Optional.of(e.code());
        }
    }

    @Test
    void outageCountsFailedThenCircuitOpenAndTheGaugeFollowsTheBreaker() {
        Emitter emitter = app.emitter();
        assertEquals(Optional.empty(), emit(emitter));
        assertEquals(Optional.of(0L), otel.gauge("streaming_circuit_state"), "closed");

        broker.stop();
        await("the breaker opens").atMost(Duration.ofSeconds(30)).pollInSameThread()
                .pollInterval(Duration.ofMillis(10))
                .until(() -> emit(emitter).equals(Optional.of(ErrorCode.CIRCUIT_OPEN)));

        assertEquals(Optional.of(2L), otel.gauge("streaming_circuit_state"), "open");
        long failed = otel.count("streaming_emitted_total", emitted("failed"));
        assertTrue(failed >= 1, "publishes failed before the breaker opened");
        assertEquals(1, otel.count("streaming_emitted_total", emitted("circuit_open")));
        assertEquals(1 + failed + 1, otel.total("streaming_emitted_total"), "every emit counted once");
        // The failed publishes' DLQ copies cannot be written either: counted once known, never as dlq.
        await().atMost(Duration.ofSeconds(10)).until(
                () -> otel.total("streaming_dlq_publish_failed_total") == failed);
        assertEquals(0, otel.total("streaming_dlq_total"));
        assertEquals(0, otel.count("streaming_emitted_total", emitted("dlq")));

        broker.start();
        await("an emit goes through again").atMost(Duration.ofSeconds(30)).pollInSameThread()
                .pollInterval(Duration.ofMillis(100))
                .until(() -> emit(emitter).isEmpty());
        assertEquals(Optional.of(0L), otel.gauge("streaming_circuit_state"), "closed again");
        assertTrue(otel.count("streaming_emitted_total", emitted("produced")) >= 2);
    }
}
