package studio.lerian.streaming.examples.quickstart;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What a consumer finds on the topic: read from the beginning, deduplicated on {@code ce-id}, checked per tenant. */
final class TopicReport {

    final int records;
    final int duplicates;
    final Map<String, List<Integer>> sequencesByTenant = new LinkedHashMap<>();
    final ConsumerRecord<byte[], byte[]> sample;

    private TopicReport(List<ConsumerRecord<byte[], byte[]>> all) {
        Set<String> ids = new HashSet<>();
        int dups = 0;
        for (ConsumerRecord<byte[], byte[]> r : all) {
            if (!ids.add(header(r, "ce-id"))) {
                dups++;
                continue;
            }
            String value = new String(r.value(), StandardCharsets.UTF_8);
            int sequence = Integer.parseInt(value.replaceAll(".*\"sequence\":(\\d+).*", "$1"));
            sequencesByTenant.computeIfAbsent(header(r, "ce-tenantid"), t -> new ArrayList<>()).add(sequence);
        }
        this.records = ids.size();
        this.duplicates = dups;
        this.sample = all.isEmpty() ? null : all.get(all.size() / 2);
    }

    /** Reads the topic until {@code expected} distinct events arrived or the timeout passed. */
    static TopicReport read(String brokers, String topic, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "quickstart-report-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ids.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    all.add(r);
                    ids.add(header(r, "ce-id"));
                }
            }
        }
        return new TopicReport(all);
    }

    /** Whether each tenant's events arrived in the order they were emitted. */
    boolean inOrder(String tenant) {
        List<Integer> seqs = sequencesByTenant.getOrDefault(tenant, List.of());
        for (int i = 1; i < seqs.size(); i++) {
            if (seqs.get(i) <= seqs.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }
}
