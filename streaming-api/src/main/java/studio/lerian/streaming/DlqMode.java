package studio.lerian.streaming;

import java.util.Optional;

/** Whether a failed publish is copied to the dead-letter topic. The wire string is the value used in {@code STREAMING_EVENT_POLICIES} and in outbox envelopes. */
public enum DlqMode {
    /** Never. */
    NEVER("never"),
    /** When the failure's {@link ErrorClass#isDlqRoutable() class is routable} (the default). */
    ON_ROUTABLE_FAILURE("on_routable_failure");

    private final String wire;

    DlqMode(String wire) {
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
    public static Optional<DlqMode> fromWire(String wire) {
        return WireNames.find(values(), DlqMode::wire, wire);
    }

    @Override
    public String toString() {
        return wire;
    }
}
