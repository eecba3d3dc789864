package studio.lerian.streaming;

import java.util.Optional;

/** How an event reaches Kafka directly. The wire string is the value used in {@code STREAMING_EVENT_POLICIES} and in outbox envelopes. */
public enum DirectMode {
    /** Publish to Kafka while the caller waits. */
    DIRECT("direct"),
    /** Never publish directly; only valid with {@link OutboxMode#ALWAYS}. */
    SKIP("skip");

    private final String wire;

    DirectMode(String wire) {
        this.wire = wire;
    }

    /**
     * The exact, lower-case string of this mode.
     *
     * @return the wire string
     */
    public String wire() {
        return wire;
    }

    /**
     * The mode with the given wire string; matching is exact and case-sensitive.
     *
     * @param wire the string; {@code null} gives empty
     * @return the mode, or empty when no mode has that string
     */
    public static Optional<DirectMode> fromWire(String wire) {
        return WireNames.find(values(), DirectMode::wire, wire);
    }

    @Override
    public String toString() {
        return wire;
    }
}
