package studio.lerian.streaming.wire;

/**
 * Header names of the {@code lerian} record format: CloudEvents 1.0 binary mode with {@code ce-} names (the Go
 * library's wire form), and the six dead-letter headers. The order in which the headers are written is part of the
 * format: the eight required ones in the order declared here, then subject, data content type, data schema, tenant id
 * and system-event flag, each only when set.
 */
public final class CloudEventsHeaders {

    /** {@value}: always {@code 1.0}. */
    public static final String SPEC_VERSION = "ce-specversion";
    /** {@value}: the event id. */
    public static final String ID = "ce-id";
    /** {@value}: the deployment's CloudEvents source. */
    public static final String SOURCE = "ce-source";
    /** {@value}: {@code studio.lerian.<resourceType>.<eventType>}. */
    public static final String TYPE = "ce-type";
    /** {@value}: the event time, see {@link CloudEventsTime}. */
    public static final String TIME = "ce-time";
    /** {@value}: the definition's schema version. */
    public static final String SCHEMA_VERSION = "ce-schemaversion";
    /** {@value}: the resource type. */
    public static final String RESOURCE_TYPE = "ce-resourcetype";
    /** {@value}: the event type. */
    public static final String EVENT_TYPE = "ce-eventtype";
    /** {@value}: the subject, when set. */
    public static final String SUBJECT = "ce-subject";
    /** {@value}: the payload's content type, when set. */
    public static final String DATA_CONTENT_TYPE = "ce-datacontenttype";
    /** {@value}: the payload's schema URI, when set. */
    public static final String DATA_SCHEMA = "ce-dataschema";
    /** {@value}: the tenant id, when set (system events included). */
    public static final String TENANT_ID = "ce-tenantid";
    /** {@value}: the literal {@code true} for system events; absent otherwise. */
    public static final String SYSTEM_EVENT = "ce-systemevent";

    /** The only CloudEvents spec version written and accepted: {@value}. */
    public static final String SPEC_VERSION_1_0 = "1.0";

    /** {@value}: the topic the failed record was meant for. */
    public static final String DLQ_SOURCE_TOPIC = "x-lerian-dlq-source-topic";
    /** {@value}: the failure's {@code ErrorClass} wire string. */
    public static final String DLQ_ERROR_CLASS = "x-lerian-dlq-error-class";
    /** {@value}: the failure message, credentials masked, at most 4096 bytes. */
    public static final String DLQ_ERROR_MESSAGE = "x-lerian-dlq-error-message";
    /** {@value}: always {@code 0} (the Kafka client does not report its retry count). */
    public static final String DLQ_RETRY_COUNT = "x-lerian-dlq-retry-count";
    /** {@value}: when the failed publish started, RFC 3339 in UTC. */
    public static final String DLQ_FIRST_FAILURE_AT = "x-lerian-dlq-first-failure-at";
    /** {@value}: the id of the emitter instance that failed. */
    public static final String DLQ_PRODUCER_ID = "x-lerian-dlq-producer-id";
    /** {@value}: {@code true} when the DLQ copy had to drop the payload to fit. */
    public static final String DLQ_PAYLOAD_OMITTED = "x-lerian-dlq-payload-omitted";
    /** {@value}: the size of the dropped payload, when it was dropped. */
    public static final String DLQ_PAYLOAD_BYTES = "x-lerian-dlq-payload-bytes";

    /** The largest DLQ error message, in UTF-8 bytes, before it is cut. */
    public static final int DLQ_ERROR_MESSAGE_MAX_BYTES = 4096;

    private CloudEventsHeaders() {
    }
}
