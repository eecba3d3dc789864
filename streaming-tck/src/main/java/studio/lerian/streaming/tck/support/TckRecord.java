package studio.lerian.streaming.tck.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record read back from the broker, with its headers kept in wire order.
 *
 * @param topic the topic
 * @param partition the partition the record was read from
 * @param offset its offset in that partition
 * @param key the key bytes, or null
 * @param value the value bytes, or null
 * @param headers the headers as {@code name: value} lines (values decoded as UTF-8), in wire order
 */
public record TckRecord(String topic, int partition, long offset, byte[] key, byte[] value, List<String> headers) {

    static TckRecord of(ConsumerRecord<byte[], byte[]> r) {
        List<String> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            headers.add(h.key() + ": " + (h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)));
        }
        return new TckRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value(), List.copyOf(headers));
    }

    /**
     * The headers without the W3C trace context that may follow them. docs/operations.md (Traces) lets an
     * implementation append {@code traceparent}, and {@code tracestate} when there is one, after the CloudEvents headers (and after
     * the six dead-letter headers of a DLQ copy) when the emit ran in a valid span, which a runtime that traces every
     * request makes the common case. Only trailing trace headers are dropped: one anywhere else stays and fails an
     * exact comparison.
     *
     * @return the headers as {@code name: value} lines, in wire order, without trailing trace context
     */
    public List<String> headersWithoutTraceContext() {
        int end = headers.size();
        while (end > 0 && (headers.get(end - 1).startsWith("traceparent: ")
                || headers.get(end - 1).startsWith("tracestate: "))) {
            end--;
        }
        return headers.subList(0, end);
    }

    /** @return the header names, in wire order */
    public List<String> headerNames() {
        return headers.stream().map(h -> h.substring(0, h.indexOf(": "))).toList();
    }

    /** @return the value decoded as UTF-8, or null */
    public String valueString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** @return the key decoded as UTF-8, or null */
    public String keyString() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    /**
     * The value of the first header of that name.
     *
     * @param name the header name
     * @return its value, or empty
     */
    public Optional<String> header(String name) {
        String prefix = name + ": ";
        return headers.stream().filter(h -> h.startsWith(prefix)).map(h -> h.substring(prefix.length())).findFirst();
    }
}
