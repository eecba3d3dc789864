package studio.lerian.streaming.core.internal.telemetry;

import studio.lerian.streaming.ErrorClass;

/**
 * One emit that passed validation: its {@code streaming.emit} span and its clock. Ended exactly once, on the emitting
 * thread, which also records the emit's counter and duration. Not thread-safe.
 */
public interface EmitSpan extends SpanHandle {

    /**
     * The event was parked in the outbox: the span event {@code outbox.routed} and
     * {@code streaming_outbox_routed_total}.
     *
     * @param reason why
     */
    void routed(OutboxReason reason);

    /**
     * Ends the emit: the span (with {@code event.outcome}, and {@code error.type} on a failed publish),
     * {@code streaming_emitted_total} and {@code streaming_emit_duration_ms}.
     *
     * @param outcome the final outcome
     * @param errorClass the publish failure's class; {@code null} when none
     * @param failure what the emit threw; {@code null} on success
     */
    void end(Outcome outcome, ErrorClass errorClass, Throwable failure);
}
