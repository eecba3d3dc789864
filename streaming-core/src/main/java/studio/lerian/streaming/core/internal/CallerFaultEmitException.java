package studio.lerian.streaming.core.internal;

import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.ErrorClass;

/**
 * An {@link EmitException} whose class is the caller's to correct (serialization, validation, auth). A distinct type
 * so that the circuit breaker can skip it ({@code skipOn}): a bad record says nothing about the broker's health.
 */
public final class CallerFaultEmitException extends EmitException {

    private static final long serialVersionUID = 1L;

    CallerFaultEmitException(ErrorClass errorClass, String topic, String resourceType, String eventType,
            String tenantId, Throwable cause) {
        super(errorClass, topic, resourceType, eventType, tenantId, cause);
    }
}
