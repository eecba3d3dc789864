package studio.lerian.streaming.tck.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The TCK's view of the broker from inside a deployment: a fresh consumer on the porting's bootstrap address, which
 * {@link TckDeployments} wrote into the archive. This is the only way the TCK observes what was published; an admin
 * client on the same address creates the few topics a test needs with settings of its own (partitions, a size
 * limit) before anything is published to them.
 */
public final class TckBroker {

    /** The class-path resource that carries the bootstrap address and the timeout multiplier into a deployment. */
    static final String RESOURCE = "META-INF/streaming-tck.properties";
    static final String BOOTSTRAP = "bootstrap.servers";

    private TckBroker() {
    }

    private static Properties settings() {
        Properties p = new Properties();
        try (InputStream in = TckBroker.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: build the deployment with TckDeployments");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** @return the broker address the deployment was built with */
    public static String bootstrapServers() {
        return settings().getProperty(BOOTSTRAP);
    }

    /**
     * A wait scaled by the run's timeout multiplier ({@value TckDeployments#TIMEOUT_MULTIPLIER}).
     *
     * @param base the wait on a quick machine
     * @return the wait for this run
     */
    public static Duration scaled(Duration base) {
        double m = Double.parseDouble(settings().getProperty(TckDeployments.TIMEOUT_MULTIPLIER, "1"));
        return Duration.ofMillis((long) Math.ceil(base.toMillis() * Math.max(m, 0.1)));
    }

    /**
     * Reads a topic from its beginning until {@code expected} records match or the (scaled) timeout passes.
     *
     * @param topic the topic
     * @param match which records count, for example those of one {@code ce-id}
     * @param expected how many matching records to wait for
     * @param timeout the longest wait before scaling
     * @return the matching records read, in partition order; fewer than expected when the wait ran out
     */
    public static List<TckRecord> await(String topic, Predicate<TckRecord> match, int expected, Duration timeout) {
        List<TckRecord> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "streaming-tck-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + scaled(timeout).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    TckRecord rec = TckRecord.of(r);
                    if (match.test(rec)) {
                        out.add(rec);
                    }
                });
            }
        }
        return out;
    }

    /**
     * Waits for the one record of an event id on a topic.
     *
     * @param topic the topic
     * @param eventId the {@code ce-id}
     * @return the records of that id (one when the implementation is correct)
     */
    public static List<TckRecord> awaitEvent(String topic, String eventId) {
        return await(topic, r -> r.header("ce-id").filter(eventId::equals).isPresent(), 1, Duration.ofSeconds(20));
    }

    /**
     * Reads a topic until every one of the given event ids was seen, or the (scaled) timeout passes.
     *
     * @param topic the topic
     * @param eventIds the {@code ce-id} values awaited
     * @param timeout the longest wait before scaling
     * @return the records of those ids read, in partition order (a replayed event may appear more than once)
     */
    public static List<TckRecord> awaitEvents(String topic, Set<String> eventIds, Duration timeout) {
        Set<String> seen = new HashSet<>();
        List<TckRecord> out = new ArrayList<>();
        await(topic, r -> {
            String id = r.header("ce-id").orElse("");
            if (!eventIds.contains(id)) {
                return false;
            }
            out.add(r);
            return seen.add(id);
        }, eventIds.size(), timeout);
        return out;
    }

    /**
     * Creates a topic unless it exists, so that a test controls its partitions and settings (a topic created on
     * first publish gets the broker's defaults).
     *
     * @param topic the topic
     * @param partitions its partitions
     * @param config topic settings, for example {@code max.message.bytes}
     */
    public static void createTopic(String topic, int partitions, Map<String, String> config) {
        try (Admin admin = Admin.create(Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(config))).all()
                    .get(scaled(Duration.ofSeconds(20)).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + topic + " not created in time", e);
        }
    }
}
