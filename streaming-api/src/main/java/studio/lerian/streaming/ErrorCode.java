package studio.lerian.streaming;

/**
 * The identity of every failure this library reports, with the exact message text of the Go library's sentinel of the
 * same meaning, so that logs and alerts read the same in both languages.
 *
 * <p>{@link #isCallerError()} tells whether the caller (or the deployment's configuration) can correct the fault; see
 * {@link StreamingErrors#isCallerError(Throwable)} for the rule applied to a whole cause chain.
 */
public enum ErrorCode {

    // ---- caller-correctable: request and event fields ----
    /** A non-system event was emitted without a tenant id. */
    MISSING_TENANT_ID("streaming: tenant_id required for non-system events", true),
    /** A system event was emitted by an emitter that was not allowed to emit system events. */
    SYSTEM_EVENTS_NOT_ALLOWED(
            "streaming: system events not permitted; construct Producer with WithAllowSystemEvents()", true),
    /** No CloudEvents source is configured. */
    MISSING_SOURCE("streaming: Event.Source required (CloudEvents ce-source)", true),
    /** The event has no resource type. */
    MISSING_RESOURCE_TYPE("streaming: Event.ResourceType required", true),
    /** The event has no event type. */
    MISSING_EVENT_TYPE("streaming: Event.EventType required", true),
    /** Tenant id longer than 256 UTF-8 bytes or containing a control character. */
    INVALID_TENANT_ID("streaming: Event.TenantID contains control chars or exceeds 256 bytes", true),
    /** Resource type too long, with a control character, or outside Kafka's topic alphabet. */
    INVALID_RESOURCE_TYPE("streaming: Event.ResourceType contains control chars or exceeds 128 bytes", true),
    /** Event type too long, with a control character, or outside Kafka's topic alphabet. */
    INVALID_EVENT_TYPE("streaming: Event.EventType contains control chars or exceeds 128 bytes", true),
    /** CloudEvents source longer than 2048 UTF-8 bytes or containing a control character. */
    INVALID_SOURCE("streaming: Event.Source contains control chars or exceeds 2048 bytes", true),
    /** Subject longer than 1024 UTF-8 bytes or containing a control character. */
    INVALID_SUBJECT("streaming: Event.Subject contains control chars or exceeds 1024 bytes", true),
    /** Event id longer than 256 UTF-8 bytes or containing a control character. */
    INVALID_EVENT_ID("streaming: Event.EventID contains control chars or exceeds 256 bytes", true),
    /** Schema version longer than 64 UTF-8 bytes or containing a control character. */
    INVALID_SCHEMA_VERSION("streaming: Event.SchemaVersion contains control chars or exceeds 64 bytes", true),
    /** Data content type longer than 256 UTF-8 bytes or containing a control character. */
    INVALID_DATA_CONTENT_TYPE("streaming: Event.DataContentType contains control chars or exceeds 256 bytes", true),
    /** Data schema longer than 2048 UTF-8 bytes or containing a control character. */
    INVALID_DATA_SCHEMA("streaming: Event.DataSchema contains control chars or exceeds 2048 bytes", true),

    // ---- caller-correctable: catalog and policy ----
    /** An event definition (or a request's definition key) is malformed. */
    INVALID_EVENT_DEFINITION("streaming: invalid event definition", true),
    /** Two definitions share a key or a (resource type, event type, schema version) contract. */
    DUPLICATE_EVENT_DEFINITION("streaming: duplicate event definition", true),
    /** The definition key is not in the catalog. */
    UNKNOWN_EVENT_DEFINITION("streaming: unknown event definition", true),
    /** A delivery policy or policy override is malformed or inconsistent. */
    INVALID_DELIVERY_POLICY("streaming: invalid delivery policy", true),
    /** Kept for parity with the Go library's publisher descriptors; not produced by this library today. */
    INVALID_PUBLISHER_DESCRIPTOR("streaming: invalid publisher descriptor", true),
    /** The resolved delivery policy disables the event. */
    EVENT_DISABLED("streaming: event disabled by delivery policy", true),

    // ---- caller-correctable: payload ----
    /** The payload is larger than {@link EmitRequest#MAX_PAYLOAD_BYTES}. */
    PAYLOAD_TOO_LARGE("streaming: payload exceeds max size (1 MiB)", true),
    /** The payload is not one syntactically valid JSON value. */
    NOT_JSON("streaming: payload must be valid JSON", true),
    /**
     * A typed payload ({@link EmitRequest.Builder#payload(Object)}) that the JSON serializer cannot write; the message
     * names the value's class, never its content. Not in the Go library, which takes JSON bytes only.
     */
    PAYLOAD_NOT_SERIALIZABLE("streaming: payload cannot be serialized as JSON", true),
    /**
     * A payload that cannot be read as the type asked of {@link EmitRequest#payloadAs(Class)}. Not in the Go library.
     */
    PAYLOAD_NOT_READABLE("streaming: payload cannot be read as the requested type", true),
    /** An outbox envelope is malformed (wrong version, topic mismatch, missing aggregate id). */
    INVALID_OUTBOX_ENVELOPE("streaming: invalid outbox envelope", true),

    // ---- caller-correctable: batches ----
    /**
     * {@link Emitter#emitAll} refused a batch before sending anything, because at least one of its requests is
     * invalid; {@link BatchEmitException#failures()} names each invalid request and its own error.
     */
    INVALID_BATCH("streaming: invalid emit batch", true),

