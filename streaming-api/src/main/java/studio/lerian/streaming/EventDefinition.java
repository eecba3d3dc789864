package studio.lerian.streaming;

import java.util.Objects;
import studio.lerian.streaming.internal.HeaderValues;
import studio.lerian.streaming.wire.Topics;

/**
 * One kind of event an application may emit: its catalog key, its contract (resource type, event type, schema
 * version) and how it is delivered by default. Declared at start-up, validated when built, immutable.
 *
 * <pre>{@code
 * EventDefinition created = EventDefinition.builder("transaction.created")
 *         .resourceType("transaction")
 *         .eventType("created")
 *         .build();
 * }</pre>
 */
public final class EventDefinition {

    /** The default schema version: {@value}. */
    public static final String DEFAULT_SCHEMA_VERSION = "1.0.0";
    /** The default data content type: {@value}. */
    public static final String DEFAULT_DATA_CONTENT_TYPE = "application/json";

    static final int MAX_KEY_BYTES = 256;
    static final int MAX_TYPE_BYTES = 128;
    static final int MAX_SCHEMA_VERSION_BYTES = 64;
    static final int MAX_DATA_CONTENT_TYPE_BYTES = 256;
    static final int MAX_DATA_SCHEMA_BYTES = 2048;

    private final String key;
    private final String resourceType;
    private final String eventType;
    private final String schemaVersion;
    private final String dataContentType;
    private final String dataSchema;
    private final boolean systemEvent;
    private final String description;
    private final DeliveryPolicy defaultPolicy;
    private final String topic;

    private EventDefinition(Builder b) {
        this.key = b.key;
        this.resourceType = b.resourceType;
        this.eventType = b.eventType;
        this.schemaVersion = empty(b.schemaVersion) ? DEFAULT_SCHEMA_VERSION : b.schemaVersion;
        this.dataContentType = empty(b.dataContentType) ? DEFAULT_DATA_CONTENT_TYPE : b.dataContentType;
        this.dataSchema = b.dataSchema == null ? "" : b.dataSchema;
        this.systemEvent = b.systemEvent;
        this.description = b.description == null ? "" : b.description;
        this.defaultPolicy = b.defaultPolicy == null ? DeliveryPolicy.defaults() : b.defaultPolicy;
        this.topic = Topics.topic(resourceType, eventType, schemaVersion);
    }

    /**
     * Starts a definition.
     *
     * @param key the catalog key, conventionally lower-case and dot-delimited such as {@code transaction.created};
     *        required, at most 256 UTF-8 bytes, no control characters
     * @return a new builder
     */
    public static Builder builder(String key) {
        return new Builder(key);
    }

    /** @return the catalog key, never {@code null} */
    public String key() {
        return key;
    }

    /** @return the resource type, never {@code null} */
    public String resourceType() {
        return resourceType;
    }

    /** @return the event type, never {@code null} */
    public String eventType() {
        return eventType;
    }

    /** @return the schema version, {@value #DEFAULT_SCHEMA_VERSION} unless set */
    public String schemaVersion() {
        return schemaVersion;
    }

    /** @return the data content type, {@value #DEFAULT_DATA_CONTENT_TYPE} unless set */
    public String dataContentType() {
        return dataContentType;
    }

    /** @return the data schema URI, empty unless set */
    public String dataSchema() {
        return dataSchema;
    }

    /** @return whether events of this definition are system events (partitioned by event type, tenant optional) */
    public boolean systemEvent() {
        return systemEvent;
    }

    /** @return the human description, empty unless set */
    public String description() {
        return description;
    }

    /** @return the default delivery policy, {@link DeliveryPolicy#defaults()} unless set */
    public DeliveryPolicy defaultPolicy() {
        return defaultPolicy;
    }

    /** @return the topic of this definition's events, see {@link Topics#topic(String, String, String)} */
    public String topic() {
        return topic;
    }

    /** @return the dead-letter topic: {@link #topic()} followed by {@code .dlq} */
    public String dlqTopic() {
        return Topics.dlqTopic(topic);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventDefinition d && key.equals(d.key) && resourceType.equals(d.resourceType)
                && eventType.equals(d.eventType) && schemaVersion.equals(d.schemaVersion)
                && dataContentType.equals(d.dataContentType) && dataSchema.equals(d.dataSchema)
                && systemEvent == d.systemEvent && description.equals(d.description)
                && defaultPolicy.equals(d.defaultPolicy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, resourceType, eventType, schemaVersion);
    }

