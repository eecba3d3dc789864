package studio.lerian.streaming;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Optional;
import studio.lerian.streaming.internal.HeaderValues;
import studio.lerian.streaming.internal.PayloadSerializers;

/**
 * One event to emit: which definition, for which tenant, with which payload. Immutable; the payload is copied in and
 * out. The payload is JSON bytes: given as bytes or text, or written from a typed value by
 * {@link Builder#payload(Object)} when the request is built, and read back by {@link #payloadAs(Class)}. The
 * definition (resolved from the catalog at emit time) supplies the contract; the request cannot override
 * source, types, schema version or content type.
 *
 * <pre>{@code
 * emitter.emit(EmitRequest.builder("transaction.created")
 *         .tenantId("t-abc")
 *         .subject("tx-123")
 *         .payload("{\"amount\":100}")
 *         .build());
 *
 * emitter.emit(EmitRequest.builder("transaction.created")
 *         .tenantId("t-abc")
 *         .payload(new TransactionCreated("tx-123", 100)) // written as JSON here, by the chosen serializer
 *         .build());
 * }</pre>
 */
public final class EmitRequest {

    /** The largest payload accepted, in bytes: {@value} (1 MiB). */
    public static final int MAX_PAYLOAD_BYTES = 1_048_576;

    static final int MAX_TENANT_ID_BYTES = 256;
    static final int MAX_SUBJECT_BYTES = 1024;
    static final int MAX_EVENT_ID_BYTES = 256;

    private static final byte[] NO_PAYLOAD = new byte[0];

    static {
        studio.lerian.streaming.internal.PayloadArrays.registerRequest(r -> r.payload);
    }

    private final String definitionKey;
    private final String tenantId;
    private final String subject;
    private final String eventId;
    private final OffsetDateTime timestamp;
    private final byte[] payload;
    private final DeliveryPolicyOverride policyOverride;

    private EmitRequest(Builder b) {
        this.definitionKey = b.definitionKey;
        this.tenantId = b.tenantId == null ? "" : b.tenantId;
        this.subject = b.subject == null ? "" : b.subject;
        this.eventId = b.eventId == null ? "" : b.eventId;
        this.timestamp = b.timestamp;
        this.payload = b.payload == null ? NO_PAYLOAD : b.payload;
        this.policyOverride = b.policyOverride == null ? DeliveryPolicyOverride.none() : b.policyOverride;
    }

    /**
     * Starts a request.
     *
     * @param definitionKey the catalog key of the event's definition; required (checked by {@link Builder#build()})
     * @return a new builder
     */
    public static Builder builder(String definitionKey) {
        return new Builder(definitionKey);
    }

    /** @return a builder holding this request's values */
    public Builder toBuilder() {
        Builder b = new Builder(definitionKey).tenantId(tenantId).subject(subject).eventId(eventId)
                .timestamp(timestamp).policyOverride(policyOverride);
        b.payload = payload;
        return b;
    }

    /** @return the definition key, never {@code null} */
    public String definitionKey() {
        return definitionKey;
    }

    /** @return the tenant id, empty when unset (required for non-system events) */
    public String tenantId() {
        return tenantId;
    }

    /** @return the subject ({@code ce-subject}), empty when unset */
    public String subject() {
        return subject;
    }

    /** @return the event id, empty when unset (the emitter then assigns a UUIDv7) */
    public String eventId() {
        return eventId;
    }

    /** @return the event time, empty when unset (the emitter then uses the current time in UTC) */
    public Optional<OffsetDateTime> timestamp() {
        return Optional.ofNullable(timestamp);
    }

    /** @return a copy of the payload bytes, never {@code null} (empty when unset) */
    public byte[] payload() {
        return payload.length == 0 ? NO_PAYLOAD : payload.clone();
    }

    /** @return a read-only view of the payload, without copying */
    public ByteBuffer payloadBuffer() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** @return the payload size in bytes */
    public int payloadSize() {
        return payload.length;
    }

    /** @return the payload decoded as UTF-8 */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /**
     * Reads the payload as a value of a type: the reverse of {@link Builder#payload(Object)}. {@code String} gives the
     * JSON text ({@link #payloadAsString()}) and {@code byte[]} a copy of the bytes ({@link #payload()}), never a
     * decoded JSON string; any other type is read by the serializer {@link Builder#payload(Object)} uses.
     *
     * @param type the type to read; must not be {@code null}
     * @param <T> the type
     * @return the value; {@code null} when the payload is JSON {@code null}
     * @throws StreamingException {@link ErrorCode#PAYLOAD_NOT_READABLE} when the payload (an empty one included) cannot
     *         be read as that type, or {@link ErrorCode#NO_PAYLOAD_SERIALIZER} when no serializer is available
     */
    public <T> T payloadAs(Class<T> type) {
        java.util.Objects.requireNonNull(type, "type");
        if (type == String.class) {
            return type.cast(payloadAsString());
        }
        if (type == byte[].class) {
            return type.cast(payload());
        }
        if (payload.length == 0) {
            throw new StreamingException(ErrorCode.PAYLOAD_NOT_READABLE, type.getName() + " (empty payload)");
        }
        return PayloadSerializers.fromJson(payload, type);
    }

    /** @return the call's policy override, {@link DeliveryPolicyOverride#none()} when unset */
    public DeliveryPolicyOverride policyOverride() {
        return policyOverride;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmitRequest r && definitionKey.equals(r.definitionKey) && tenantId.equals(r.tenantId)
                && subject.equals(r.subject) && eventId.equals(r.eventId)
                && java.util.Objects.equals(timestamp, r.timestamp) && Arrays.equals(payload, r.payload)
                && policyOverride.equals(r.policyOverride);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(definitionKey, tenantId, subject, eventId, timestamp);
    }