    // ---- caller-correctable: configuration (deployment faults) ----
    /** Streaming is enabled but no broker is configured. */
    MISSING_BROKERS("streaming: STREAMING_BROKERS required when ENABLED=true", true),
    /** {@code STREAMING_COMPRESSION} is not one of the accepted codecs. */
    INVALID_COMPRESSION("streaming: invalid compression codec", true),
    /** {@code STREAMING_REQUIRED_ACKS} is not one of the accepted values. */
    INVALID_ACKS("streaming: invalid required-acks value", true),
    /** A configuration value is out of range or unparsable. */
    INVALID_CONFIG_FIELD("streaming: invalid config field value", true),
    /** TLS settings are unusable (for example a CA certificate that is not base64 PEM). */
    INVALID_TLS_CONFIG("streaming: invalid TLS config", true),
    /** Unknown SASL mechanism, or a mechanism without user name or password. */
    INVALID_SASL_MECHANISM("streaming: invalid SASL mechanism", true),
    /** SASL was configured without TLS and plaintext SASL was not explicitly allowed. */
    PLAINTEXT_SASL_NOT_ALLOWED("streaming: SASL without TLS is not allowed", true),
    /**
     * The deployment has more than one {@code @Default} outbox writer or store bean, so the library cannot tell which
     * one holds its outbox. The message names the beans.
     */
    AMBIGUOUS_OUTBOX_BEANS("streaming: ambiguous outbox beans", true),
    /**
     * A typed payload was given but no JSON serializer is on the class path (see
     * {@link studio.lerian.streaming.spi.PayloadSerializer}); the message names the dependency to add. A deployment
     * fault, which a retry does not cure. Not in the Go library.
     */
    NO_PAYLOAD_SERIALIZER("streaming: no JSON serializer for typed payloads", true),
    /**
     * An outbox administration request is malformed: an empty selection, a status the operation does not act on, a
     * duration that is not positive, a page size out of range, no operator named.
     */
    INVALID_ADMIN_REQUEST("streaming: invalid outbox admin request", true),

    // ---- caller-correctable: dead-letter re-drive (this library only) ----
    /** A dead-letter re-drive request is malformed (no topic, no operator, an empty time range, ...). */
    INVALID_REDRIVE_REQUEST("streaming: invalid dead-letter re-drive request", true),
    /**
     * A dead-letter re-drive was refused because it would put events of a key behind newer events of that key on the
     * source topic (or could not rule that out), and the request did not accept it. The message names the keys.
     */
    REDRIVE_OUT_OF_ORDER("streaming: dead-letter re-drive would reorder events of a key", true),

    // ---- infrastructure: not the caller's fault ----
    /** The emitter was closed; nothing was sent. */
    EMITTER_CLOSED("streaming: emitter is closed", false),
    /** Kept for parity with the Go library (a nil producer); not produced by this library today. */
    NIL_PRODUCER("streaming: nil producer", false),
    /** The circuit breaker is open and the policy allows no outbox fallback. */
    CIRCUIT_OPEN("streaming: circuit breaker open", false),
    /** The policy routes the event to an outbox, but no outbox is wired. */
    OUTBOX_NOT_CONFIGURED("streaming: outbox writer not configured for fallback", false),
    /** The outbox cannot join the caller's transaction. */
    OUTBOX_TX_UNSUPPORTED("streaming: outbox writer does not support ambient transactions", false),
    /** Kept for parity with the Go library (a nil relay registry); not produced by this library today. */
    NIL_OUTBOX_REGISTRY("streaming: outbox registry is nil", false),
    /** Writing the outbox row failed (database unavailable, transaction rolled back, ...). */
    OUTBOX_WRITE_FAILED("streaming: outbox write", false),
    /**
     * The outbox relay has completed no poll for longer than it may (its polls keep failing, or one never ends): parked
     * events are not being published. A {@link Health} cause, never thrown.
     */
    OUTBOX_RELAY_STALLED("streaming: outbox relay stalled", false),
    /** The outbox envelope carries a version this library does not read. */
    UNSUPPORTED_OUTBOX_ENVELOPE_VERSION("streaming: unsupported outbox envelope version", false),
    /** Publishing to Kafka failed; see {@link EmitException#errorClass()} for the class and caller-ness. */
    EMIT_FAILED("streaming emit failed", false),
    /**
     * Some requests of an {@link Emitter#emitAll} batch were not accepted (the others were); see
     * {@link BatchEmitException#failures()}. A caller error exactly when every failure is one.
     */
    BATCH_EMIT_FAILED("streaming batch emit failed", false),
    /**
     * A dead-letter re-drive stopped because Kafka failed a read or a send; the exception carries what was sent and
     * where to resume.
     */
    REDRIVE_FAILED("streaming: dead-letter re-drive failed", false),
    /** A consumed record carries a CloudEvents spec version other than {@code 1.0}. */
    UNSUPPORTED_SPEC_VERSION("streaming: unsupported CloudEvents specversion", false),
    /** A consumed record lacks a required CloudEvents header. */
    MISSING_REQUIRED_HEADER("streaming: missing required CloudEvents header", false),
    /** A consumed record carries a header value that cannot be read (for example a bad {@code ce-time}). */
    INVALID_HEADER("streaming: invalid CloudEvents header", false);

    private final String message;
    private final boolean callerError;

    ErrorCode(String message, boolean callerError) {
        this.message = message;
        this.callerError = callerError;
    }

    /**
     * The message text, identical to the Go library's sentinel text.
     *
     * @return the message, never {@code null}
     */
    public String message() {
        return message;
    }

    /**
     * Whether a failure with this code is the caller's (or the deployment's) to correct. {@link #EMIT_FAILED} answers
     * {@code false} here; its caller-ness depends on {@link EmitException#errorClass()}. {@link #BATCH_EMIT_FAILED}
     * answers {@code false} too; its caller-ness depends on the batch's failures.
     *
     * @return {@code true} for caller-correctable codes
     */
    public boolean isCallerError() {
        return callerError;
    }
}
