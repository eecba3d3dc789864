package studio.lerian.streaming.kafka;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.wire.CloudEventsHeaders;
import studio.lerian.streaming.wire.CloudEventsTime;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * Reads a consumed Kafka record back into a {@link ResolvedEvent}, whichever {@link RecordFormat} wrote it. For
 * consumers, tests and the TCK. Thread-safe.
 *
 * <p>Format detection: a {@code ce-specversion} header means {@link RecordFormat#LERIAN}; a {@code ce_specversion}
 * header means {@link RecordFormat#KAFKA_BINARY}; a {@code content-type} starting with
 * {@code application/cloudevents} means {@link RecordFormat#KAFKA_STRUCTURED}. The two Kafka-binding formats are read
 * with the CloudEvents SDK's {@link CloudEventDeserializer}.
 */
public final class StreamingRecordReader {

    private static final String[] REQUIRED = {CloudEventsHeaders.ID, CloudEventsHeaders.SOURCE,
        CloudEventsHeaders.TYPE, CloudEventsHeaders.TIME};

    private final CloudEventDeserializer deserializer = new CloudEventDeserializer();

    /** Creates a reader. */
    public StreamingRecordReader() {
        deserializer.configure(Map.of(), false);
    }

    /**
     * The format of a record, from its headers.
     *
     * @param headers the record's headers; must not be {@code null}
     * @return the format
     * @throws StreamingException {@link ErrorCode#MISSING_REQUIRED_HEADER} when no format is recognised
     */
    public RecordFormat detect(Headers headers) {
        if (headers.lastHeader(CloudEventsHeaders.SPEC_VERSION) != null) {
            return RecordFormat.LERIAN;
        }
        if (headers.lastHeader("ce_specversion") != null) {
            return RecordFormat.KAFKA_BINARY;
        }
        Header contentType = headers.lastHeader("content-type");
        if (contentType != null && text(contentType).startsWith("application/cloudevents")) {
            return RecordFormat.KAFKA_STRUCTURED;
        }
        throw new StreamingException(ErrorCode.MISSING_REQUIRED_HEADER, CloudEventsHeaders.SPEC_VERSION);
    }

    /**
     * Reads a record.
     *
     * @param topic the record's topic
     * @param headers the record's headers
     * @param value the record's value; {@code null} is read as an empty payload
     * @return the event
     * @throws StreamingException {@link ErrorCode#UNSUPPORTED_SPEC_VERSION}, {@link ErrorCode#MISSING_REQUIRED_HEADER}
     *         or {@link ErrorCode#INVALID_HEADER} when the record is not a readable event
     */
    public ResolvedEvent read(String topic, Headers headers, byte[] value) {
        RecordFormat format = detect(headers);
        if (format == RecordFormat.LERIAN) {
            return readLerian(headers, value);
        }
        CloudEvent event;
        try {
            event = deserializer.deserialize(topic, headers, value);
        } catch (RuntimeException e) {
            throw new StreamingException(ErrorCode.INVALID_HEADER, format.wire() + " record: " + e.getMessage(), e);
        }
        return fromCloudEvent(event);
    }

    /**
     * Reads the {@code lerian} format by the Go library's parser rules: duplicate headers, last wins; spec version
     * must be {@code 1.0}; id, source, type and time must be present; the system flag is set only by the literal
     * {@code true}. Hand-written because the SDK's binary reader expects the {@code ce_} prefix of the Kafka binding.
     */
    static ResolvedEvent readLerian(Headers headers, byte[] value) {
        Map<String, String> h = new HashMap<>();
        for (Header header : headers) {
            h.put(header.key(), text(header));
        }
        String spec = h.get(CloudEventsHeaders.SPEC_VERSION);
        if (spec == null) {
            throw new StreamingException(ErrorCode.MISSING_REQUIRED_HEADER, CloudEventsHeaders.SPEC_VERSION);
        }
        if (!CloudEventsHeaders.SPEC_VERSION_1_0.equals(spec)) {
            throw new StreamingException(ErrorCode.UNSUPPORTED_SPEC_VERSION, "\"" + spec + "\" (want \"1.0\")");
        }
        for (String name : REQUIRED) {
            if (!h.containsKey(name)) {
                throw new StreamingException(ErrorCode.MISSING_REQUIRED_HEADER, name);
            }
        }
        OffsetDateTime time;
        try {
            time = CloudEventsTime.parse(h.get(CloudEventsHeaders.TIME));
        } catch (DateTimeException e) {
            throw new StreamingException(ErrorCode.INVALID_HEADER,
                    "invalid ce-time \"" + h.get(CloudEventsHeaders.TIME) + "\": " + e.getMessage(), e);
        }
        return ResolvedEvent.builder()
                .eventId(h.get(CloudEventsHeaders.ID))
                .source(h.get(CloudEventsHeaders.SOURCE))
                .timestamp(time)
                .schemaVersion(h.get(CloudEventsHeaders.SCHEMA_VERSION))
                .resourceType(h.get(CloudEventsHeaders.RESOURCE_TYPE))
                .eventType(h.get(CloudEventsHeaders.EVENT_TYPE))
                .subject(h.get(CloudEventsHeaders.SUBJECT))
                .dataContentType(h.get(CloudEventsHeaders.DATA_CONTENT_TYPE))
                .dataSchema(h.get(CloudEventsHeaders.DATA_SCHEMA))
                .tenantId(h.get(CloudEventsHeaders.TENANT_ID))
                .systemEvent("true".equals(h.get(CloudEventsHeaders.SYSTEM_EVENT)))
                .payload(value)
                .build();
    }

    /** Maps the SDK's event (with this library's extensions) to a {@link ResolvedEvent}. */
    static ResolvedEvent fromCloudEvent(CloudEvent e) {
        CloudEventData data = e.getData();
        Object system = e.getExtension(RecordFramer.EXT_SYSTEM_EVENT);
        return ResolvedEvent.builder()
                .eventId(e.getId())
                .source(e.getSource() == null ? "" : e.getSource().toString())
                .timestamp(e.getTime())
                .schemaVersion(ext(e, RecordFramer.EXT_SCHEMA_VERSION))
                .resourceType(ext(e, RecordFramer.EXT_RESOURCE_TYPE))
                .eventType(ext(e, RecordFramer.EXT_EVENT_TYPE))
                .subject(e.getSubject())
                .dataContentType(e.getDataContentType())
                .dataSchema(e.getDataSchema() == null ? null : e.getDataSchema().toString())
                .tenantId(ext(e, RecordFramer.EXT_TENANT_ID))
                .systemEvent(Boolean.TRUE.equals(system) || "true".equals(system))
                .payload(data == null ? null : data.toBytes())
                .build();
    }

    private static String ext(CloudEvent e, String name) {
        Object v = e.getExtension(name);
        return v == null ? null : v.toString();
    }

    private static String text(Header header) {
        return header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
