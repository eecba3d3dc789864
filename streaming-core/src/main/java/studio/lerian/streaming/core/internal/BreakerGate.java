package studio.lerian.streaming.core.internal;

import studio.lerian.streaming.core.Breaker;
import studio.lerian.streaming.core.Delivery;
import studio.lerian.streaming.core.GuardedCall;

/**
 * The one way from the emit path to the circuit breaker, and the one place that keeps {@link BreakerState}: every
 * guarded call goes through {@link #through(GuardedCall)}, which tells the state what the breaker did with it (let it
 * through, refused it) and how a call let through ended. The breaker itself is the application's: MicroProfile Fault
 * Tolerance in the CDI module, {@link studio.lerian.streaming.core.CountingBreaker} without a container.
 */
public final class BreakerGate {

    private final Breaker breaker;
    private final BreakerState state;

    /**
     * @param breaker the circuit breaker
     * @param producerId the emitter's producer id, for the state's log lines
     */
    public BreakerGate(Breaker breaker, String producerId) {
        this.breaker = breaker;
        this.state = new BreakerState(producerId);
    }

    /**
     * Whether a publish failure says the broker is unhealthy: not when the caller can correct it
     * ({@link CallerFaultEmitException}) nor when the record never reached the client ({@link NotSentEmitException}).
     *
     * @param failure what a guarded publish threw
     * @return {@code true} when a breaker counts it as a failed call
     */
    public static boolean countsAsFailure(RuntimeException failure) {
        return !(failure instanceof CallerFaultEmitException) && !(failure instanceof NotSentEmitException);
    }

    /**
     * Hands the call to the breaker.
     *
     * @param call the guarded publish
     * @return what the call's attempt or refusal returned
     */
    public Delivery through(GuardedCall call) {
        return breaker.guard(new Observed(call, state));
    }

    /** @return the breaker's state as the emit path last saw it */
    public BreakerState.State state() {
        return state.state();
    }

    /** The call as the breaker sees it, telling the state what became of it. */
    private record Observed(GuardedCall call, BreakerState state) implements GuardedCall {

        @Override
        public Delivery attempt() {
            state.recordLetThrough();
            Delivery delivery;
            try {
                delivery = call.attempt();
            } catch (RuntimeException e) {
                if (call.countsAsFailure(e)) {
                    state.recordFailed();
                }
                throw e;
            }
            state.recordClosed();
            return delivery;
        }

        @Override
        public Delivery refused() {
            state.recordOpen();
            return call.refused();
        }

        @Override
        public boolean countsAsFailure(RuntimeException failure) {
            return call.countsAsFailure(failure);
        }
    }
}
