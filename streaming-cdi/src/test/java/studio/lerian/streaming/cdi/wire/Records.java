package studio.lerian.streaming.cdi.wire;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reading helpers for wire tests on a topic that several tests write to. */
final class Records {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Records() {
    }

    /**
     * Reads a topic from the beginning until a record matching {@code last} arrived, and returns everything read up to
     * and including it. Fails when no such record arrives within the timeout.
     */
    static List<ConsumerRecord<byte[], byte[]>> readUntil(String bootstrap, String topic,
            Predicate<ConsumerRecord<byte[], byte[]>> last, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r);
                    if (last.test(r)) {
                        return out;
                    }
                }
            }
        }
        throw new AssertionError("no matching record on " + topic + " within " + timeout + "; read " + out.size());
    }

    /** @return a predicate: the record has the header with this UTF-8 value */
    static Predicate<ConsumerRecord<byte[], byte[]>> withHeader(String name, String value) {
        return r -> value.equals(header(r, name));
    }

    /** @return the last value of a header as UTF-8, or {@code null} when absent */
    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** @return the headers as {@code name: value} lines, in record order */
    static List<String> headerLines(ConsumerRecord<byte[], byte[]> r) {
        List<String> out = new ArrayList<>();
        for (Header h : r.headers()) {
            out.add(h.key() + ": " + (h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** @return the headers' names, in record order */
    static List<String> headerNames(ConsumerRecord<byte[], byte[]> r) {
        List<String> out = new ArrayList<>();
        for (Header h : r.headers()) {
            out.add(h.key());
        }
        return out;
    }

    /**
     * A valid JSON object of exactly {@code bytes} bytes whose content does not compress (random base64), so that a
     * size limit applies to it whatever the producer's compression.
     */
    static byte[] incompressibleJson(int bytes) {
        String prefix = "{\"blob\":\"";
        String suffix = "\"}";
        int blob = bytes - prefix.length() - suffix.length();
        byte[] random = new byte[blob];
        RANDOM.nextBytes(random);
        String text = Base64.getEncoder().withoutPadding().encodeToString(random).substring(0, blob);
        byte[] out = (prefix + text + suffix).getBytes(StandardCharsets.UTF_8);
        if (out.length != bytes) {
            throw new IllegalStateException("payload is " + out.length + " bytes, wanted " + bytes);
        }
        return out;
    }
}
