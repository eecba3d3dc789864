package studio.lerian.streaming.cdi.internal;

import studio.lerian.streaming.cdi.internal.telemetry.EmitSpan;

/**
 * One emit on its way through the pipeline: its span, and the facts the pipeline learns that decide its outcome label.
 * Confined to the emitting thread.
 */
public final class EmitAttempt {

    private final EmitSpan span;
    private boolean deadLettered;
    private boolean outboxFailed;

    EmitAttempt(EmitSpan span) {
        this.span = span;
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
