package studio.lerian.streaming.cdi.sasl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;
import studio.lerian.streaming.core.support.FreePorts;

/**
 * A real single-node KRaft broker whose client listener requires SASL/SCRAM-SHA-256 over plaintext. The user's
 * credentials are written into the metadata log when the storage is formatted ({@code --add-scram}), so they exist
 * from the first start. Inter-broker and controller traffic stay on plain listeners.
 */
final class ScramKafkaBroker implements AutoCloseable {

    private static final String CLUSTER_ID = "bGliLXN0cmVhbWluZ3NjcmFt";

    private final Path dir;
    private final int saslPort;
    private final KafkaRaftServer server;

    ScramKafkaBroker(String user, String password) {
        try {
            this.dir = Files.createTempDirectory("kafka-scram-broker-");
            int[] ports = FreePorts.pick(3);
            this.saslPort = ports[0];
            int plainPort = ports[1];
            int controllerPort = ports[2];
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + saslPort + ",PLAINTEXT://127.0.0.1:" + plainPort
                    + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + saslPort + ",PLAINTEXT://127.0.0.1:"
                    + plainPort);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map",
                    "SASL_PLAINTEXT:SASL_PLAINTEXT,PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
            props.put("listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            props.put("log.dirs", dir.resolve("data").toString());
            props.put("num.partitions", "1");
            props.put("auto.create.topics.enable", "true");
            props.put("offsets.topic.replication.factor", "1");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            Path cfg = dir.resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(cfg)) {
                props.store(w, null);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", CLUSTER_ID, "-c", cfg.toString(),
                "--add-scram", "SCRAM-SHA-256=[name=" + user + ",password=" + password + "]"},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed (" + rc + "): " + out);
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** @return the SASL listener, {@code 127.0.0.1:<port>} */
    String saslBootstrap() {
        return "127.0.0.1:" + saslPort;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: the folder is under target/
        }
    }
}
