package studio.lerian.streaming.wire;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Objects;
import studio.lerian.streaming.internal.PayloadArrays;

/**
 * An event after resolution: the request's fields, the definition's contract and the deployment's source, with every
 * default applied. This is what goes on the wire and into an outbox envelope; its fields mirror the Go library's
 * {@code Event} in name and order. Immutable.
 */
public final class ResolvedEvent {

    /** The prefix of {@code ce-type}: {@code studio.lerian.}. */
    public static final String TYPE_PREFIX = "studio.lerian.";

    /** The prefix of a system event's partition key: {@code system:}. */
    public static final String SYSTEM_KEY_PREFIX = "system:";

    private final String tenantId;
    private final String resourceType;
    private final String eventType;
    private final String eventId;
    private final String schemaVersion;
    private final OffsetDateTime timestamp;
    private final String source;
    private final String subject;
    private final String dataContentType;
    private final String dataSchema;
    private final boolean systemEvent;
    private final byte[] payload;

    static {
        PayloadArrays.registerEvent(e -> e.payload, (b, bytes) -> {
            b.payload = bytes;
            b.payloadAdopted = true;
        });
    }

    private ResolvedEvent(Builder b) {
        this.tenantId = nz(b.tenantId);
        this.resourceType = nz(b.resourceType);
        this.eventType = nz(b.eventType);
        this.eventId = nz(b.eventId);
        this.schemaVersion = nz(b.schemaVersion);
        this.timestamp = Objects.requireNonNull(b.timestamp, "timestamp");
        this.source = nz(b.source);
        this.subject = nz(b.subject);
        this.dataContentType = nz(b.dataContentType);
        this.dataSchema = nz(b.dataSchema);
        this.systemEvent = b.systemEvent;
        this.payload = b.payload == null ? new byte[0] : b.payloadAdopted ? b.payload : b.payload.clone();
    }

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this event's fields */
    public Builder toBuilder() {
        return new Builder().tenantId(tenantId).resourceType(resourceType).eventType(eventType).eventId(eventId)
                .schemaVersion(schemaVersion).timestamp(timestamp).source(source).subject(subject)
                .dataContentType(dataContentType).dataSchema(dataSchema).systemEvent(systemEvent).payload(payload);
    }

    /** @return the tenant id, never {@code null} (empty when none) */
    public String tenantId() {
        return tenantId;
    }

    /** @return the resource type, never {@code null} */
    public String resourceType() {
        return resourceType;
    }

    /** @return the event type, never {@code null} */
    public String eventType() {
        return eventType;
    }

    /** @return the event id ({@code ce-id}), never {@code null} */
    public String eventId() {
        return eventId;
    }

    /** @return the schema version, never {@code null} */
    public String schemaVersion() {
        return schemaVersion;
    }

    /** @return the event time with the offset it was given, never {@code null} */
    public OffsetDateTime timestamp() {
        return timestamp;
    }

    /** @return the CloudEvents source, never {@code null} */
    public String source() {
        return source;
    }

    /** @return the subject, never {@code null} (empty when none) */
    public String subject() {
        return subject;
    }

    /** @return the data content type, never {@code null} */
    public String dataContentType() {
        return dataContentType;
    }

    /** @return the data schema URI, never {@code null} (empty when none) */
    public String dataSchema() {
        return dataSchema;
    }

    /** @return whether this is a system event (partitioned by event type, not tenant) */
    public boolean systemEvent() {
        return systemEvent;
    }

    /** @return a copy of the payload bytes, never {@code null} */
    public byte[] payload() {
        return payload.clone();
    }

    /** @return the payload size in bytes */
    public int payloadSize() {
        return payload.length;
    }

    /** @return {@code ce-type}: {@code studio.lerian.<resourceType>.<eventType>} */
    public String type() {
        return TYPE_PREFIX + resourceType + "." + eventType;
    }