    /** The tenant id is included; the payload is not (it may hold personal data). */
    @Override
    public String toString() {
        return "EmitRequest{definitionKey=" + definitionKey + ", tenantId=" + tenantId + ", subject=" + subject
                + ", eventId=" + eventId + ", payloadBytes=" + payload.length + "}";
    }

    /** Builds an {@link EmitRequest}. Not thread-safe; {@code null} for any optional value means unset. */
    public static final class Builder {
        private final String definitionKey;
        private String tenantId;
        private String subject;
        private String eventId;
        private OffsetDateTime timestamp;
        private byte[] payload;
        private DeliveryPolicyOverride policyOverride;

        private Builder(String definitionKey) {
            this.definitionKey = definitionKey;
        }

        /**
         * @param tenantId the tenant, which is also the partition key; at most 256 UTF-8 bytes, no control characters;
         *        required for non-system events
         * @return this builder
         */
        public Builder tenantId(String tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        /**
         * @param subject the subject within the resource, e.g. an entity id; at most 1024 UTF-8 bytes
         * @return this builder
         */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        /**
         * @param eventId the event id; at most 256 UTF-8 bytes; default a new UUIDv7
         * @return this builder
         */
        public Builder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        /**
         * @param timestamp the event time, kept with its offset; default the emit time in UTC
         * @return this builder
         */
        public Builder timestamp(OffsetDateTime timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        /**
         * @param payload the JSON payload bytes, copied; sent unchanged as the record value
         * @return this builder
         */
        public Builder payload(byte[] payload) {
            this.payload = payload == null ? null : payload.clone();
            return this;
        }

        /**
         * @param json the JSON payload, encoded as UTF-8
         * @return this builder
         */
        public Builder payload(String json) {
            this.payload = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * Sets the payload from a typed value, written as JSON now, when this method is called: the request holds only
         * the bytes, so validation, the size limit, the outbox and the record see exactly what a byte payload would
         * give.
         *
         * <ul>
         * <li>{@code null} clears the payload, as {@link #payload(byte[])} does;</li>
         * <li>a {@code byte[]} is taken as {@link #payload(byte[])} takes it, and a {@code String} as
         * {@link #payload(String)} takes it: as JSON already, byte for byte. A {@code String} held in an {@code Object}
         * variable is therefore sent as JSON text, not re-quoted as a JSON string;</li>
         * <li>any other value is written by the {@link studio.lerian.streaming.spi.PayloadSerializer} chosen for the
         * calling thread's context class loader: JSON-B when the runtime has it, else Jackson (both with
         * {@code streaming-json}), unless the application registered one of higher priority.</li>
         * </ul>
         *
         * @param value the payload value
         * @return this builder
         * @throws StreamingException {@link ErrorCode#PAYLOAD_NOT_SERIALIZABLE} when the serializer cannot write the
         *         value (the message names its class, never its content), or {@link ErrorCode#NO_PAYLOAD_SERIALIZER}
         *         when no serializer is available (the message names the dependency to add)
         */
        public Builder payload(Object value) {
            if (value == null) {
                this.payload = null;
            } else if (value instanceof byte[] bytes) {
                payload(bytes);
            } else if (value instanceof String json) {
                payload(json);
            } else {
                this.payload = PayloadSerializers.toJson(value);
            }
            return this;
        }

        /**
         * @param override a policy override applied on top of the definition's and the deployment's policy
         * @return this builder
         */
        public Builder policyOverride(DeliveryPolicyOverride override) {
            this.policyOverride = override;
            return this;
        }

        /**
         * Applies the rules that need no catalog, in this order: definition key present; key, tenant id, subject and
         * event id within their byte limits and free of control characters; payload at most
         * {@value #MAX_PAYLOAD_BYTES} bytes. (Policy override modes were checked when the override was built.) JSON
         * validity, the catalog and the tenant rule are checked by the emitter.
         *
         * @return the request
         * @throws StreamingException {@link ErrorCode#INVALID_EVENT_DEFINITION} (empty or malformed key),
         *         {@link ErrorCode#INVALID_TENANT_ID}, {@link ErrorCode#INVALID_SUBJECT},
         *         {@link ErrorCode#INVALID_EVENT_ID} or {@link ErrorCode#PAYLOAD_TOO_LARGE}
         */
        public EmitRequest build() {
            if (definitionKey == null || definitionKey.isEmpty()) {
                throw new StreamingException(ErrorCode.INVALID_EVENT_DEFINITION, "empty definition key");
            }
            if (!HeaderValues.isValid(definitionKey, EventDefinition.MAX_KEY_BYTES)) {
                throw new StreamingException(ErrorCode.INVALID_EVENT_DEFINITION,
                        "definition key contains control chars or exceeds " + EventDefinition.MAX_KEY_BYTES + " bytes");
            }
            if (!HeaderValues.isValid(tenantId, MAX_TENANT_ID_BYTES)) {
                throw new StreamingException(ErrorCode.INVALID_TENANT_ID);
            }
            if (!HeaderValues.isValid(subject, MAX_SUBJECT_BYTES)) {
                throw new StreamingException(ErrorCode.INVALID_SUBJECT);
            }
            if (!HeaderValues.isValid(eventId, MAX_EVENT_ID_BYTES)) {
                throw new StreamingException(ErrorCode.INVALID_EVENT_ID);
            }
            if (payload != null && payload.length > MAX_PAYLOAD_BYTES) {
                throw new StreamingException(ErrorCode.PAYLOAD_TOO_LARGE,
                        payload.length + " bytes (max " + MAX_PAYLOAD_BYTES + ")");
            }
            return new EmitRequest(this);
        }
    }
}
