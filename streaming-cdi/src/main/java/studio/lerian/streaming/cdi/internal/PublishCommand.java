package studio.lerian.streaming.cdi.internal;

import java.util.function.Supplier;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * One guarded publish: what to send, and what to do instead when the circuit is open.
 *
 * @param publisher the direct publisher
 * @param event the event
 * @param policy its resolved policy
 * @param attempt the emit's span and what became of its dead-letter copy
 * @param breaker the breaker mirror, told what the call saw
 * @param whenOpen the circuit-open branch: park the event in the outbox, or throw {@code CIRCUIT_OPEN}
 */
public record PublishCommand(RecordSender publisher, ResolvedEvent event, DeliveryPolicy policy, EmitAttempt attempt,
        BreakerState breaker, Supplier<Delivery> whenOpen) implements GuardedCall {

    /**
     * The call the breaker guards: publish and wait for the acknowledgement, keeping the breaker mirror up to date.
     *
     * @return {@link Delivery#PRODUCED}
     */
    @Override
    public Delivery run() {
        breaker.recordLetThrough();
        try {
            publisher.publish(event, policy, attempt);
        } catch (CallerFaultEmitException | NotSentEmitException notTheBrokers) {
            throw notTheBrokers; // says nothing about the broker; the breaker skips it too
        } catch (RuntimeException e) {
            breaker.recordFailed();
            throw e;
        }
        breaker.recordClosed();
        return Delivery.PRODUCED;
    }

    /** @return what the circuit-open branch returned */
    @Override
    public Delivery fallback() {
        return whenOpen.get();
    }
}
