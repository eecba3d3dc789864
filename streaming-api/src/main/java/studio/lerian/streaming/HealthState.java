package studio.lerian.streaming;

/** Whether an emitter can deliver events. */
public enum HealthState {
    /** The broker is reachable. */
    HEALTHY("healthy"),
    /** The broker is not reachable, but events are captured in the outbox and will be relayed. */
    DEGRADED("degraded"),
    /** Events cannot be delivered: the broker is unreachable and no outbox is wired, or the emitter is closed. */
    DOWN("down");

    private final String label;

    HealthState(String label) {
        this.label = label;
    }

    /** @return the lower-case label: {@code healthy}, {@code degraded} or {@code down} */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
