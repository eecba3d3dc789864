package studio.lerian.streaming.core.internal;

import java.util.concurrent.TimeoutException;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * An emit's record that was never handed to the Kafka client, because its delivery timeout ran out first: spent by
 * the strict-ordering lookup in the outbox, or waiting for an in-flight slot ({@code STREAMING_MAX_BUFFERED_RECORDS}).
 * Reported as {@link ErrorClass#NETWORK_TIMEOUT}, like any emit that ran out of time, but the broker never saw the
 * record: it gets no dead-letter copy, and the circuit breaker, which judges the broker, does not count it as a
 * failure ({@code skipOn}).
 */
public final class NotSentEmitException extends EmitException {

    private static final long serialVersionUID = 1L;

    NotSentEmitException(ResolvedEvent event, String topic, String reason) {
        this(event, topic, reason, null);
    }

    NotSentEmitException(ResolvedEvent event, String topic, String reason, Throwable cause) {
        super(ErrorClass.NETWORK_TIMEOUT, topic, event.resourceType(), event.eventType(), event.tenantId(),
                timeout(reason, cause));
    }

    private static TimeoutException timeout(String reason, Throwable cause) {
        TimeoutException timeout = new TimeoutException("not sent: " + reason);
        if (cause != null) {
            timeout.initCause(cause);
        }
        return timeout;
    }
}
