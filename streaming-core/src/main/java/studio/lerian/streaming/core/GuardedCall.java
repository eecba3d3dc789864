package studio.lerian.streaming.core;

/**
 * A publish the circuit breaker guards: one emit, or one batch (which the breaker counts as one call). A
 * {@link Breaker} runs {@link #attempt()} when it lets the call through, or {@link #refused()} at once, without
 * touching the broker, while it is open. The engine hands every call to its breaker through one method, because a
 * MicroProfile Fault Tolerance breaker belongs to one method: a second one would be a second breaker, blind to the
 * first one's state.
 */
public interface GuardedCall {

    /**
     * Publishes and waits for the broker's acknowledgement.
     *
     * @return how the call delivered
     * @throws RuntimeException when it did not; {@link #countsAsFailure(RuntimeException)} says whether the breaker
     *         counts it
     */
    Delivery attempt();

    /**
     * What to do instead while the circuit is open: park the event in the outbox when its policy allows it, fail with
     * {@code CIRCUIT_OPEN} otherwise (a batch returns {@link Delivery#REFUSED} and routes each request itself).
     *
     * @return how the call delivered instead
     */
    Delivery refused();

    /**
     * Whether a failure of {@link #attempt()} says the broker is unhealthy. Failures the caller can correct (a record
     * too large, an authorization refusal) and records never handed to the Kafka client say nothing about the broker,
     * and a breaker must not count them (MicroProfile Fault Tolerance: {@code skipOn}).
     *
     * @param failure what {@link #attempt()} threw
     * @return {@code true} when the breaker counts it as a failed call
     */
    boolean countsAsFailure(RuntimeException failure);
}
