package studio.lerian.streaming.spi;

import java.util.List;
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

    /**
     * Stores the envelopes as pending rows, all or none, in one transaction: the caller's when the calling thread has
     * one the implementation can join (as for {@link #write}), else one of its own, committed before returning. Rows
     * are created in list order, so that a relay keeping per-key order publishes a key's rows in that order. Used by
     * {@code Emitter.emitAll}. An implementation cannot loop over {@link #write} unless every write joins one
     * transaction; that is why this method has no default.
     *
     * <p>When it throws, no row of the list is committed: in its own transaction nothing was written; in the caller's
     * the implementation marks that transaction for rollback (rows already written in it would otherwise commit
     * with it), unless it refused the list before writing any row (an invalid or too large envelope).
     *
     * @param envelopes the validated envelopes, in order; must not be {@code null} nor hold {@code null}; empty does
     *        nothing
     * @throws StreamingException as {@link #write}, for the whole list; the detail names the offending envelope's
     *         position when one envelope is to blame
     */
    void writeAll(List<OutboxEnvelope> envelopes);
}
