package studio.lerian.streaming.examples.quarkuscdi;

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
import studio.lerian.streaming.core.support.FreePorts;

/**
 * The library's breaker on Quarkus is Quarkus's Fault Tolerance, configured by {@code STREAMING_CB_*} through the
 * library's configuration source: with no broker answering, a window of 2 at ratio 1 opens after two failures, and
 * the third emit fails at once with {@code CIRCUIT_OPEN} (with the default window of 10 it would try the broker).
 */
@QuarkusTest
@TestProfile(BreakerFromStreamingKeysTest.NoBroker.class)
class BreakerFromStreamingKeysTest {

    /** A broker address where nothing listens, a small breaker set by the library's keys, no outbox for the event. */
    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("streaming.brokers", "127.0.0.1:" + FreePorts.pick(1)[0],
                    "streaming.record.delivery.timeout.s", "1",
                    // No outbox for this event, so that each failure and the refusal reach the caller.
                    "streaming.event.policies", "order.placed.outbox=never",
                    "streaming.cb.min.requests", "2",
                    "streaming.cb.failure.ratio", "1");
        }
    }

    @Inject
    Orders orders;

    @Test
    void twoFailuresOpenTheBreakerAndTheNextEmitFailsAtOnce() {
        for (int i = 0; i < 2; i++) {
            StreamingException failed = assertThrows(StreamingException.class, () -> orders.placed("t", "o"));
            assertNotEquals(ErrorCode.CIRCUIT_OPEN, failed.code(), failed::toString);
        }

        assertEquals(ErrorCode.CIRCUIT_OPEN, assertThrows(StreamingException.class,
                () -> orders.placed("t", "o")).code());
    }
}
