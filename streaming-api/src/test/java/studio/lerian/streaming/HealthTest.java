package studio.lerian.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthTest {

    @Test
    void afterCloseTheMessageIsDownWithEmitterClosed() {
        Health h = Health.down(new StreamingException(ErrorCode.EMITTER_CLOSED));
        assertEquals(HealthState.DOWN, h.state());
        assertEquals("streaming: health state=down: streaming: emitter is closed", h.message());
        assertTrue(StreamingErrors.hasCode(h.cause().orElseThrow(), ErrorCode.EMITTER_CLOSED));
    }

    @Test
    void degradedMessageCarriesTheSanitisedPingError() {
        Health h = Health.degraded(new RuntimeException("dial failed kafka://admin:supersecret@kafka:9092"));
        assertEquals("streaming: health state=degraded: dial failed kafka://****:****@kafka:9092", h.message());
        assertFalse(h.isHealthy());
    }

    @Test
    void downWithoutOutboxCarriesThePingError() {
        Health h = Health.down(new RuntimeException("connection refused"));
        assertEquals("streaming: health state=down: connection refused", h.message());
        assertEquals(h.message(), h.toString());
    }

    @Test
    void healthyHasNoCause() {
        Health h = Health.healthy();
        assertTrue(h.isHealthy());
        assertEquals(Optional.empty(), h.cause());
        assertEquals("streaming: health state=healthy", h.message());
        assertSame(h, Health.of(HealthState.HEALTHY, null));
    }

    @Test
    void stateWithoutCauseHasNoTrailingSeparator() {
        assertEquals("streaming: health state=down", Health.down(null).message());
        assertEquals("streaming: health state=degraded", Health.of(HealthState.DEGRADED, null).message());
    }

    @Test
    void stateLabelsAreTheGoStrings() {
        assertEquals("healthy", HealthState.HEALTHY.label());
        assertEquals("degraded", HealthState.DEGRADED.label());
        assertEquals("down", HealthState.DOWN.toString());
    }
}
