package studio.lerian.streaming.examples.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import studio.lerian.streaming.core.Breaker;
import studio.lerian.streaming.core.Delivery;
import studio.lerian.streaming.core.GuardedCall;

/**
 * The engine's circuit breaker as Quarkus's MicroProfile Fault Tolerance: one guarded method, so one breaker for the
 * application; while it is open, the call's refusal runs at once (the outbox, policy permitting, else
 * {@code CIRCUIT_OPEN}). Its parameters are Fault Tolerance's own keys
 * ({@code studio.lerian.streaming.examples.quarkus.FaultToleranceBreaker/guard/CircuitBreaker/delay}, ...), set in
 * {@code application.properties}. Without a class like this one, the engine guards with its own
 * {@code CountingBreaker}, which follows {@code STREAMING_CB_*}.
 */
@ApplicationScoped
public class FaultToleranceBreaker implements Breaker {

    @Override
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30, delayUnit = ChronoUnit.SECONDS,
            successThreshold = 3)
    @Fallback(fallbackMethod = "refused", applyOn = CircuitBreakerOpenException.class)
    public Delivery guard(GuardedCall call) {
        return call.attempt();
    }

    Delivery refused(GuardedCall call) {
        return call.refused();
    }
}
