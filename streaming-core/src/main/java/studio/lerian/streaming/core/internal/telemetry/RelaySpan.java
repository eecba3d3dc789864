package studio.lerian.streaming.core.internal.telemetry;

/** One outbox row being published: its {@code streaming.relay} span, child of the emit's trace when it was carried. */
public interface RelaySpan extends SpanHandle {

    /**
     * Ends the span; idempotent.
     *
     * @param failure why the publish failed; {@code null} when the broker acknowledged it
     */
    void end(Throwable failure);
}