    @Override
    public String toString() {
        return "EventDefinition{key=" + key + ", topic=" + topic + ", schemaVersion=" + schemaVersion
                + (systemEvent ? ", systemEvent" : "") + ", policy=" + defaultPolicy + "}";
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    /** Builds an {@link EventDefinition}. Not thread-safe. */
    public static final class Builder {
        private final String key;
        private String resourceType;
        private String eventType;
        private String schemaVersion;
        private String dataContentType;
        private String dataSchema;
        private boolean systemEvent;
        private String description;
        private DeliveryPolicy defaultPolicy;

        private Builder(String key) {
            this.key = key;
        }

        /**
         * @param resourceType the resource type, e.g. {@code transaction}; required, at most 128 UTF-8 bytes of
         *        {@code [a-zA-Z0-9._-]}
         * @return this builder
         */
        public Builder resourceType(String resourceType) {
            this.resourceType = resourceType;
            return this;
        }

        /**
         * @param eventType the event type, e.g. {@code created}; required, at most 128 UTF-8 bytes of
         *        {@code [a-zA-Z0-9._-]}
         * @return this builder
         */
        public Builder eventType(String eventType) {
            this.eventType = eventType;
            return this;
        }

        /**
         * @param schemaVersion the schema version, default {@value #DEFAULT_SCHEMA_VERSION}; at most 64 bytes; a
         *        semantic-version major of 2 or more adds {@code .v<major>} to the topic
         * @return this builder
         */
        public Builder schemaVersion(String schemaVersion) {
            this.schemaVersion = schemaVersion;
            return this;
        }

        /**
         * @param dataContentType the content type, default {@value #DEFAULT_DATA_CONTENT_TYPE}; at most 256 bytes
         * @return this builder
         */
        public Builder dataContentType(String dataContentType) {
            this.dataContentType = dataContentType;
            return this;
        }

        /**
         * @param dataSchema the schema URI, default none; at most 2048 bytes
         * @return this builder
         */
        public Builder dataSchema(String dataSchema) {
            this.dataSchema = dataSchema;
            return this;
        }

        /**
         * @param systemEvent whether events are system events (keyed {@code system:<eventType>}, tenant optional);
         *        default {@code false}. Emitting them needs the emitter's explicit opt-in.
         * @return this builder
         */
        public Builder systemEvent(boolean systemEvent) {
            this.systemEvent = systemEvent;
            return this;
        }

        /**
         * @param description a human description; not validated
         * @return this builder
         */
        public Builder description(String description) {
            this.description = description;
            return this;
        }

        /**
         * @param defaultPolicy the default delivery policy; {@code null} means {@link DeliveryPolicy#defaults()}
         * @return this builder
         */
        public Builder defaultPolicy(DeliveryPolicy defaultPolicy) {
            this.defaultPolicy = defaultPolicy;
            return this;
        }

        /**
         * Validates and builds, checking in this order: key present; resource type present; event type present;
         * then lengths and control characters of key, resource type, event type, schema version, content type and
         * data schema; then the topic alphabet of resource and event types.
         *
         * @return the definition
         * @throws StreamingException {@link ErrorCode#INVALID_EVENT_DEFINITION}, wrapping the field's own code
         *         ({@link ErrorCode#MISSING_RESOURCE_TYPE}, {@link ErrorCode#INVALID_EVENT_TYPE}, ...) when there is one
         */
        public EventDefinition build() {
            if (empty(key)) {
                throw new StreamingException(ErrorCode.INVALID_EVENT_DEFINITION, "key required");
            }
            if (empty(resourceType)) {
                throw invalid(ErrorCode.MISSING_RESOURCE_TYPE, null);
            }
            if (empty(eventType)) {
                throw invalid(ErrorCode.MISSING_EVENT_TYPE, null);
            }
            if (!HeaderValues.isValid(key, MAX_KEY_BYTES)) {
                throw new StreamingException(ErrorCode.INVALID_EVENT_DEFINITION,
                        "key contains control chars or exceeds " + MAX_KEY_BYTES + " bytes");
            }
            check(resourceType, MAX_TYPE_BYTES, ErrorCode.INVALID_RESOURCE_TYPE);
            check(eventType, MAX_TYPE_BYTES, ErrorCode.INVALID_EVENT_TYPE);
            check(schemaVersion, MAX_SCHEMA_VERSION_BYTES, ErrorCode.INVALID_SCHEMA_VERSION);
            check(dataContentType, MAX_DATA_CONTENT_TYPE_BYTES, ErrorCode.INVALID_DATA_CONTENT_TYPE);
            check(dataSchema, MAX_DATA_SCHEMA_BYTES, ErrorCode.INVALID_DATA_SCHEMA);
            if (!HeaderValues.isTopicSafe(resourceType)) {
                throw invalid(ErrorCode.INVALID_RESOURCE_TYPE,
                        "resource type \"" + resourceType + "\" must match [a-zA-Z0-9._-]");
            }
            if (!HeaderValues.isTopicSafe(eventType)) {
                throw invalid(ErrorCode.INVALID_EVENT_TYPE, "event type \"" + eventType + "\" must match [a-zA-Z0-9._-]");
            }
            return new EventDefinition(this);
        }

        private void check(String value, int max, ErrorCode code) {
            if (!HeaderValues.isValid(value, max)) {
                throw invalid(code, null);
            }
        }

        private StreamingException invalid(ErrorCode code, String detail) {
            StreamingException cause = new StreamingException(code, detail);
            return new StreamingException(ErrorCode.INVALID_EVENT_DEFINITION,
                    "\"" + key + "\": " + cause.getMessage(), cause);
        }
    }
}
