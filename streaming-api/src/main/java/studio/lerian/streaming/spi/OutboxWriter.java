package studio.lerian.streaming.spi;

import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.wire.OutboxEnvelope;

/**
 * Parks an event in the transactional outbox. Implemented by an outbox module (for example {@code streaming-jpa-outbox})
 * and used by the emitter when the policy says {@code outbox=always}, or when the circuit breaker is open and the
 * policy allows the fallback.
 */
public interface OutboxWriter {

    /**
     * Stores the envelope as a pending row. When the calling thread has an active transaction the implementation can
     * join (a JTA transaction, or the application's resource-local one), the row is written inside it and commits or
     * rolls back with the caller's business data; otherwise the implementation commits the row in a transaction of
     * its own before returning.
     *
     * @param envelope the validated envelope; must not be {@code null}
     * @throws StreamingException {@link studio.lerian.streaming.ErrorCode#OUTBOX_WRITE_FAILED} when the row could not
     *         be written (an infrastructure fault), {@link studio.lerian.streaming.ErrorCode#PAYLOAD_TOO_LARGE} when
     *         the envelope exceeds the row's size limit (a caller error)
     */
    void write(OutboxEnvelope envelope);
}
