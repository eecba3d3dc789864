package studio.lerian.streaming.core.internal;

import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import studio.lerian.streaming.internal.LogLine;

/**
 * The circuit breaker's state as the emit path last saw it: open when the breaker refused a call, half-open when it
 * let a call through while seen open (a trial), closed when a call succeeded. MicroProfile Fault Tolerance exposes no
 * portable way to read a breaker's state, so this mirror is what health data, the {@code streaming_circuit_state}
 * gauge and the transition log lines report; it can lag the real breaker (spec section 7.3). Each transition is
 * logged once: {@code streaming: circuit open} (WARNING), {@code streaming: circuit half-open} and
 * {@code streaming: circuit closed} (INFO). Thread-safe.
 */
public final class BreakerState {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    /** The observed states. */
    public enum State {
        /** Calls go through. */
        CLOSED(0),
        /** A trial call went through while the breaker was seen open. */
        HALF_OPEN(1),
        /** Calls are refused at once. */
        OPEN(2);

        private final int gauge;

        State(int gauge) {
            this.gauge = gauge;
        }

        /** @return the value of the {@code streaming_circuit_state} gauge: 0 closed, 1 half-open, 2 open */
        public int gauge() {
            return gauge;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.CLOSED);
    private final String producerId;

    /** @param producerId the emitter's producer id, for the log lines */
    BreakerState(String producerId) {
        this.producerId = producerId;
    }

    void recordOpen() {
        moved(state.getAndSet(State.OPEN), State.OPEN);
    }

    void recordClosed() {
        moved(state.getAndSet(State.CLOSED), State.CLOSED);
    }

    /** A call went through the breaker: if it was seen open, this call is its half-open trial. */
    void recordLetThrough() {
        if (state.compareAndSet(State.OPEN, State.HALF_OPEN)) {
            moved(State.OPEN, State.HALF_OPEN);
        }
    }

    /** A call that went through failed: a failed trial re-opens the breaker. */
    void recordFailed() {
        if (state.compareAndSet(State.HALF_OPEN, State.OPEN)) {
            moved(State.HALF_OPEN, State.OPEN);
        }
    }

    private void moved(State from, State to) {
        if (from != to) {
            LOG.log(to == State.OPEN ? Level.WARNING : Level.INFO, () -> LogLine.of("streaming: circuit " + to.label())
                    .field("producer_id", producerId).field("from", from.label()).field("to", to.label()).toString());
        }
    }

    /** @return the last observed state */
    public State state() {
        return state.get();
    }
}
