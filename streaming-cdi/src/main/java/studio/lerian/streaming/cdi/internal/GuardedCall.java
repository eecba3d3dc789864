package studio.lerian.streaming.cdi.internal;

/**
 * A call the circuit breaker guards: one emit's publish ({@link PublishCommand}) or one batch's ({@link BatchPublish}).
 * Both go through the one guarded method of {@link GuardedPublisher}, because a MicroProfile Fault Tolerance breaker
 * belongs to one method: a second method would be a second breaker, blind to the first one's state.
 */
public interface GuardedCall {

    /**
     * The call the breaker lets through.
     *
     * @return how the call delivered
     */
    Delivery run();

    /**
     * What to do instead while the circuit is open, at once and without touching the broker.
     *
     * @return how the call delivered instead
     */
    Delivery fallback();
}
