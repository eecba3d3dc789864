package studio.lerian.streaming.core.internal.telemetry;

/**
 * The final outcome of one emit: the closed set of values of the {@code outcome} label and of the span attribute
 * {@code event.outcome} (spec section 12.1).
 */
public enum Outcome {
    /** Acknowledged by the broker. */
    PRODUCED("produced"),
    /** Parked in the outbox. */
    OUTBOXED("outboxed"),
    /** Refused because the circuit is open and the outbox could not take the event. */
    CIRCUIT_OPEN("circuit_open"),
    /** The caller's mistake: validation, resolution, a closed emitter, or a publish failure the caller can fix. */
    CALLER_ERROR("caller_error"),
    /** The publish failed and the dead-letter copy was acknowledged. */
    DLQ("dlq"),
    /** The publish failed (no dead-letter copy acknowledged). */
    FAILED("failed"),
    /** The outbox write failed. */
    OUTBOX_FAILED("outbox_failed");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    /** @return the label value */
    public String label() {
        return label;
    }
}
