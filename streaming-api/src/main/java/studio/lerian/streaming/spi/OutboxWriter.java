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

    /**
     * As {@link #write}, and tells when the transaction holding the row ends: what the emitter uses to keep strict
     * ordering while a caller's transaction that parked an event is still open (see {@link OutboxWrite}).
     *
     * <p>The default calls {@link #write} and reports the write {@linkplain OutboxWrite#SETTLED settled}, which is
     * right for a writer that always commits before returning. A writer that joins the caller's transaction must
     * override it (and {@link #writeAllTracked}), or a key's next event may overtake a row parked in a transaction that
     * stays open longer than the emitter's poll interval.
     *
     * @param envelope as for {@link #write}
     * @return the write; {@link OutboxWrite#SETTLED} when the row committed in a transaction of the writer's own
     * @throws StreamingException as {@link #write}; nothing of the write may then commit
     */
    default OutboxWrite writeTracked(OutboxEnvelope envelope) {
        write(envelope);
        return OutboxWrite.SETTLED;
    }

    /**
     * As {@link #writeAll}, and tells when the transaction holding the rows ends, as {@link #writeTracked} does. The
     * default calls {@link #writeAll} and reports the write settled.
     *
     * @param envelopes as for {@link #writeAll}
     * @return the write; {@link OutboxWrite#SETTLED} when the rows committed in a transaction of the writer's own, or
     *         when the list is empty
     * @throws StreamingException as {@link #writeAll}; nothing of the list may then commit
     */
    default OutboxWrite writeAllTracked(List<OutboxEnvelope> envelopes) {
        writeAll(envelopes);
        return OutboxWrite.SETTLED;
    }
}
