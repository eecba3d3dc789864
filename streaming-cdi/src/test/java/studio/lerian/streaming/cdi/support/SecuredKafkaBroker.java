package studio.lerian.streaming.cdi.support;

import studio.lerian.streaming.core.support.FreePorts;
import studio.lerian.streaming.core.support.KafkaBroker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node KRaft broker with the listeners a secured deployment has: {@code SSL} (TLS, no client
 * authentication), {@code SASL_SSL} (SCRAM-SHA-512 over TLS), mTLS (TLS requiring a client certificate issued by the
 * same authority) and {@code OAUTHBEARER} over TLS (Kafka's unsecured tokens: the broker checks their form, not a
 * signature), on a server certificate issued for 127.0.0.1 by an authority the test made up
 * ({@link GeneratedCertificates}). A {@code PLAINTEXT} listener carries the broker's own
 * traffic and lets the test create and read topics. The SCRAM user exists from the first start (written into the
 * metadata log when the storage is formatted). {@link #stop()} and {@link #start()} take it down and back with its data.
 */
public final class SecuredKafkaBroker implements AutoCloseable {

    /** The SASL mechanism of the {@code SASL_SSL} listener. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    private static final String CLUSTER_ID = "bGliLXN0cmVhbWluZ3RscyE";

    private final Path dir;
    private final Properties props = new Properties();
    private final GeneratedCertificates authority;
    private final int sslPort;
    private final int saslSslPort;
    private final int plainPort;
    private final int mtlsPort;
    private final int oauthPort;
    private KafkaRaftServer server;

    /**
     * Formats a broker whose SCRAM user is {@code user}; call {@link #start()} next.
     *
     * @param user the SCRAM user name
     * @param password its password
     */
    public SecuredKafkaBroker(String user, String password) {
        try {
            dir = Files.createTempDirectory("kafka-secured-broker-");
            int[] ports = FreePorts.pick(6);
            sslPort = ports[0];
            saslSslPort = ports[1];
            plainPort = ports[2];
            int controllerPort = ports[3];
            mtlsPort = ports[4];
            oauthPort = ports[5];
            authority = GeneratedCertificates.authority("lib-streaming test CA " + System.nanoTime());
            GeneratedCertificates.Issued serverCert = authority.issueServer("127.0.0.1");

            props.putAll(KafkaBroker.singleNode(plainPort, controllerPort, dir.resolve("data")));
            String secured = "SSL://127.0.0.1:" + sslPort + ",SASL_SSL://127.0.0.1:" + saslSslPort
                    + ",MTLS://127.0.0.1:" + mtlsPort + ",OAUTH://127.0.0.1:" + oauthPort
                    + ",PLAINTEXT://127.0.0.1:" + plainPort;
            props.put("listeners", secured + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", secured);
            props.put("listener.security.protocol.map",
                    "SSL:SSL,SASL_SSL:SASL_SSL,MTLS:SSL,OAUTH:SASL_SSL,PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("ssl.keystore.type", "PEM");
            props.put("ssl.keystore.certificate.chain", serverCert.certificateChainPem());
            props.put("ssl.keystore.key", serverCert.privateKeyPem());
            props.put("sasl.enabled.mechanisms", MECHANISM);
            props.put("listener.name.sasl_ssl." + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            props.put("listener.name.mtls.ssl.client.auth", "required");
            props.put("listener.name.mtls.ssl.truststore.type", "PEM");
            props.put("listener.name.mtls.ssl.truststore.certificates", authority.certificatePem());
            props.put("listener.name.oauth.sasl.enabled.mechanisms", "OAUTHBEARER");
            props.put("listener.name.oauth.oauthbearer.sasl.jaas.config",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required"
                            + " unsecuredLoginStringClaim_sub=\"broker\";");

            Path cfg = dir.resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(cfg)) {
                props.store(w, null);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", CLUSTER_ID, "-c", cfg.toString(),
                "--add-scram", MECHANISM + "=[name=" + user + ",password=" + password + "]"},
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed (" + rc + "): " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    /** @return the TLS listener */
    public String sslBootstrap() {
        return "127.0.0.1:" + sslPort;
    }

    /** @return the SCRAM-over-TLS listener */
    public String saslSslBootstrap() {
        return "127.0.0.1:" + saslSslPort;
    }

    /** @return the TLS listener that requires a client certificate issued by {@link #authority()} */
    public String mtlsBootstrap() {
        return "127.0.0.1:" + mtlsPort;
    }

    /** @return the OAUTHBEARER-over-TLS listener, which accepts Kafka's unsecured (unsigned) tokens */
    public String oauthBearerBootstrap() {
        return "127.0.0.1:" + oauthPort;
    }

    /** @return the plain listener, for the test's own admin and consumer clients */
    public String plainBootstrap() {
        return "127.0.0.1:" + plainPort;
    }

    /** @return the authority that issued the broker's certificate */
    public GeneratedCertificates authority() {
        return authority;
    }

    /** Starts the broker (again); returns once it serves. @return this broker */
    public synchronized SecuredKafkaBroker start() {
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
     * Creates a topic through the plain listener.
     *
     * @param name the topic
     * @param configs topic configs, e.g. {@code max.message.bytes}
     */
    public void createTopic(String name, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plainBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("createTopic " + name + " failed", e);
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary folder
        }
    }
}
