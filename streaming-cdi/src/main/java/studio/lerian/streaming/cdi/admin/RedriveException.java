package studio.lerian.streaming.cdi.admin;

import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;

/**
 * A {@link DeadLetterRedrive} run that did not complete: refused ({@link ErrorCode#REDRIVE_OUT_OF_ORDER}, nothing
 * sent) or stopped by a Kafka failure ({@link ErrorCode#REDRIVE_FAILED}). {@link #result()} says what was read and
 * sent before it stopped, and where to resume.
 */
public final class RedriveException extends StreamingException {

    private static final long serialVersionUID = 1L;

    private final transient RedriveResult result;

    /**
     * @param code {@link ErrorCode#REDRIVE_OUT_OF_ORDER} or {@link ErrorCode#REDRIVE_FAILED}
     * @param detail what happened
     * @param result the run so far
     * @param cause the Kafka failure, or {@code null}
     */
    public RedriveException(ErrorCode code, String detail, RedriveResult result, Throwable cause) {
        super(code, detail, cause);
        this.result = result;
    }

    /** @return what the run read and sent before it stopped, and where to resume */
    public RedriveResult result() {
        return result;
    }
}
