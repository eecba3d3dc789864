package studio.lerian.streaming;

import java.util.Optional;

/**
 * Why a publish to Kafka failed, in the Go library's eight classes. The wire string travels in the
 * {@code x-lerian-dlq-error-class} header and in metrics.
 */
public enum ErrorClass {
    /** The broker refused the record's shape or size. DLQ-routable; a caller error. */
    SERIALIZATION_ERROR("serialization_error", true, true),
    /** The event failed validation. Not DLQ-routable; a caller error. */
    VALIDATION_ERROR("validation_error", false, true),
    /** Authentication or authorization failed: a deployment fault. DLQ-routable; a caller error. */
    AUTH_ERROR("auth_error", true, true),
    /** The topic does not exist and cannot be created. DLQ-routable. */
    TOPIC_NOT_FOUND("topic_not_found", true, false),
    /** The broker could not be reached or refused the write. DLQ-routable. */
    BROKER_UNAVAILABLE("broker_unavailable", true, false),
    /** The record was not acknowledged within the delivery timeout. DLQ-routable. */
    NETWORK_TIMEOUT("network_timeout", true, false),
    /** The caller's thread was interrupted or its deadline passed. Not DLQ-routable. */
    CONTEXT_CANCELED("context_canceled", false, false),
    /** The broker throttled the write or a broker policy refused it. DLQ-routable. */
    BROKER_OVERLOADED("broker_overloaded", true, false);

    private final String wire;
    private final boolean dlqRoutable;
    private final boolean callerError;

    ErrorClass(String wire, boolean dlqRoutable, boolean callerError) {
        this.wire = wire;
        this.dlqRoutable = dlqRoutable;
        this.callerError = callerError;
    }

    /**
     * The exact string used on the wire and in metrics, e.g. {@code broker_unavailable}.
     *
     * @return the wire string
     */
    public String wire() {
        return wire;
    }

    /**
     * Whether a failure of this class is copied to the dead-letter topic (when the policy allows it).
     *
     * @return {@code true} for every class except {@link #VALIDATION_ERROR} and {@link #CONTEXT_CANCELED}
     */
    public boolean isDlqRoutable() {
        return dlqRoutable;
    }

    /**
     * Whether a failure of this class is the caller's (or deployment's) to correct.
     *
     * @return {@code true} for {@link #SERIALIZATION_ERROR}, {@link #VALIDATION_ERROR} and {@link #AUTH_ERROR}
     */
    public boolean isCallerError() {
        return callerError;
    }

    /**
     * The class with the given wire string.
     *
     * @param wire a wire string; {@code null} gives empty
     * @return the class, or empty if none has that wire string
     */
    public static Optional<ErrorClass> fromWire(String wire) {
        for (ErrorClass c : values()) {
            if (c.wire.equals(wire)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
