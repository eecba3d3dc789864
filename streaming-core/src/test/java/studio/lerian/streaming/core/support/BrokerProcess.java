package studio.lerian.streaming.core.support;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A real Apache Kafka broker (KRaft) in its own OS process, bound to 127.0.0.1. Unlike the in-JVM broker of the other
 * end-to-end tests it can die the hard way: {@link #kill()} sends SIGKILL, so nothing is flushed or deregistered,
 * exactly as when a broker host loses power to its process. {@link #start()} brings it back on the same ports with the
 * same data directory.
 *
 * <p>{@link #singleNode(Path)} is a one-node cluster (broker and controller roles); a cluster test builds the
 * nodes of a larger one from their own properties. The broker runs on the calling JVM's own class path, which must
 * hold {@code kafka_2.13} and its dependencies (a test class path, or the benchmarks' uber-jar): besides the chaos
 * tests, the load harness uses it so that the broker's CPU and heap are not inside the measured JVM.
 */
public final class BrokerProcess implements AutoCloseable {

    /** Every cluster of these tests is formatted with this id; nodes of one cluster must share it. */
    private static final String CLUSTER_ID = "bGliLXN0cmVhbWluZ2NoYW8";

    private final Path dir;
    private final Path config;
    private final String bootstrap;
    private Process process;

    /**
     * Writes the node's {@code server.properties} and formats its storage.
     *
     * @param dir the node's folder (its configuration, data and log go there)
     * @param props the node's server properties, {@code log.dirs} included
     * @param bootstrap the address this test's own clients use to reach it
     */
    public BrokerProcess(Path dir, Properties props, String bootstrap) {
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.config = dir.resolve("server.properties");
        try {
            Files.createDirectories(dir);
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

    /**
     * A single-node broker (broker and controller roles) on two free ports, with the properties the in-JVM broker of
     * the other tests uses.
     *
     * @param parent the folder to create the node's folder in
     * @return the broker, not started
     */
    public static BrokerProcess singleNode(Path parent) {
        Path dir = newDir(parent, "broker-");
        int[] ports = FreePorts.pick(2);
        return new BrokerProcess(dir, KafkaBroker.singleNode(ports[0], ports[1], dir.resolve("data")),
                "127.0.0.1:" + ports[0]);
    }

    /**
     * A single-node broker whose client listener is reached only through a proxy: it listens on {@code listenPort} and
     * advertises {@code 127.0.0.1:<advertisedPort>}, the proxy's port, so clients that learn broker addresses from
     * metadata keep going through the proxy. A second listener ({@code INTERNAL}, also used between brokers) is what
     * {@link #bootstrap()} returns: the test's own admin and verification clients bypass the proxy.
     *
     * @param parent the folder to create the node's folder in
     * @param listenPort where the broker accepts the proxied client connections
     * @param advertisedPort the proxy's port
     * @param internalPort the {@code INTERNAL} listener's port
     * @param controllerPort the controller's port
     * @return the broker, not started
     */
    public static BrokerProcess behindProxy(Path parent, int listenPort, int advertisedPort, int internalPort,
            int controllerPort) {
        Path dir = newDir(parent, "proxied-broker-");
        Properties props = KafkaBroker.singleNode(listenPort, controllerPort, dir.resolve("data"));
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + listenPort + ",INTERNAL://127.0.0.1:" + internalPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + advertisedPort + ",INTERNAL://127.0.0.1:"
                + internalPort);
        props.put("inter.broker.listener.name", "INTERNAL");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        return new BrokerProcess(dir, props, "127.0.0.1:" + internalPort);
    }

    public static Path newDir(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** @return the address this test's own clients use (admin, verification consumer) */
    public String bootstrap() {
        return bootstrap;
    }

    /** @return the OS process id of the running broker */
    public long pid() {
        return process.pid();
    }

    /** @return the broker's log file */
    public Path log() {
        return dir.resolve("broker.log");
    }

    /** Starts the broker process and returns once it answers a metadata request. */
    public synchronized BrokerProcess start() {
        launch();
        awaitServing();
        return this;
    }

    /**
     * Starts the broker process without waiting for it: the nodes of a cluster must all be launched before any of them
     * can serve (the controllers need a quorum).
     */
    public synchronized void launch() {
        if (process != null && process.isAlive()) {
            return;
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        // INFO with timestamps: a broker's log is how a failed chaos run is understood (a few MB per run). The C1
        // compiler alone and the serial collector: a broker (re)starts on less CPU, which matters on a busy 2-core
        // machine running three of them (a node took over two minutes to start there with the defaults).
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-cp", System.getProperty("java.class.path"), "kafka.Kafka", config.toString()));
        File log = log().toFile();
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the launched broker answers a metadata request; fails if its process exits first. */
    public void awaitServing() {
        Process started;
        synchronized (this) {
            started = process;
        }
        // Generous: on a busy 2-core machine a node restarting after SIGKILL recovers its logs and waits to be unfenced.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!started.isAlive()) {
                throw new IllegalStateException("broker exited with " + started.exitValue() + ", see " + log());
            }
            return TopicClient.answers(bootstrap);
        });
    }

    /** @return whether the broker process is running */
    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
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

    public void createTopic(String name, int partitions) {
        TopicClient.createTopic(bootstrap, name, partitions, 1);
    }

    /** Reads a topic from the beginning until {@code expected} records arrived or the timeout passed. */
    public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
        return TopicClient.consume(bootstrap, topic, expected, timeout);
    }

    @Override
    public synchronized void close() {
        kill();
    }
}
