package studio.lerian.streaming;

import java.util.Collection;

/**
 * Publishes domain events. Inject it ({@code @Inject Emitter emitter}) or build one through an implementation.
 * Implementations are thread-safe: any number of threads may call {@link #emit(EmitRequest)} and
 * {@link #emitAll(Collection)} at once.
 */
public interface Emitter extends AutoCloseable {

    /**
     * Emits one event and returns once it is safe: acknowledged by the broker, or (when the policy routes it there)
     * written to the outbox, inside the caller's transaction when there is one. Never blocks longer than the
     * configured delivery timeout plus a small margin, except while the outbox's own database calls (the
     * strict-ordering lookup of the key's backlog, the write of a parked event) take longer: they cannot be cut short.
     *
     * @param request the request; must not be {@code null}
     * @throws StreamingException when the event was not accepted. Use {@link StreamingErrors#isCallerError(Throwable)}
     *         to tell a request to fix ({@link ErrorCode#NOT_JSON}, {@link ErrorCode#UNKNOWN_EVENT_DEFINITION}, ...)
     *         from an infrastructure fault ({@link ErrorCode#CIRCUIT_OPEN}, {@link EmitException} of class
     *         {@code broker_unavailable}, ...). Nothing is half-written when this is thrown: no record was
     *         acknowledged and no outbox row is committed by the emitter itself.
     * @throws NullPointerException when {@code request} is {@code null}
     */
    void emit(EmitRequest request);

    /**
     * Emits a batch of events as one operation, for bulk business operations: the records are sent together and
     * acknowledged together (one wait for all acknowledgements, where a loop of {@link #emit} waits for each), and
     * events that go to the outbox are written together, in one transaction.
     *
     * <ol>
     *   <li>Every request is validated first, as {@link #emit} validates one. If any is invalid, nothing is sent or
     *       written and a {@link BatchEmitException} with {@link ErrorCode#INVALID_BATCH} lists each invalid request
     *       (its index in iteration order, definition key, event id) with its own error.</li>
     *   <li>Each request is then routed as {@link #emit} would route it. The requests for Kafka are all sent, then
     *       their acknowledgements are awaited, within the configured delivery timeout plus a small margin for the
     *       whole batch. The requests for the outbox (the policy says {@code outbox=always}; the circuit is open and
     *       the policy allows the fallback; strict ordering and their key has parked events) are written in one
     *       transaction: the caller's when there is one, so that they commit or roll back with it as one.</li>
     *   <li>The circuit breaker sees the batch as one call: the whole batch goes to Kafka, or (circuit open) the whole
     *       batch takes the circuit-open path; a batch with an infrastructure failure counts as one failure.</li>
     *   <li>Order: events of one partition key keep their iteration order, among themselves and after events emitted
     *       before. With strict outbox ordering ({@code STREAMING_OUTBOX_ORDERING=strict}, the default) a request
     *       whose key has an earlier request of the batch in the outbox goes to the outbox too.</li>
     * </ol>
     *
     * <p>A request that fails does not stop the others, which were sent with it: later requests of its key may have
     * been delivered, so a retry of the failed one lands after them.
     *
     * @param requests the requests, in emit order; must not be {@code null} nor hold {@code null}; empty does nothing
     * @throws BatchEmitException {@link ErrorCode#INVALID_BATCH} when a request is invalid (nothing was sent);
     *         {@link ErrorCode#BATCH_EMIT_FAILED} when requests failed (each listed with the error {@link #emit} would
     *         have thrown for it; every request not listed was accepted). An outbox transaction that fails fails every
     *         request of the batch routed to the outbox, with the same error.
     * @throws StreamingException {@link ErrorCode#EMITTER_CLOSED} after {@link #close()}; nothing was sent
     * @throws NullPointerException when {@code requests} is or holds {@code null}
     */
    void emitAll(Collection<EmitRequest> requests);

    /**
     * Reports whether events can currently be delivered.
     *
     * @return the health; never {@code null}
     */
    Health health();

    /**
     * Flushes what is buffered (within the configured close timeout) and releases the emitter. Idempotent; later
     * calls do nothing. After close, {@link #emit(EmitRequest)} fails with {@link ErrorCode#EMITTER_CLOSED}.
     */
    @Override
    void close();
}
