package studio.lerian.streaming.cdi.internal;

/** How an accepted event was delivered. */
public enum Delivery {
    /** Acknowledged by the broker. */
    PRODUCED,
    /** Parked in the outbox, to be relayed. */
    OUTBOXED
}
