package studio.lerian.streaming.cdi.internal;

import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * The direct publish behind MicroProfile Fault Tolerance's circuit breaker. One breaker for the application (one bean,
 * one method). Its parameters come from {@code STREAMING_CB_*} through MicroProfile Fault Tolerance's configuration
 * overrides, set in this module's {@code META-INF/microprofile-config.properties}:
 * {@code requestVolumeThreshold = STREAMING_CB_MIN_REQUESTS}, {@code failureRatio = STREAMING_CB_FAILURE_RATIO},
 * {@code delay = STREAMING_CB_TIMEOUT_S} (seconds). Publish failures the caller can correct
 * ({@link CallerFaultEmitException}: a record too large, an authorization refusal) are skipped: they say nothing about
 * the broker's health, so they neither open nor close the circuit. Request validation never gets here at all.
 *
 * <p>Registered by {@code StreamingExtension} as an {@code @ApplicationScoped} bean; not discovered by scanning.
 */
public class GuardedPublisher {

    /**
     * Publishes through the breaker. While the circuit is open, throws
     * {@link org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException} at once, without
     * touching the broker.
     *
     * @param publisher the direct publisher
     * @param event the event
     * @param policy its resolved policy
     */
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS,
            successThreshold = 3, skipOn = CallerFaultEmitException.class)
    public void publish(KafkaPublisher publisher, ResolvedEvent event, DeliveryPolicy policy) {
        publisher.publish(event, policy);
    }
}
