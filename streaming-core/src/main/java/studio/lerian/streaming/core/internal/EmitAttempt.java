package studio.lerian.streaming.core.internal;

import studio.lerian.streaming.core.internal.telemetry.EmitSpan;

/**
 * One emit on its way through the pipeline: its span, its deadline, and the facts the pipeline learns that decide its
 * outcome label. Confined to the emitting thread.
 */
public final class EmitAttempt {

    private final EmitSpan span;
    private final long deadline;
    private boolean deadLettered;
    private boolean outboxFailed;

    /**
     * @param span the emit's span
     * @param deadline when the emit must have returned, in {@link System#nanoTime()} units: one budget for every step
     *        of the emit (the strict-ordering lookup in the outbox, the breaker, the publish), so that time spent
     *        before the publish is not granted again to the wait for the broker
     */
    EmitAttempt(EmitSpan span, long deadline) {
        this.span = span;
        this.deadline = deadline;
    }

    /** @return when the emit must have returned, in {@link System#nanoTime()} units */
    long deadline() {
        return deadline;
    }

    /** @return whether the emit's deadline has passed */
    boolean deadlinePassed() {
        return System.nanoTime() - deadline >= 0;
    }

    /** @return the emit's span */
    public EmitSpan span() {
        return span;
    }

    void deadLettered() {
        deadLettered = true;
    }

    boolean wasDeadLettered() {
        return deadLettered;
    }

    void outboxFailed() {
        outboxFailed = true;
    }

    boolean didOutboxFail() {
        return outboxFailed;
    }
}
