package studio.lerian.streaming;

import java.util.Objects;

/**
 * The root of every exception this library throws. Unchecked: a caller decides with
 * {@link StreamingErrors#isCallerError(Throwable)} (or {@link #code()}) whether to fix its request or retry later.
 *
 * <p>The message is {@link ErrorCode#message()}, followed by {@code ": "} and a detail when there is one. When the
 * exception wraps another {@code StreamingException} without a detail, the detail is the cause's message, which gives
 * the Go library's nested texts, e.g. {@code streaming: invalid event definition: streaming: Event.ResourceType required}.
 */
public class StreamingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * An exception with the code's message and no detail.
     *
     * @param code the error code; must not be {@code null}
     */
    public StreamingException(ErrorCode code) {
        this(code, null, null);
    }

    /**
     * An exception whose message is the code's message, {@code ": "} and the detail.
     *
     * @param code the error code; must not be {@code null}
     * @param detail the detail; {@code null} or empty for none
     */
    public StreamingException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    /**
     * An exception wrapping a cause. A {@code null} detail with a {@code StreamingException} cause takes the cause's
     * message as detail; with any other cause there is no detail.
     *
     * @param code the error code; must not be {@code null}
     * @param detail the detail; {@code null} for none (see above)
     * @param cause the cause; may be {@code null}
     */
    public StreamingException(ErrorCode code, String detail, Throwable cause) {
        super(compose(Objects.requireNonNull(code, "code"), detail, cause), cause);
        this.code = code;
    }

    /**
     * Protected constructor for subtypes that compose their own message.
     *
     * @param code the error code; must not be {@code null}
     * @param message the full message
     * @param cause the cause; may be {@code null}
     * @param composed marker to distinguish this constructor; ignored
     */
    protected StreamingException(ErrorCode code, String message, Throwable cause, boolean composed) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * The error code of this exception (not of its causes).
     *
     * @return the code, never {@code null}
     */
    public ErrorCode code() {
        return code;
    }

    private static String compose(ErrorCode code, String detail, Throwable cause) {
        String effective = detail;
        if ((effective == null || effective.isEmpty()) && cause instanceof StreamingException) {
            effective = cause.getMessage();
        }
        return effective == null || effective.isEmpty() ? code.message() : code.message() + ": " + effective;
    }
}
