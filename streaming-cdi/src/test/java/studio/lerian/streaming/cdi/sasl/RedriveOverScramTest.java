package studio.lerian.streaming.cdi.sasl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.cdi.admin.RedriveCommand;

/**
 * The re-drive tool reaches a cluster that requires SASL/SCRAM with the library's own {@code STREAMING_SASL_*}
 * variables: with the right password it re-drives a dead letter; with a wrong one it fails and says so.
 */
class RedriveOverScramTest {

    private static final String USER = "ops";
    private static final String PASSWORD = "redrive-pw";
    private static final String TOPIC = "lerian.streaming.ledger.posted";

    private static ScramKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = new ScramKafkaBroker(USER, PASSWORD);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void theToolRedrivesOverScramWithTheLibrarySaslSettingsAndFailsWithAWrongPassword() throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce-specversion", bytes("1.0"));
        headers.add("ce-id", bytes("scram-1"));
        headers.add("x-lerian-dlq-source-topic", bytes(TOPIC));
        headers.add("x-lerian-dlq-error-class", bytes("topic_not_found"));
        headers.add("x-lerian-dlq-error-message", bytes("unknown topic"));
        headers.add("x-lerian-dlq-retry-count", bytes("0"));
        headers.add("x-lerian-dlq-first-failure-at", bytes("2026-04-18T10:00:00Z"));
        headers.add("x-lerian-dlq-producer-id", bytes("p-1"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(clientSettings(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())))) {
            producer.send(new ProducerRecord<>(TOPIC + ".dlq", null, bytes("t-abc"), bytes("{\"n\":1}"), headers))
                    .get(30, TimeUnit.SECONDS);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = {"--topic", TOPIC, "--operator", "ops"};

        int wrong = RedriveCommand.run(args, env("not-" + PASSWORD), new Properties(), print(out), print(err));
        assertEquals(RedriveCommand.FAILED, wrong, text(err));
        assertTrue(text(err).contains(ErrorCode.REDRIVE_FAILED.message()), text(err));
        assertFalse(text(err).contains("not-" + PASSWORD), "the password never appears: " + text(err));

        err.reset();
        int right = RedriveCommand.run(args, env(PASSWORD), new Properties(), print(out), print(err));
        assertEquals(RedriveCommand.OK, right, text(err));
        assertTrue(text(out).contains(" sent=1 "), text(out));
        List<ConsumerRecord<byte[], byte[]>> onTopic = readTopic();
        assertEquals(1, onTopic.size());
        assertEquals("scram-1", new String(onTopic.get(0).headers().lastHeader("ce-id").value(),
                StandardCharsets.UTF_8));
    }

    private static Map<String, String> env(String password) {
        return Map.of("STREAMING_BROKERS", broker.saslBootstrap(),
                "STREAMING_SASL_MECHANISM", "SCRAM-SHA-256",
                "STREAMING_SASL_USERNAME", USER,
                "STREAMING_SASL_PASSWORD", password,
                "STREAMING_SASL_ALLOW_PLAINTEXT", "true",
                "STREAMING_RECORD_DELIVERY_TIMEOUT_S", "5");
    }

    private static Map<String, Object> clientSettings(Map<String, Object> more) {
        Map<String, Object> p = new HashMap<>(more);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.saslBootstrap());
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-256");
        p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"" + USER + "\" password=\"" + PASSWORD + "\";");
        return p;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readTopic() {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clientSettings(Map.of(
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())))) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static PrintStream print(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8);
    }
}
