package studio.lerian.streaming.core.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import studio.lerian.streaming.ErrorClass;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.wire.CloudEventsHeaders;
import studio.lerian.streaming.wire.CloudEventsTime;
import studio.lerian.streaming.wire.Topics;

/** Builds the dead-letter copy of a failed record (spec section 9.2). */
final class DlqRecords {

    private DlqRecords() {
    }

    /** The W3C trace context headers an emit may append to its record. */
    private static final java.util.Set<String> TRACE_HEADERS = java.util.Set.of("traceparent", "tracestate");

    /**
     * The failed record, re-addressed to {@code <topic>.dlq}, with the same key, value and CloudEvents headers
     * followed by the six {@code x-lerian-dlq-*} headers, then the trace context headers when the record had them (so
     * the six always follow the CloudEvents headers directly, as spec section 9.2 says).
     */
    static ProducerRecord<byte[], byte[]> copy(ProducerRecord<byte[], byte[]> failed, ErrorClass errorClass,
            Throwable cause, Instant attemptStarted, String producerId) {
        Headers headers = new RecordHeaders();
        for (Header h : failed.headers()) {
            if (!TRACE_HEADERS.contains(h.key())) {
                headers.add(h.key(), h.value());
            }
        }
        add(headers, CloudEventsHeaders.DLQ_SOURCE_TOPIC, failed.topic());
        add(headers, CloudEventsHeaders.DLQ_ERROR_CLASS, errorClass.wire());
        add(headers, CloudEventsHeaders.DLQ_ERROR_MESSAGE, boundedMessage(cause));
        add(headers, CloudEventsHeaders.DLQ_RETRY_COUNT, "0");
        add(headers, CloudEventsHeaders.DLQ_FIRST_FAILURE_AT,
                CloudEventsTime.format(attemptStarted.atOffset(ZoneOffset.UTC)));
        add(headers, CloudEventsHeaders.DLQ_PRODUCER_ID, producerId);
        for (Header h : failed.headers()) {
            if (TRACE_HEADERS.contains(h.key())) {
                headers.add(h.key(), h.value());
            }
        }
        return new ProducerRecord<>(Topics.dlqTopic(failed.topic()), null, failed.key(), failed.value(), headers);
    }

    /** The same DLQ record without its value, marked so, for when the copy itself is too large. */
    static ProducerRecord<byte[], byte[]> withoutPayload(ProducerRecord<byte[], byte[]> dlq) {
        Headers headers = new RecordHeaders();
        for (Header h : dlq.headers()) {
            if (!TRACE_HEADERS.contains(h.key())) {
                headers.add(h.key(), h.value());
            }
        }
        add(headers, CloudEventsHeaders.DLQ_PAYLOAD_OMITTED, "true");
        add(headers, CloudEventsHeaders.DLQ_PAYLOAD_BYTES, Integer.toString(dlq.value() == null ? 0
                : dlq.value().length));
        for (Header h : dlq.headers()) {
            if (TRACE_HEADERS.contains(h.key())) {
                headers.add(h.key(), h.value());
            }
        }
        return new ProducerRecord<>(dlq.topic(), null, dlq.key(), null, headers);
    }

    /** The cause's text, credentials masked, cut at 4096 UTF-8 bytes on a character boundary. */
    static String boundedMessage(Throwable cause) {
        String text = cause == null ? "" : Sanitizer.describe(cause);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int max = CloudEventsHeaders.DLQ_ERROR_MESSAGE_MAX_BYTES;
        if (bytes.length <= max) {
            return text;
        }
        String suffix = "...[truncated, " + bytes.length + " bytes total]";
        int cut = max - suffix.length();
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
            cut--; // never split a multi-byte character
        }
        return new String(bytes, 0, cut, StandardCharsets.UTF_8) + suffix;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
