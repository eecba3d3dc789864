package studio.lerian.streaming.cdi.internal;

import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * The direct publish behind MicroProfile Fault Tolerance's circuit breaker. One breaker for the application (one bean,
 * one method). Its parameters come from {@code STREAMING_CB_*} through MicroProfile Fault Tolerance's configuration
 * overrides, set in this module's {@code META-INF/microprofile-config.properties}:
 * {@code requestVolumeThreshold = STREAMING_CB_MIN_REQUESTS}, {@code failureRatio = STREAMING_CB_FAILURE_RATIO},
 * {@code delay = STREAMING_CB_TIMEOUT_S} (seconds, given in milliseconds with {@code delayUnit = MILLIS}: Payara's Fault
 * Tolerance ignores {@code delayUnit} when it schedules the half-open state, so a delay in seconds would open the
 * circuit for as many milliseconds there). Publish failures the caller can correct
 * ({@link CallerFaultEmitException}: a record too large, an authorization refusal) are skipped: they say nothing about
 * the broker's health. Request validation never gets here at all.
 *
 * <p>While the circuit is open, the {@code @Fallback} runs the command's circuit-open branch instead, at once and
 * without touching the broker: the outbox when the policy allows it, {@code CIRCUIT_OPEN} otherwise.
 *
 * <p>Registered by {@code StreamingExtension} as an {@code @ApplicationScoped} bean; not discovered by scanning.
 */
public class GuardedPublisher {

    /**
     * Publishes through the breaker: one emit, or one batch (which the breaker counts as one call).
     *
     * @param command what to publish and what to do when the circuit is open
     * @return what the call returned, or what its circuit-open branch returned
     */
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000, delayUnit = ChronoUnit.MILLIS,
            successThreshold = 3, skipOn = {CallerFaultEmitException.class, NotSentEmitException.class})
    @Fallback(fallbackMethod = "whenOpen", applyOn = CircuitBreakerOpenException.class)
    public Delivery publish(GuardedCall command) {
        return command.run();
    }

    Delivery whenOpen(GuardedCall command) {
        return command.fallback();
    }
}
