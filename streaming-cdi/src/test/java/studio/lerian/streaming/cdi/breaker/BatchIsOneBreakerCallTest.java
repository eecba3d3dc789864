package studio.lerian.streaming.cdi.breaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.BatchEmitException;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.core.internal.BreakerState;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * The breaker counts a batch as one call: with a rolling window of two calls that opens only when both failed, a
 * successful batch then a batch of five failed publishes leave it closed, a second failed batch opens it, and the
 * next batch is refused whole, at once, without touching the broker. Each failed or refused batch stays within the
 * delivery timeout plus one second.
 */
class BatchIsOneBreakerCallTest {

    private static final int BATCH = 5;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration LONGEST_BATCH = DELIVERY_TIMEOUT.plusSeconds(1);
    private static final Duration FAST_FAIL = Duration.ofMillis(300);

    private KafkaBroker broker;
    private StreamingContainer app;

    @BeforeEach
    void start() {
        broker = new KafkaBroker().start();
        broker.createTopic("lerian.streaming.transaction.created", 1, Map.of());
        Map<String, String> p = Fixture.config(broker.bootstrap());
        p.put("streaming.cb.min.requests", "2");
        p.put("streaming.cb.failure.ratio", "1.0");
        p.put("streaming.cb.timeout.s", "600"); // stays open for the whole test
        p.put("streaming.record.delivery.timeout.s", String.valueOf(DELIVERY_TIMEOUT.toSeconds()));
        p.put("streaming.event.policies", "transaction.created.outbox=never");
        app = StreamingContainer.start(p, Fixture.Definitions.class);
    }

    @AfterEach
    void stop() {
        app.close();
        broker.close();
    }

    @Test
    void twoFailedBatchesOpenABreakerOfVolumeTwoAndTheNextIsRefusedWhole() {
        KafkaEmitter emitter = (KafkaEmitter) app.emitter();
        emitter.emitAll(batch()); // broker up: counted as one success, and the client learns the topic
        broker.stop();

        for (int round = 1; round <= 2; round++) {
            long started = System.nanoTime();
            BatchEmitException failed = assertThrows(BatchEmitException.class, () -> emitter.emitAll(batch()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(LONGEST_BATCH) <= 0, "batch " + round + " took " + took.toMillis() + " ms");
            assertEquals(ErrorCode.BATCH_EMIT_FAILED, failed.code());
            assertEquals(BATCH, failed.failures().size(), "every request of batch " + round + " was attempted");
            for (BatchEmitException.Failure f : failed.failures()) {
                assertInstanceOf(EmitException.class, f.cause(), "batch " + round + " #" + f.index() + ": "
                        + f.cause().getMessage());
            }
            assertFalse(StreamingErrors.isCallerError(failed), "a broker outage is not the caller's fault");
        }

        long started = System.nanoTime();
        BatchEmitException refused = assertThrows(BatchEmitException.class, () -> emitter.emitAll(batch()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(FAST_FAIL) < 0, "the open breaker answered in " + took.toMillis() + " ms");
        assertEquals(BATCH, refused.failures().size());
        for (BatchEmitException.Failure f : refused.failures()) {
            assertEquals(ErrorCode.CIRCUIT_OPEN, f.cause().code(), f.cause().getMessage());
        }
        assertFalse(StreamingErrors.isCallerError(refused));
        assertEquals(BreakerState.State.OPEN, emitter.circuitState());
    }

    private static List<EmitRequest> batch() {
        return IntStream.range(0, BATCH).mapToObj(i -> EmitRequest.builder("transaction.created")
                .tenantId("t-" + (i % 2)).payload("{\"n\":" + i + "}").build()).toList();
    }
}
