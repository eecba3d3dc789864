package studio.lerian.streaming.examples.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.StreamingEngine;
import studio.lerian.streaming.core.support.FreePorts;

/**
 * Quarkus's Fault Tolerance guards the engine's publishes: with no broker answering, two failed emits open the
 * breaker its keys configure (a window of 2, ratio 1), and the third fails at once with {@code CIRCUIT_OPEN}, which
 * only the breaker's fallback gives (the engine's own breaker would be set by {@code STREAMING_CB_*}, window 10 by
 * default).
 */
@QuarkusTest
@TestProfile(BreakerOnQuarkusTest.NoBroker.class)
class BreakerOnQuarkusTest {

    private static final String KEY = FaultToleranceBreaker.class.getName() + "/guard/CircuitBreaker/";

    /** A broker address where nothing listens, a small breaker, and no outbox fallback for the event. */
    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("streaming.brokers", "127.0.0.1:" + FreePorts.pick(1)[0],
                    "streaming.record.delivery.timeout.s", "1",
                    // No outbox for this event, so that each failure and the refusal reach the caller.
                    "streaming.event.policies", "payment.captured.outbox=never",
                    KEY + "requestVolumeThreshold", "2",
                    KEY + "failureRatio", "1");
        }
    }

    @Inject
    PaymentEvents payments;

    @Inject
    StreamingEngine engine;

    @Test
    void twoFailuresOpenTheFaultToleranceBreakerAndTheNextEmitFailsAtOnce() {
        for (int i = 0; i < 2; i++) {
            StreamingException failed = assertThrows(StreamingException.class,
                    () -> payments.captured("tenant-b", "pay", 1));
            assertNotEquals(ErrorCode.CIRCUIT_OPEN, failed.code(), failed::toString);
        }

        StreamingException open = assertThrows(StreamingException.class, () -> payments.captured("tenant-b", "pay", 1));

        assertEquals(ErrorCode.CIRCUIT_OPEN, open.code());
        assertEquals("open", engine.circuitState());
    }
}
