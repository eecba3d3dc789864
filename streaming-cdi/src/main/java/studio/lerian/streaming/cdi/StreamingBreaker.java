package studio.lerian.streaming.cdi;

import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import studio.lerian.streaming.core.Breaker;
import studio.lerian.streaming.core.Delivery;
import studio.lerian.streaming.core.GuardedCall;
import studio.lerian.streaming.core.config.ConfigKey.BreakerDefaults;
import studio.lerian.streaming.core.internal.CallerFaultEmitException;
import studio.lerian.streaming.core.internal.NotSentEmitException;

/**
 * The engine's circuit breaker under CDI: MicroProfile Fault Tolerance's {@code @CircuitBreaker} on one method, with a
 * {@code @Fallback} to the call's refusal (the outbox, policy permitting). One breaker for the application: every emit
 * and every batch goes through {@link #guard(GuardedCall)}.
 *
 * <p>Its parameters follow {@code STREAMING_CB_*}: the module supplies MicroProfile Fault Tolerance's keys for this
 * method ({@code studio.lerian.streaming.cdi.StreamingBreaker/guard/CircuitBreaker/requestVolumeThreshold}, and
 * {@code failureRatio}, {@code delay}, {@code delayUnit}) at a low ordinal, so an application may still set those keys
 * itself. This class's name and its method's name are part of that configuration, which is why the class is public
 * and dedicated to this: it is not for application code to call. The delay is given in milliseconds with
 * {@code delayUnit = MILLIS}: Payara's Fault Tolerance ignores {@code delayUnit} when it schedules the half-open
 * state, so a delay in seconds would open the circuit for as many milliseconds there.
 *
 * <p>Failures that say nothing about the broker (the caller's, and records never handed to the client) are skipped,
 * which Fault Tolerance counts as successes. Registered by {@code StreamingExtension} as an {@code @ApplicationScoped}
 * bean; not discovered by scanning.
 */
public class StreamingBreaker implements Breaker {

    /**
     * Runs the call's attempt through the breaker.
     *
     * @param call what to publish, and what to do when the circuit is open
     * @return what the attempt returned, or what the refusal returned while the circuit is open
     */
    @Override
    @CircuitBreaker(requestVolumeThreshold = BreakerDefaults.MIN_REQUESTS,
            failureRatio = BreakerDefaults.FAILURE_RATIO, delay = BreakerDefaults.TIMEOUT_S * 1000L,
            delayUnit = ChronoUnit.MILLIS, successThreshold = BreakerDefaults.SUCCESS_THRESHOLD,
            skipOn = {CallerFaultEmitException.class, NotSentEmitException.class})
    @Fallback(fallbackMethod = "refused", applyOn = CircuitBreakerOpenException.class)
    public Delivery guard(GuardedCall call) {
        return call.attempt();
    }

    Delivery refused(GuardedCall call) {
        return call.refused();
    }
}
