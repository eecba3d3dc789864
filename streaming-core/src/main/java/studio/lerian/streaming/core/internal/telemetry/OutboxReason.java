package studio.lerian.streaming.core.internal.telemetry;

/** Why an emit parked its event in the outbox: the {@code reason} label and span event attribute. */
public enum OutboxReason {
    /** The circuit was open and the policy falls back to the outbox. */
    CIRCUIT_OPEN("circuit_open"),
    /** The policy says {@code outbox=always}. */
    POLICY_ALWAYS("policy_always"),
    /** Strict ordering: the event's partition key still has unpublished outbox rows. */
    BACKLOG("backlog");

    private final String label;

    OutboxReason(String label) {
        this.label = label;
    }

    /** @return the label value */
    public String label() {
        return label;
    }
}
