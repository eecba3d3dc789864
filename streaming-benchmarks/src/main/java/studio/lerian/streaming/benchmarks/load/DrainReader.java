package studio.lerian.streaming.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.internal.outbox.EnvelopeDecoder;
import studio.lerian.streaming.wire.CloudEventsHeaders;

/**
 * Reads back what one drain put on the topic: {@link #mark()} takes the end offsets before the drain, {@link #read}
 * reads from them to the end offsets after it and feeds each record's key and event id to an {@link OrderCheck}.
 * The event id is the {@code ce-id} header of the library's records; the plain JDBC loop sends a row's stored
 * envelope as the record's value, without headers, so for its records the id is the envelope's {@code EventID}, read
 * with the library's own envelope decoder. One consumer, assigned every partition, no consumer group.
 */
final class DrainReader implements AutoCloseable {

    /** The longest a read may take; a slower read reports what it found, the rest as missing. */
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<TopicPartition> partitions;

    DrainReader(String brokers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        partitions = consumer.partitionsFor(topic, ADMIN_TIMEOUT).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
    }

    /** @return the topic's end offsets now: where the next drain's records will start */
    Map<TopicPartition, Long> mark() {
        return consumer.endOffsets(partitions, ADMIN_TIMEOUT);
    }

    /**
     * Reads every record from {@code from} to the current end offsets, in each partition's order.
     *
     * @param from what {@link #mark()} returned before the drain
     * @param check the check of the drained rows
     * @return its report
     */
    OrderCheck.Report read(Map<TopicPartition, Long> from, OrderCheck check) {
        Map<TopicPartition, Long> to = mark();
        from.forEach(consumer::seek);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < to.get(tp))) {
            if (System.nanoTime() > deadline) {
                System.out.printf(Locale.ROOT, "    read back stopped after %d s, short of the end offsets %s%n",
                        READ_TIMEOUT.toSeconds(), to);
                break;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() < to.get(new TopicPartition(r.topic(), r.partition()))) {
                    check.accept(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), eventId(r));
                }
            }
        }
        return check.report();
    }

    /** @return the record's event id, or {@code null} when it has none that can be read */
    static String eventId(ConsumerRecord<byte[], byte[]> r) {
        Header id = r.headers().lastHeader(CloudEventsHeaders.ID);
        if (id != null) {
            return new String(id.value(), StandardCharsets.UTF_8);
        }
        if (r.value() == null) {
            return null;
        }
        try {
            return EnvelopeDecoder.decode(r.value()).event().eventId();
        } catch (StreamingException notAnEnvelope) {
            return null;
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
