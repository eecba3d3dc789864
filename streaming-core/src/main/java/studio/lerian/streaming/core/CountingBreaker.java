package studio.lerian.streaming.core;

import java.time.Duration;
import java.util.BitSet;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The engine's own circuit breaker, with MicroProfile Fault Tolerance's semantics so that an application behaves the
 * same with and without a container: a rolling window of the last {@code window} calls; when it is full and the
 * failed share reaches {@code failureRatio}, the breaker opens; after {@code delay} it is half-open and lets up to
 * {@code successThreshold} trial calls through at once; that many successes in a row close it (with an empty window),
 * one failure opens it again. A failure the call says the broker is not to blame for counts as a success, as
 * {@code skipOn} does. Thread-safe.
 *
 * <p>Written here rather than taken from SmallRye Fault Tolerance's standalone module, which brings CDI and the
 * MicroProfile Fault Tolerance API with it: the engine promises applications without either.
 */
public final class CountingBreaker implements Breaker {

    private enum State { CLOSED, OPEN, HALF_OPEN }

    /** What the breaker does with a call. */
    private enum Admission { REFUSE, LET_THROUGH, TRIAL }

    /** Failed calls of the window, by slot; grows with the calls seen, so a huge window costs only what it holds. */
    private final BitSet failed = new BitSet();
    private final int window;
    private final double failureRatio;
    private final long delayNanos;
    private final int successThreshold;
    private final LongSupplier nanoClock;

    private State state = State.CLOSED;
    private int recorded;
    private int next;
    private int failures;
    private long openedAt;
    private int trialsInFlight;
    private int trialSuccesses;

    /**
     * @param window how many of the last calls are judged ({@code STREAMING_CB_MIN_REQUESTS}), at least 1
     * @param failureRatio the failed share of a full window that opens the breaker ({@code STREAMING_CB_FAILURE_RATIO}),
     *        in (0, 1]
     * @param delay how long the breaker stays open before trial calls ({@code STREAMING_CB_TIMEOUT_S}), not negative
     * @param successThreshold trial successes in a row that close it, at least 1
     */
    public CountingBreaker(int window, double failureRatio, Duration delay, int successThreshold) {
        this(window, failureRatio, delay, successThreshold, System::nanoTime);
    }

    CountingBreaker(int window, double failureRatio, Duration delay, int successThreshold, LongSupplier nanoClock) {
        if (window < 1 || !(failureRatio > 0 && failureRatio <= 1) || delay.isNegative() || successThreshold < 1) {
            throw new IllegalArgumentException("window >= 1, failureRatio in (0,1], delay >= 0 and successThreshold"
                    + " >= 1 required; got " + window + ", " + failureRatio + ", " + delay + ", " + successThreshold);
        }
        this.window = window;
        this.failureRatio = failureRatio;
        this.delayNanos = delay.toNanos();
        this.successThreshold = successThreshold;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    @Override
    public Delivery guard(GuardedCall call) {
        Admission admission = admit();
        if (admission == Admission.REFUSE) {
            return call.refused();
        }
        boolean trial = admission == Admission.TRIAL;
        Delivery delivery;
        try {
            delivery = call.attempt();
        } catch (RuntimeException e) {
            record(trial, !call.countsAsFailure(e));
            throw e;
        } catch (Error e) {
            record(trial, false);
            throw e;
        }
        record(trial, true);
        return delivery;
    }

    private synchronized Admission admit() {
        if (state == State.OPEN && nanoClock.getAsLong() - openedAt >= delayNanos) {
            state = State.HALF_OPEN;
            trialsInFlight = 0;
            trialSuccesses = 0;
        }
        return switch (state) {
            case CLOSED -> Admission.LET_THROUGH;
            case OPEN -> Admission.REFUSE;
            case HALF_OPEN -> {
                if (trialsInFlight >= successThreshold) {
                    yield Admission.REFUSE;
                }
                trialsInFlight++;
                yield Admission.TRIAL;
            }
        };
    }

    private synchronized void record(boolean trial, boolean success) {
        if (trial) {
            if (state != State.HALF_OPEN) {
                return; // another trial already decided
            }
            trialsInFlight--;
            if (!success) {
                open();
            } else if (++trialSuccesses >= successThreshold) {
                state = State.CLOSED;
                recorded = 0;
                next = 0;
                failures = 0;
                failed.clear();
            }
            return;
        }
        if (state != State.CLOSED) {
            return; // a call let through before the breaker opened: its outcome no longer counts
        }
        if (recorded == window && failed.get(next)) {
            failures--;
        }
        failed.set(next, !success);
        if (!success) {
            failures++;
        }
        next = next == window - 1 ? 0 : next + 1;
        recorded = Math.min(recorded + 1, window);
        if (recorded == window && failures >= failureRatio * window) {
            open();
        }
    }

    private void open() {
        state = State.OPEN;
        openedAt = nanoClock.getAsLong();
    }

    /** @return whether the breaker refuses calls now (open, its delay not yet over) */
    public synchronized boolean isOpen() {
        return state == State.OPEN && nanoClock.getAsLong() - openedAt < delayNanos;
    }
}
