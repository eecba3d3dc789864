package studio.lerian.streaming;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Requests of an {@link Emitter#emitAll} batch were not accepted. One exception for the whole batch; each request
 * that was not accepted is a {@link Failure} carrying its position in the batch and its own error.
 *
 * <p>Two codes:
 * <ul>
 *   <li>{@link ErrorCode#INVALID_BATCH}: the batch was refused before anything was sent or written, because the
 *       requests listed are invalid; the other requests were valid but were not emitted either. Always a caller
 *       error;</li>
 *   <li>{@link ErrorCode#BATCH_EMIT_FAILED}: the requests listed failed; every request not listed was accepted
 *       (acknowledged by the broker or written to the outbox). {@link StreamingErrors#isCallerError(Throwable)} answers
 *       {@code true} exactly when every listed failure is itself a caller error.</li>
 * </ul>
 *
 * <p>The cause is the first failure's error, so that {@link StreamingErrors#hasCode} and
 * {@link StreamingErrors#emitException} see it; {@link #failures()} holds all of them. The message is the code's
 * message, then {@code ": <n> of <size> requests: "} and the first failures as
 * {@code #<index> definition=<key> event_id=<id>: <error>}, separated by {@code "; "} ({@value #LISTED_IN_MESSAGE} at
 * most, then {@code "; ... <k> more"}). Like {@link EmitException}, the message never holds a tenant id.
 */
public class BatchEmitException extends StreamingException {

    private static final long serialVersionUID = 1L;

    /** The most failures the message lists: {@value}. */
    public static final int LISTED_IN_MESSAGE = 5;

    private final int batchSize;
    private final List<Failure> failures;

    /**
     * Creates the exception.
     *
     * @param code {@link ErrorCode#INVALID_BATCH} or {@link ErrorCode#BATCH_EMIT_FAILED}
     * @param batchSize the number of requests in the batch; at least the number of failures
     * @param failures the requests that were not accepted, in batch order; not {@code null}, not empty
     * @throws IllegalArgumentException for another code, no failure, or a size smaller than the failures
     */
    public BatchEmitException(ErrorCode code, int batchSize, List<Failure> failures) {
        this(code, batchSize, List.copyOf(Objects.requireNonNull(failures, "failures")), true);
    }

    private BatchEmitException(ErrorCode code, int batchSize, List<Failure> failures, boolean copied) {
        super(checked(code, batchSize, failures), message(code, batchSize, failures), failures.get(0).cause(), copied);
        this.batchSize = batchSize;
        this.failures = failures;
    }

    /** @return the number of requests in the batch */
    public int batchSize() {
        return batchSize;
    }

    /** @return the requests that were not accepted, in batch order; unmodifiable, never empty */
    public List<Failure> failures() {
        return failures;
    }

    /** @return whether the batch was refused before anything was sent ({@link ErrorCode#INVALID_BATCH}) */
    public boolean nothingSent() {
        return code() == ErrorCode.INVALID_BATCH;
    }

    /**
     * Whether every failure is the caller's to correct: the answer of {@link StreamingErrors#isCallerError(Throwable)}
     * for this exception.
     *
     * @return {@code true} when each failure's error is a caller error
     */
    public boolean allCallerErrors() {
        for (Failure f : failures) {
            if (!StreamingErrors.isCallerError(f.cause())) {
                return false;
            }
        }
        return true;
    }

    private static ErrorCode checked(ErrorCode code, int batchSize, List<Failure> failures) {
        Objects.requireNonNull(code, "code");
        if (code != ErrorCode.INVALID_BATCH && code != ErrorCode.BATCH_EMIT_FAILED) {
            throw new IllegalArgumentException("not a batch code: " + code);
        }
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("a batch failure needs at least one failed request");
        }
        if (batchSize < failures.size()) {
            throw new IllegalArgumentException("batch size " + batchSize + " < " + failures.size() + " failures");
        }
        return code;
    }

    private static String message(ErrorCode code, int batchSize, List<Failure> failures) {
        checked(code, batchSize, failures);
        StringBuilder sb = new StringBuilder(code.message()).append(": ").append(failures.size()).append(" of ")
                .append(batchSize).append(" requests: ");
        int listed = Math.min(failures.size(), LISTED_IN_MESSAGE);
        for (int i = 0; i < listed; i++) {
            if (i > 0) {
                sb.append("; ");
            }
            Failure f = failures.get(i);
            sb.append('#').append(f.index()).append(" definition=").append(f.definitionKey());
            if (!f.eventId().isEmpty()) {
                sb.append(" event_id=").append(f.eventId());
            }
            sb.append(": ").append(f.cause().getMessage());
        }
        if (failures.size() > listed) {
            sb.append("; ... ").append(failures.size() - listed).append(" more");
        }
        return sb.toString();
    }

    /** One request of the batch that was not accepted. Immutable. */
    public static final class Failure implements Serializable {

        private static final long serialVersionUID = 1L;

        private final int index;
        private final String definitionKey;
        private final String eventId;
        private final StreamingException cause;

        /**
         * @param index the request's position in the batch's iteration order, from 0; not negative
         * @param definitionKey the request's definition key; {@code null} is taken as empty
         * @param eventId the event id: the request's, or the one the emitter gave it; {@code null} or empty when it
         *        has none yet (a request refused before defaults were applied)
         * @param cause why the request was not accepted; not {@code null}
         */
        public Failure(int index, String definitionKey, String eventId, StreamingException cause) {
            if (index < 0) {
                throw new IllegalArgumentException("index " + index);
            }
            this.index = index;
            this.definitionKey = definitionKey == null ? "" : definitionKey;
            this.eventId = eventId == null ? "" : eventId;
            this.cause = Objects.requireNonNull(cause, "cause");
        }

        /** @return the request's position in the batch, from 0 */
        public int index() {
            return index;
        }

        /** @return the request's definition key, never {@code null} */
        public String definitionKey() {
            return definitionKey;
        }

        /** @return the event id, empty when the request had none and was refused before one was given */
        public String eventId() {
            return eventId;
        }

        /** @return why the request was not accepted, the exception {@link Emitter#emit} would have thrown for it */
        public StreamingException cause() {
            return cause;
        }

        @Override
        public String toString() {
            return "#" + index + " definition=" + definitionKey + (eventId.isEmpty() ? "" : " event_id=" + eventId)
                    + ": " + cause.getMessage();
        }
    }
}
