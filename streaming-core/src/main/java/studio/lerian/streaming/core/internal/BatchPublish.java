package studio.lerian.streaming.core.internal;

import java.util.List;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.Delivery;
import studio.lerian.streaming.core.GuardedCall;

/**
 * One batch's publish, guarded by the circuit breaker as one call: the breaker lets the whole batch through or
 * refuses it whole, so that a batch is never split between Kafka and the outbox by a breaker that opens halfway (its
 * outbox part must be one transaction, and a key's later events must not reach Kafka before its earlier ones leave
 * the outbox). A batch with at least one infrastructure failure counts as one failure; one whose failures are all the
 * caller's (a record too large) or records never handed to the client ({@link NotSentEmitException}) counts as a
 * success, as {@code skipOn} makes a single emit's count.
 * Confined to the emitting thread (the breaker runs the call on it).
 */
public final class BatchPublish implements GuardedCall {

    private final RecordSender publisher;
    private final List<PreparedEmit> items;
    private final List<EmitAttempt> attempts;
    private StreamingException[] failures;

    BatchPublish(RecordSender publisher, List<PreparedEmit> items, List<EmitAttempt> attempts) {
        this.publisher = publisher;
        this.items = items;
        this.attempts = attempts;
    }

    /**
     * Sends the batch and waits for its acknowledgements.
     *
     * @return {@link Delivery#PRODUCED} when no request failed for a reason of the infrastructure
     * @throws Failed when one did, so that the breaker counts the call as failed; the failures are in
     *         {@link #failures()} either way
     */
    @Override
    public Delivery attempt() {
        failures = publisher.publishAll(items, attempts);
        for (StreamingException failure : failures) {
            if (failure != null && BreakerGate.countsAsFailure(failure)) {
                throw new Failed();
            }
        }
        return Delivery.PRODUCED;
    }

    /**
     * The circuit is open: nothing is sent.
     *
     * @return {@link Delivery#REFUSED}: the batch pipeline routes each request to the outbox or fails it
     */
    @Override
    public Delivery refused() {
        return Delivery.REFUSED;
    }

    @Override
    public boolean countsAsFailure(RuntimeException failure) {
        return BreakerGate.countsAsFailure(failure);
    }

    /** @return per item, in order, {@code null} when acknowledged, else why not; {@code null} if never run */
    StreamingException[] failures() {
        return failures;
    }

    /** Tells the breaker that the batch met an infrastructure failure. Never leaves the emitter. */
    static final class Failed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Failed() {
            super("a request of the batch failed for a reason of the infrastructure", null, false, false);
        }
    }
}
