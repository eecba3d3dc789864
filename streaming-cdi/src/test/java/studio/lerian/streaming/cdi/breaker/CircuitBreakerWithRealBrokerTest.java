package studio.lerian.streaming.cdi.breaker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.BreakerState;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * Section 7 and G15 against a real broker: an outage opens the MicroProfile Fault Tolerance breaker within the
 * configured volume, an open breaker fails emits at once with {@code CIRCUIT_OPEN}, and after the broker is back and
 * the breaker's delay has passed, emits go through again. Caller errors never open it. No emit ever outlives the
 * delivery timeout by more than a second.
 */
class CircuitBreakerWithRealBrokerTest {

    private static final int MIN_REQUESTS = 4;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration LONGEST_EMIT = DELIVERY_TIMEOUT.plusSeconds(1);
    private static final Duration FAST_FAIL = Duration.ofMillis(300);
    private static final String TOPIC = "lerian.streaming.transaction.created";

    private static KafkaBroker broker;

    private final List<TimedEmit> emits = new ArrayList<>();
    private StreamingContainer app;

    /** One emit: how long it took and what it threw, if anything. */
    private record TimedEmit(Duration took, StreamingException failure) {
    }

    @BeforeAll
    static void startBroker() {
        broker = new KafkaBroker().start();
        broker.createTopic(TOPIC, 1, Map.of());
        broker.createTopic(Fixture.TRANSACTION_CREATED.dlqTopic(), 1, Map.of());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeAppAndCheckEveryEmitWasBounded() {
        if (app != null) {
            app.close();
        }
        broker.start();
        for (TimedEmit e : emits) {
            assertTrue(e.took().compareTo(LONGEST_EMIT) <= 0, "an emit took " + e.took().toMillis()
                    + " ms, longer than the delivery timeout + 1 s; it failed with " + e.failure());
        }
    }

    private static Map<String, String> breakerConfig() {
        Map<String, String> p = Fixture.config(broker.bootstrap());
        p.put("streaming.cb.min.requests", String.valueOf(MIN_REQUESTS));
        p.put("streaming.cb.failure.ratio", "0.5");
        p.put("streaming.cb.timeout.s", "2");
        p.put("streaming.record.delivery.timeout.s", String.valueOf(DELIVERY_TIMEOUT.toSeconds()));
        p.put("streaming.event.policies", "transaction.created.outbox=never");
        return p;
    }

    private static EmitRequest created(String payload) {
        return EmitRequest.builder("transaction.created").tenantId("t-abc").payload(payload).build();
    }

    private TimedEmit emit(Emitter emitter, EmitRequest request) {
        long start = System.nanoTime();
        StreamingException failure = null;
        try {
            emitter.emit(request);
        } catch (StreamingException e) {
            failure = e;
        }
        TimedEmit e = new TimedEmit(Duration.ofNanos(System.nanoTime() - start), failure);
        emits.add(e);
        return e;
    }

    @Test
    void outageOpensTheBreakerWhichFailsFastAndClosesAfterTheBrokerReturns() {
        app = StreamingContainer.start(breakerConfig(), Fixture.Definitions.class);
        KafkaEmitter emitter = (KafkaEmitter) app.emitter();

        assertNull(emit(emitter, created("{\"n\":0}")).failure(), "broker up: the emit succeeds");

        broker.stop();

        // Publishes fail as infrastructure errors until the rolling window of MIN_REQUESTS calls trips the breaker.
        int publishFailures = 0;
        TimedEmit attempt = emit(emitter, created("{\"n\":1}"));
        while (attempt.failure() instanceof EmitException failed) {
            publishFailures++;
            assertFalse(StreamingErrors.isCallerError(failed), failed.getMessage());
            assertTrue(Set.of(ErrorClass.NETWORK_TIMEOUT, ErrorClass.BROKER_UNAVAILABLE).contains(failed.errorClass()),
                    failed.getMessage());
            assertTrue(publishFailures <= MIN_REQUESTS, "still not open after " + publishFailures + " failures");
            attempt = emit(emitter, created("{\"n\":1}"));
        }
        assertTrue(publishFailures >= 1, "the outage was seen by at least one publish");
        assertCircuitOpen(attempt);
        assertEquals(BreakerState.State.OPEN, emitter.circuitState());

        for (int i = 0; i < 10; i++) {
            TimedEmit refused = emit(emitter, created("{\"n\":2}"));
            assertCircuitOpen(refused);
            assertTrue(refused.took().compareTo(FAST_FAIL) < 0, "open breaker answered in "
                    + refused.took().toMillis() + " ms");
        }

        broker.start();

        // Half-open after the delay; keep emitting until one goes through (a failed trial re-opens it for 2 s).
        await("an emit succeeds after the broker returns").atMost(Duration.ofSeconds(30))
                .pollInSameThread().pollInterval(Duration.ofMillis(100))
                .until(() -> emit(emitter, created("{\"n\":3}")).failure() == null);

        // Enough consecutive successes to close it (successThreshold), then it stays closed.
        for (int i = 0; i < 6; i++) {
            TimedEmit e = emit(emitter, created("{\"n\":4}"));
            assertNull(e.failure(), () -> "after recovery: " + e.failure());
        }
        assertEquals(BreakerState.State.CLOSED, emitter.circuitState());
    }

    private static void assertCircuitOpen(TimedEmit e) {
        StreamingException failure = e.failure();
        assertInstanceOf(StreamingException.class, failure, "expected CIRCUIT_OPEN, the emit succeeded");
        assertEquals(ErrorCode.CIRCUIT_OPEN, failure.code(), failure.getMessage());
        assertFalse(failure instanceof EmitException, "not a publish failure: the broker was not touched");
        assertFalse(StreamingErrors.isCallerError(failure));
        assertEquals("streaming: circuit breaker open", failure.getMessage());
    }

    @Test
    void callerErrorsNeverOpenTheBreaker() {
        Map<String, String> p = breakerConfig();
        // Records above 1 KiB are refused by the client as too large: a caller fault that does reach the breaker.
        p.put("streaming.batch.max.bytes", "1024");
        app = StreamingContainer.start(p, Fixture.Definitions.class);
        Emitter emitter = app.emitter();
        String tooLarge = "{\"blob\":\"" + "x".repeat(2048) + "\"}";

        for (int i = 0; i < 50; i++) {
            EmitRequest bad = switch (i % 3) {
                case 0 -> created("not json");
                case 1 -> EmitRequest.builder("no.such.event").tenantId("t-abc").payload("{}").build();
                default -> created(tooLarge);
            };
            TimedEmit e = emit(emitter, bad);
            StreamingException failure = e.failure();
            assertInstanceOf(StreamingException.class, failure, "caller error #" + i + " was accepted");
            assertTrue(StreamingErrors.isCallerError(failure), failure.getMessage());
            assertEquals(switch (i % 3) {
                case 0 -> ErrorCode.NOT_JSON;
                case 1 -> ErrorCode.UNKNOWN_EVENT_DEFINITION;
                default -> ErrorCode.EMIT_FAILED;
            }, failure.code(), failure.getMessage());
            if (failure instanceof EmitException publish) {
                assertEquals(ErrorClass.SERIALIZATION_ERROR, publish.errorClass());
            }
        }

        for (int i = 0; i < MIN_REQUESTS; i++) {
            TimedEmit good = emit(emitter, created("{\"n\":" + i + "}"));
            assertNull(good.failure(), () -> "a good emit after 50 caller errors: " + good.failure());
        }
        assertEquals(BreakerState.State.CLOSED, ((KafkaEmitter) emitter).circuitState());
        assertTrue(emits.stream().noneMatch(e -> e.failure() != null && e.failure().code() == ErrorCode.CIRCUIT_OPEN));
    }
}
