package studio.lerian.streaming.kafka;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventSerializer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
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

    /** How many distinct values of one header are kept for sharing; more are framed per record. */
    static final int MAX_SHARED_VALUES = 512;

    private final RecordFormat format;
    private final CloudEventSerializer serializer;
    /** Per header name, per value, one header for every record; {@code null} when headers are not shared. */
    private final Map<String, Map<String, Header>> shared;

    /**
     * A framer that writes every header of every record anew.
     *
     * @param format the record format; must not be {@code null}
     */
    public RecordFramer(RecordFormat format) {
        this(format, false);
    }

    /**
     * A framer that may share, in the {@code lerian} format, the headers whose values are the same for every event of
     * a definition ({@code ce-specversion}, {@code ce-source}, {@code ce-type}, {@code ce-schemaversion},
     * {@code ce-resourcetype}, {@code ce-eventtype}, {@code ce-datacontenttype}, {@code ce-dataschema},
     * {@code ce-systemevent}): one header object, and one value array, for all the records that carry that value.
     * Kafka's producer only reads header values; share them only when nothing else that sees the records can write
     * into them (no producer interceptor of the application's).
     *
     * @param format the record format; must not be {@code null}
     * @param shareConstantHeaders whether to share the definition's constant headers between records
     */
    public RecordFramer(RecordFormat format, boolean shareConstantHeaders) {
        this.format = format;
        this.shared = shareConstantHeaders && format == RecordFormat.LERIAN ? new ConcurrentHashMap<>() : null;
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
            writeLerianHeaders(event, headers, shared);
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
        writeLerianHeaders(e, headers, null);
    }

    /** As {@link #writeLerianHeaders(ResolvedEvent, Headers)}, the definition's constant headers shared if given. */
    private static void writeLerianHeaders(ResolvedEvent e, Headers headers, Map<String, Map<String, Header>> shared) {
        constant(headers, shared, CloudEventsHeaders.SPEC_VERSION, CloudEventsHeaders.SPEC_VERSION_1_0);
        add(headers, CloudEventsHeaders.ID, e.eventId());
        constant(headers, shared, CloudEventsHeaders.SOURCE, e.source());
        constant(headers, shared, CloudEventsHeaders.TYPE, e.type());
        add(headers, CloudEventsHeaders.TIME, e.time());
        constant(headers, shared, CloudEventsHeaders.SCHEMA_VERSION, e.schemaVersion());
        constant(headers, shared, CloudEventsHeaders.RESOURCE_TYPE, e.resourceType());
        constant(headers, shared, CloudEventsHeaders.EVENT_TYPE, e.eventType());
        addIfSet(headers, CloudEventsHeaders.SUBJECT, e.subject());
        if (!e.dataContentType().isEmpty()) {
            constant(headers, shared, CloudEventsHeaders.DATA_CONTENT_TYPE, e.dataContentType());
        }
        if (!e.dataSchema().isEmpty()) {
            constant(headers, shared, CloudEventsHeaders.DATA_SCHEMA, e.dataSchema());
        }
        addIfSet(headers, CloudEventsHeaders.TENANT_ID, e.tenantId());
        if (e.systemEvent()) {
            constant(headers, shared, CloudEventsHeaders.SYSTEM_EVENT, "true");
        }
    }

    /**
     * Adds a header whose value is the same for every event of a definition: the shared one when sharing, else a new
     * one. The values kept per name are bounded, so that a relay framing rows of many foreign types keeps no more.
     */
    private static void constant(Headers headers, Map<String, Map<String, Header>> shared, String name,
            String value) {
        if (shared == null) {
            add(headers, name, value);
            return;
        }
        Map<String, Header> byValue = shared.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
        Header header = byValue.get(value);
        if (header == null) {
            header = new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
            if (byValue.size() < MAX_SHARED_VALUES) {
                byValue.putIfAbsent(value, header);
            }
        }
        headers.add(header);
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
