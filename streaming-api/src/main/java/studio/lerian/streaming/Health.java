package studio.lerian.streaming;

import java.util.Objects;
import java.util.Optional;
import studio.lerian.streaming.internal.Sanitizer;

/** An emitter's health: a state and, when not healthy, the cause. Immutable. */
public final class Health {

    private static final Health HEALTHY = new Health(HealthState.HEALTHY, null);

    private final HealthState state;
    private final Throwable cause;

    private Health(HealthState state, Throwable cause) {
        this.state = state;
        this.cause = cause;
    }

    /** @return the healthy state, without cause */
    public static Health healthy() {
        return HEALTHY;
    }

    /**
     * @param cause why the broker is unreachable; may be {@code null}
     * @return a degraded health
     */
    public static Health degraded(Throwable cause) {
        return new Health(HealthState.DEGRADED, cause);
    }

    /**
     * @param cause why events cannot be delivered; may be {@code null}
     * @return a down health
     */
    public static Health down(Throwable cause) {
        return new Health(HealthState.DOWN, cause);
    }

    /**
     * @param state the state; must not be {@code null}
     * @param cause the cause; may be {@code null}
     * @return the health
     */
    public static Health of(HealthState state, Throwable cause) {
        Objects.requireNonNull(state, "state");
        return state == HealthState.HEALTHY && cause == null ? HEALTHY : new Health(state, cause);
    }

    /** @return the state, never {@code null} */
    public HealthState state() {
        return state;
    }

    /** @return the cause, empty when healthy or unknown */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    /** @return whether the state is {@link HealthState#HEALTHY} */
    public boolean isHealthy() {
        return state == HealthState.HEALTHY;
    }

    /**
     * The Go library's health text: {@code streaming: health state=<state>}, followed by {@code ": "} and the cause's
     * message with credentials masked when there is a cause.
     *
     * @return the message
     */
    public String message() {
        String base = "streaming: health state=" + state.label();
        return cause == null ? base : base + ": " + Sanitizer.describe(cause);
    }

    @Override
    public String toString() {
        return message();
    }
}
