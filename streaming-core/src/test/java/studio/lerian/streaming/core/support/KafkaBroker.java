package studio.lerian.streaming.core.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller roles) in the test JVM, on 127.0.0.1 and two
 * free ports. {@link #stop()} and {@link #start()} bring it down and back on the same ports with its data, so clients
 * see a broker outage and a recovery. {@link #close()} stops it and deletes its files.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLUSTER_ID = "bGliLXN0cmVhbWluZ3Rlc3Q";

    private final Path dir;
    private final int port;
    private final Properties props = new Properties();
    private KafkaRaftServer server;

    /** Formats the storage of a new broker; call {@link #start()} next. */
    public KafkaBroker() {
        this(Map.of());
    }

    /**
     * Formats the storage of a new broker whose server properties differ from {@link #singleNode} as given; call
     * {@link #start()} next.
     *
     * @param settings server properties that replace or add to the single-node ones, e.g.
     *        {@code auto.create.topics.enable=false}
     */
    public KafkaBroker(Map<String, String> settings) {
        try {
            this.dir = Files.createTempDirectory("kafka-broker-");
            int[] ports = FreePorts.pick(2);
            this.port = ports[0];
            int controllerPort = ports[1];
            props.putAll(singleNode(port, controllerPort, dir.resolve("data")));
            props.putAll(settings);
            Path cfg = dir.resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(cfg)) {
                props.store(w, null);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", CLUSTER_ID, "-c", cfg.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed (" + rc + "): " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The server properties of a single-node KRaft broker (broker and controller roles) on 127.0.0.1, tuned for tests:
     * one partition per topic, replication factor 1, and a short broker session so a restart is quick.
     *
     * @param port the client (PLAINTEXT) port
     * @param controllerPort the controller port
     * @param dataDir where the broker keeps its logs
     * @return the properties
     */
    public static Properties singleNode(int port, int controllerPort, Path dataDir) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", dataDir.toString());
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "true");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("share.coordinator.state.topic.num.partitions", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // A restarted broker otherwise waits for its previous registration to expire (about 14 s).
        props.put("broker.session.timeout.ms", "2000");
        props.put("broker.heartbeat.interval.ms", "500");
        return props;
    }


    /** @return {@code 127.0.0.1:<port>} */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** @return whether the broker is running */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Starts the broker (again); returns once it serves. @return this broker */
    public synchronized KafkaBroker start() {
        if (server == null) {
            KafkaRaftServer s = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            s.startup();
            server = s;
        }
        return this;
    }

    /** Stops the broker, keeping its data and ports. */
    public synchronized void stop() {
        if (server != null) {
            KafkaRaftServer s = server;
            server = null;
            s.shutdown();
            s.awaitShutdown();
        }
    }

    /**
     * Creates a topic.
     *
     * @param name the topic
     * @param partitions its partition count
     * @param configs topic configs, e.g. {@code max.message.bytes}
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("createTopic " + name + " failed", e);
        }
    }

    /**
     * Reads a topic from the beginning with a fresh consumer until {@code expected} records arrived or the timeout
     * passed.
     *
     * @param topic the topic
     * @param expected how many records to wait for
     * @param timeout the longest wait
     * @return the records read, in partition order per partition
     */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Every record the topic holds now: each partition read from its start to the end offset it had when this was
     * called. For a topic that may hold duplicates, where a count of records cannot say when all were read.
     *
     * @throws AssertionError when the end of some partition was not reached within the timeout
     */
    public List<ConsumerRecord<byte[], byte[]>> consumeToEnd(String topic, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(topic + " not read to its end offsets " + end + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: the folder is under target/
        }
    }
}
