package studio.lerian.streaming.cdi.support;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller roles) in its own OS process, bound to
 * 127.0.0.1. Unlike the in-JVM {@link KafkaBroker} it can die the hard way: {@link #kill()} sends
 * SIGKILL, so nothing is flushed or deregistered, exactly as when a broker host loses power to its process.
 * {@link #start()} brings it back on the same ports with the same data directory.
 *
 * <p>The broker runs on the calling JVM's own class path, which must hold {@code kafka_2.13} and its dependencies
 * (a test class path, or the benchmarks' uber-jar). Besides the chaos tests, the load harness uses it so that the
 * broker's CPU and heap are not inside the measured JVM.
 */
public final class BrokerProcess implements AutoCloseable {

    private static final String CLUSTER_ID = "bGliLXN0cmVhbWluZ2NoYW8";

    private final Path dir;
    private final Path config;
    private final int port;
    private Process process;

    /**
     * Formats a fresh data directory; call {@link #start()} to run the broker.
     *
     * @param parent where the broker's directory (data, configuration, log) is created
     */
    public BrokerProcess(Path parent) {
        try {
            Files.createDirectories(parent);
            dir = Files.createTempDirectory(parent, "broker-");
            port = freePort();
            int controllerPort = freePort();
            Properties props = KafkaBroker.singleNode(port, controllerPort, dir.resolve("data"));
            config = dir.resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(config)) {
                props.store(w, null);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", CLUSTER_ID, "-c", config.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed (" + rc + "): " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** @return the broker's {@code host:port} */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** @return the OS process id of the running broker */
    public long pid() {
        return process.pid();
    }

    /**
     * Starts the broker process and returns once it answers a metadata request.
     *
     * @return this broker
     */
    public synchronized BrokerProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
                "-cp", System.getProperty("java.class.path"), "kafka.Kafka", config.toString()));
        File log = dir.resolve("broker.log").toFile();
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process started = process;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("broker exited with " + started.exitValue() + ", see " + log);
            }
            return answers();
        });
        return this;
    }

    private boolean answers() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000))) {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (Exception notYet) {
            return false;
        }
    }

    /** SIGKILL: the broker gets no chance to flush, deregister or close a connection. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("broker process " + process.pid() + " survived SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Creates a topic with replication factor 1.
     *
     * @param name the topic
     * @param partitions its partition count
     */
    public void createTopic(String name, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("createTopic " + name + " failed", e);
        }
    }

    /**
     * Reads a topic from the beginning until {@code expected} records arrived or the timeout passed.
     *
     * @param topic the topic
     * @param expected how many records to wait for
     * @param timeout the longest wait
     * @return the records read, in partition order per partition
     */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
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
            // Whatever else is there (duplicates from replays) is part of the proof too.
            for (int empty = 0; empty < 3; ) {
                int before = out.size();
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
                empty = out.size() == before ? empty + 1 : 0;
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        kill();
    }
}
