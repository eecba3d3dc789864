package studio.lerian.streaming.core.internal.telemetry;

import java.util.Map;
import org.apache.kafka.common.header.Headers;

/** A span in progress, as far as the publish path needs it: its W3C trace context. */
public interface SpanHandle {

    /**
     * Appends {@code traceparent} (and {@code tracestate} when there is one) to the record's headers, after whatever
     * is there, when the span's context is valid; does nothing otherwise.
     *
     * @param headers the record's headers
     */
    void inject(Headers headers);

    /**
     * @return the span's W3C trace context as {@code traceparent}/{@code tracestate} entries, for the outbox
     *         envelope; empty when the span's context is not valid
     */
    Map<String, String> carrier();
}
