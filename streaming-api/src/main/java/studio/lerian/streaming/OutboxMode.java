package studio.lerian.streaming;

import java.util.Optional;

/** When an event is written to the transactional outbox instead of Kafka. The wire string is the value used in {@code STREAMING_EVENT_POLICIES} and in outbox envelopes. */
public enum OutboxMode {
    /** Never; an open circuit fails the emit with {@link ErrorCode#CIRCUIT_OPEN}. */
    NEVER("never"),
    /** Only when the circuit breaker is open (the default). */
    FALLBACK_ON_CIRCUIT_OPEN("fallback_on_circuit_open"),
    /** Always; Kafka is reached only through the outbox relay. */
    ALWAYS("always");

    private final String wire;

    OutboxMode(String wire) {
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
    public static Optional<OutboxMode> fromWire(String wire) {
        return WireNames.find(values(), OutboxMode::wire, wire);
    }

    @Override
    public String toString() {
        return wire;
    }
}
