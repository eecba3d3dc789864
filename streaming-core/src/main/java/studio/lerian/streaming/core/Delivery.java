package studio.lerian.streaming.core;

/** What became of a guarded publish: how an accepted event was delivered, or that the breaker refused the call. */
public enum Delivery {
    /** Acknowledged by the broker. */
    PRODUCED,
    /** Parked in the outbox, to be relayed. */
    OUTBOXED,
    /** The breaker refused the call: nothing was sent, nothing was parked (the caller decides what comes next). */
    REFUSED
}
