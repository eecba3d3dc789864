package studio.lerian.streaming.core.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What the chaos tests and the load harness themselves ask of a broker or cluster: is it up, make a topic, read a topic back. */
public final class TopicClient {

    private TopicClient() {
    }

    /** @return whether the broker(s) at {@code bootstrap} answer a metadata request within about two seconds */
    public static boolean answers(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000))) {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception notYet) {
            return false;
        }
    }

    public static void createTopic(String bootstrap, String name, int partitions, int replicationFactor) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) replicationFactor))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("createTopic " + name + " failed", e);
        }
    }

    /**
     * @return whether every partition of the topic has a leader and all {@code replicas} replicas in sync; false too
     *         when the cluster does not answer within about two seconds
     */
    public static boolean fullyInSync(String bootstrap, String topic, int replicas) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000))) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(3, TimeUnit.SECONDS)
                    .get(topic);
            return d.partitions().stream().allMatch(p -> p.leader() != null && p.isr().size() == replicas);
        } catch (Exception notYet) {
            return false;
        }
    }

    /**
     * Reads a topic from the beginning with a fresh consumer until {@code expected} records arrived or the timeout
     * passed, then reads on until three polls in a row bring nothing: whatever else is there (duplicates from replays)
     * is part of the proof too.
     */
    public static List<ConsumerRecord<byte[], byte[]>> consume(String bootstrap, String topic, int expected,
            Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "chaos-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            for (int empty = 0; empty < 3; ) {
                int before = out.size();
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
                empty = out.size() == before ? empty + 1 : 0;
            }
        }
        return out;
    }
}
