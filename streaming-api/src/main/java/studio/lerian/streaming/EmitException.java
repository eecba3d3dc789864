package studio.lerian.streaming;

import java.util.Objects;
import studio.lerian.streaming.internal.Sanitizer;

/**
 * A publish to Kafka failed. Carries the failure's {@link ErrorClass} and the event's coordinates. Thrown by
 * {@link Emitter#emit(EmitRequest)} even when a copy of the event was written to the dead-letter topic.
 *
 * <p>The message is {@code streaming emit failed: class=<class> topic=<topic> resource=<resource> event=<event>},
 * followed by {@code ": "} and the cause's message with credentials masked. The tenant id is deliberately not in the
 * message (it is available from {@link #tenantId()}).
 */
public class EmitException extends StreamingException {

    private static final long serialVersionUID = 1L;

    private final ErrorClass errorClass;
    private final String topic;
    private final String resourceType;
    private final String eventType;
    private final String tenantId;

    /**
     * Creates the exception.
     *
     * @param errorClass the failure class; must not be {@code null}
     * @param topic the destination topic; {@code null} is taken as empty
     * @param resourceType the event's resource type; {@code null} is taken as empty
     * @param eventType the event's event type; {@code null} is taken as empty
     * @param tenantId the event's tenant id; {@code null} is taken as empty
     * @param cause the underlying failure; may be {@code null}
     */
    public EmitException(ErrorClass errorClass, String topic, String resourceType, String eventType, String tenantId,
            Throwable cause) {
        super(ErrorCode.EMIT_FAILED, message(Objects.requireNonNull(errorClass, "errorClass"), topic, resourceType,
                eventType, cause), cause, true);
        this.errorClass = errorClass;
        this.topic = nz(topic);
        this.resourceType = nz(resourceType);
        this.eventType = nz(eventType);
        this.tenantId = nz(tenantId);
    }

    /** @return the failure class, never {@code null} */
    public ErrorClass errorClass() {
        return errorClass;
    }

    /** @return the destination topic, never {@code null} */
    public String topic() {
        return topic;
    }

    /** @return the event's resource type, never {@code null} */
    public String resourceType() {
        return resourceType;
    }

    /** @return the event's event type, never {@code null} */
    public String eventType() {
        return eventType;
    }

    /** @return the event's tenant id, never {@code null} (empty for system events without tenant) */
    public String tenantId() {
        return tenantId;
    }

    private static String message(ErrorClass c, String topic, String resource, String event, Throwable cause) {
        StringBuilder sb = new StringBuilder(ErrorCode.EMIT_FAILED.message())
                .append(": class=").append(c.wire())
                .append(" topic=").append(nz(topic))
                .append(" resource=").append(nz(resource))
                .append(" event=").append(nz(event));
        if (cause != null) {
            sb.append(": ").append(Sanitizer.describe(cause));
        }
        return sb.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
