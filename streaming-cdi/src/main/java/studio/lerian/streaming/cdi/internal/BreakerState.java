package studio.lerian.streaming.cdi.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The circuit breaker's state as the emit path last saw it: open when the breaker refused a call, closed when a call
 * went through. MicroProfile Fault Tolerance exposes no portable way to read a breaker's state, so this mirror is
 * what health data and metrics report. Thread-safe.
 */
public final class BreakerState {

    /** The observed states. */
    public enum State {
        /** Calls go through. */
        CLOSED,
        /** Calls are refused at once. */
        OPEN
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);

    void recordOpen() {
        state.set(State.OPEN);
    }

    void recordClosed() {
        state.set(State.CLOSED);
    }

    /** @return the last observed state */
    public State state() {
        return state.get();
    }
}
