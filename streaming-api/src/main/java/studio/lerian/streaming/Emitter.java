package studio.lerian.streaming;

/**
 * Publishes domain events. Inject it ({@code @Inject Emitter emitter}) or build one through an implementation.
 * Implementations are thread-safe: any number of threads may call {@link #emit(EmitRequest)} at once.
 */
public interface Emitter extends AutoCloseable {

    /**
     * Emits one event and returns once it is safe: acknowledged by the broker, or (when the policy routes it there)
     * written to the outbox, inside the caller's transaction when there is one. Never blocks longer than the
     * configured delivery timeout plus a small margin.
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
