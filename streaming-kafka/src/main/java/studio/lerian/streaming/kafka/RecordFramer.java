package studio.lerian.streaming.kafka;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.internal.PayloadArrays;
import studio.lerian.streaming.wire.CloudEventsHeaders;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * Frames a {@link ResolvedEvent} as a Kafka record in one {@link RecordFormat}: topic and key per the wire rules, the
 * CloudEvents attributes in headers (binary modes) or in the value (structured mode). Thread-safe.
 */
public final class RecordFramer {

    /** Extension attribute names, lower-case without separators as CloudEvents requires. */
    static final String EXT_TENANT_ID = "tenantid";
    static final String EXT_SCHEMA_VERSION = "schemaversion";
    static final String EXT_RESOURCE_TYPE = "resourcetype";
    static final String EXT_EVENT_TYPE = "eventtype";
    static final String EXT_SYSTEM_EVENT = "systemevent";

    private final RecordFormat format;
    private final CloudEventSerializer serializer;

    /**
     * @param format the record format; must not be {@code null}
     */
    public RecordFramer(RecordFormat format) {
        this.format = format;
        if (format == RecordFormat.LERIAN) {
            this.serializer = null;
        } else {
            CloudEventSerializer s = new CloudEventSerializer();
            s.configure(Map.of(CloudEventSerializer.ENCODING_CONFIG,
                    format == RecordFormat.KAFKA_BINARY ? "BINARY" : "STRUCTURED",
                    CloudEventSerializer.EVENT_FORMAT_CONFIG, "application/cloudevents+json"), false);
            this.serializer = s;
        }
    }

    /** @return the format this framer writes */
    public RecordFormat format() {
        return format;
    }

    /**
     * Frames the event for its own topic.
     *
     * @param event the event; must not be {@code null}
     * @return the record: topic {@link ResolvedEvent#topic()}, key {@link ResolvedEvent#partitionKey()} in UTF-8
     * @throws StreamingException {@link ErrorCode#INVALID_SOURCE} or {@link ErrorCode#INVALID_DATA_SCHEMA} when a
     *         CloudEvents Kafka binding format is asked to frame a source or data schema that is not a URI reference
     */
    public ProducerRecord<byte[], byte[]> frame(ResolvedEvent event) {
        return frame(event, event.topic());
    }

    /**
     * Frames the event for the given topic (the dead-letter topic, or a relay's stored topic).
     *
     * @param event the event; must not be {@code null}
     * @param topic the destination topic; must not be {@code null}
     * @return the record
     * @throws StreamingException {@link ErrorCode#INVALID_SOURCE} or {@link ErrorCode#INVALID_DATA_SCHEMA} when a
     *         CloudEvents Kafka binding format is asked to frame a source or data schema that is not a URI reference
     */
    public ProducerRecord<byte[], byte[]> frame(ResolvedEvent event, String topic) {
        Headers headers = new RecordHeaders();
        byte[] value;
        if (format == RecordFormat.LERIAN) {
            writeLerianHeaders(event, headers);
            value = PayloadArrays.of(event); // the event's own array: the producer only reads it
        } else {
            value = serializer.serialize(topic, headers, toCloudEvent(event));
        }
        byte[] key = event.partitionKey().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    /**
     * The Go library's header list, in its order (spec section 4.2). Written directly rather than through the
     * CloudEvents SDK's binary writer, because the SDK neither keeps this order nor formats {@code ce-time} as Go's
     * RFC3339Nano, and this format exists to match the Go library byte for byte.
     */
    static void writeLerianHeaders(ResolvedEvent e, Headers headers) {
        add(headers, CloudEventsHeaders.SPEC_VERSION, CloudEventsHeaders.SPEC_VERSION_1_0);
        add(headers, CloudEventsHeaders.ID, e.eventId());
        add(headers, CloudEventsHeaders.SOURCE, e.source());
        add(headers, CloudEventsHeaders.TYPE, e.type());
        add(headers, CloudEventsHeaders.TIME, e.time());
        add(headers, CloudEventsHeaders.SCHEMA_VERSION, e.schemaVersion());
        add(headers, CloudEventsHeaders.RESOURCE_TYPE, e.resourceType());
        add(headers, CloudEventsHeaders.EVENT_TYPE, e.eventType());
        addIfSet(headers, CloudEventsHeaders.SUBJECT, e.subject());
        addIfSet(headers, CloudEventsHeaders.DATA_CONTENT_TYPE, e.dataContentType());
        addIfSet(headers, CloudEventsHeaders.DATA_SCHEMA, e.dataSchema());
        addIfSet(headers, CloudEventsHeaders.TENANT_ID, e.tenantId());
        if (e.systemEvent()) {
            add(headers, CloudEventsHeaders.SYSTEM_EVENT, "true");
        }
    }

    /** The event in the CloudEvents SDK's model, with this library's attributes as extensions. */
    static CloudEvent toCloudEvent(ResolvedEvent e) {
        CloudEventBuilder b = CloudEventBuilder.v1()
                .withId(e.eventId())
                .withSource(uri(e.source(), ErrorCode.INVALID_SOURCE, "source"))
                .withType(e.type())
                .withTime(e.timestamp())
                .withExtension(EXT_SCHEMA_VERSION, e.schemaVersion())
                .withExtension(EXT_RESOURCE_TYPE, e.resourceType())
                .withExtension(EXT_EVENT_TYPE, e.eventType());
        if (!e.subject().isEmpty()) {
            b.withSubject(e.subject());
        }
        if (!e.dataSchema().isEmpty()) {
            b.withDataSchema(uri(e.dataSchema(), ErrorCode.INVALID_DATA_SCHEMA, "dataschema"));
        }
        if (!e.tenantId().isEmpty()) {
            b.withExtension(EXT_TENANT_ID, e.tenantId());
        }
        if (e.systemEvent()) {
            b.withExtension(EXT_SYSTEM_EVENT, true);
        }
        byte[] payload = PayloadArrays.of(e);
        if (!e.dataContentType().isEmpty()) {
            b.withData(e.dataContentType(), payload);
        } else {
            b.withData(payload);
        }
        return b.build();
    }

    /**
     * The binding's URI-typed attributes. Emits cannot reach this with a bad value (the configured source and the
     * catalog's data schemas are checked at deployment), but a relayed row can carry anything: a Go service's, or one
     * parked under another format. Its error must say which attribute, as the library's own code, so that the relay
     * refuses the row instead of failing on it.
     */
    private static URI uri(String value, ErrorCode code, String attribute) {
        try {
            return new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new StreamingException(code, "CloudEvents " + attribute + " \"" + value
                    + "\" is not a URI reference, which the Kafka binding formats require", e);
        }
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void addIfSet(Headers headers, String name, String value) {
        if (!value.isEmpty()) {
            add(headers, name, value);
        }
    }
}
