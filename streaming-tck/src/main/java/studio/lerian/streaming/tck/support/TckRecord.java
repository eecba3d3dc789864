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
