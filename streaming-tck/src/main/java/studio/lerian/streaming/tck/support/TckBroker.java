package studio.lerian.streaming.tck.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The TCK's view of the broker from inside a deployment: a fresh consumer on the porting's bootstrap address, which
 * {@link TckDeployments} wrote into the archive. This is the only way the TCK observes what was published.
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
}
