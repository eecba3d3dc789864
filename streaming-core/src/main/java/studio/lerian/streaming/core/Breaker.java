package studio.lerian.streaming.core;

/**
 * The circuit breaker in front of the broker: while it is closed, publishes go through and their outcomes are counted;
 * when too many fail, it opens and every call is {@link GuardedCall#refused() refused} at once (the outbox takes the
 * event, policy permitting) until a delay has passed and trial calls succeed.
 *
 * <p>The engine brings {@link CountingBreaker}, configured by {@code STREAMING_CB_*}; the CDI module guards with
 * MicroProfile Fault Tolerance's {@code @CircuitBreaker} instead. Another container can bring its own.
 * Implementations must be thread-safe: emits call {@link #guard(GuardedCall)} from many threads at once.
 */
@FunctionalInterface
public interface Breaker {

    /**
     * Runs {@link GuardedCall#attempt()} when the breaker lets the call through, counting its outcome (a failure only
     * when {@link GuardedCall#countsAsFailure(RuntimeException)} says so) and rethrowing its failure; runs
     * {@link GuardedCall#refused()} instead while the breaker is open.
     *
     * @param call the guarded publish
     * @return what the attempt or the refusal returned
     */
    Delivery guard(GuardedCall call);
}