    /** @return {@code ce-time}: the timestamp in {@link CloudEventsTime} form */
    public String time() {
        return CloudEventsTime.format(timestamp);
    }

    /** @return the topic, see {@link Topics#topic(String, String, String)} */
    public String topic() {
        return Topics.topic(resourceType, eventType, schemaVersion);
    }

    /** @return the dead-letter topic: {@link #topic()} followed by {@code .dlq} */
    public String dlqTopic() {
        return Topics.dlqTopic(topic());
    }

    /**
     * The Kafka record key: the tenant id, or {@code system:<eventType>} for a system event. Events with the same key
     * land on the same partition, in order.
     *
     * @return the partition key, never {@code null}
     */
    public String partitionKey() {
        return systemEvent ? SYSTEM_KEY_PREFIX + eventType : tenantId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolvedEvent e && systemEvent == e.systemEvent && tenantId.equals(e.tenantId)
                && resourceType.equals(e.resourceType) && eventType.equals(e.eventType) && eventId.equals(e.eventId)
                && schemaVersion.equals(e.schemaVersion) && timestamp.equals(e.timestamp) && source.equals(e.source)
                && subject.equals(e.subject) && dataContentType.equals(e.dataContentType)
                && dataSchema.equals(e.dataSchema) && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, tenantId, resourceType, eventType, timestamp);
    }

    @Override
    public String toString() {
        return "ResolvedEvent{type=" + type() + ", id=" + eventId + ", tenant=" + tenantId + ", time=" + time()
                + ", payloadBytes=" + payload.length + "}";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Builds a {@link ResolvedEvent}. Applies no defaults and no validation. Not thread-safe. */
    public static final class Builder {
        private String tenantId;
        private String resourceType;
        private String eventType;
        private String eventId;
        private String schemaVersion;
        private OffsetDateTime timestamp;
        private String source;
        private String subject;
        private String dataContentType;
        private String dataSchema;
        private boolean systemEvent;
        private byte[] payload;
        /** Set through {@link PayloadArrays#adopt}: the array is held as it is. */
        private boolean payloadAdopted;

        private Builder() {
        }

        /** @param v tenant id; {@code null} is empty @return this builder */
        public Builder tenantId(String v) {
            this.tenantId = v;
            return this;
        }

        /** @param v resource type @return this builder */
        public Builder resourceType(String v) {
            this.resourceType = v;
            return this;
        }

        /** @param v event type @return this builder */
        public Builder eventType(String v) {
            this.eventType = v;
            return this;
        }

        /** @param v event id @return this builder */
        public Builder eventId(String v) {
            this.eventId = v;
            return this;
        }

        /** @param v schema version @return this builder */
        public Builder schemaVersion(String v) {
            this.schemaVersion = v;
            return this;
        }

        /** @param v event time; required @return this builder */
        public Builder timestamp(OffsetDateTime v) {
            this.timestamp = v;
            return this;
        }

        /** @param v CloudEvents source @return this builder */
        public Builder source(String v) {
            this.source = v;
            return this;
        }

        /** @param v subject @return this builder */
        public Builder subject(String v) {
            this.subject = v;
            return this;
        }

        /** @param v data content type @return this builder */
        public Builder dataContentType(String v) {
            this.dataContentType = v;
            return this;
        }

        /** @param v data schema URI @return this builder */
        public Builder dataSchema(String v) {
            this.dataSchema = v;
            return this;
        }

        /** @param v whether this is a system event @return this builder */
        public Builder systemEvent(boolean v) {
            this.systemEvent = v;
            return this;
        }

        /** @param v payload bytes, copied; {@code null} is empty @return this builder */
        public Builder payload(byte[] v) {
            this.payload = v;
            this.payloadAdopted = false;
            return this;
        }

        /**
         * @return the event (the payload is copied)
         * @throws NullPointerException when no timestamp was set
         */
        public ResolvedEvent build() {
            return new ResolvedEvent(this);
        }
    }
}
