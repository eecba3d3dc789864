package studio.lerian.streaming.cdi.sasl;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.lerian.streaming.EmitException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.HealthState;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.cdi.support.SecuredKafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.core.support.TopicClient;

/**
 * Kafka client properties passed through as {@code streaming.kafka.*} / {@code STREAMING_KAFKA_*} against a real
 * broker whose listeners need what the library's own keys cannot express: mTLS with a Strimzi-style PKCS#12 client key
 * store and trust store, and {@code OAUTHBEARER} over TLS. Each publishes with the pass-through and never publishes
 * without it, so the properties are what makes the connection.
 */
class KafkaPassThroughBrokerTest {

    private static final String TOPIC = "lerian.streaming.transaction.created";
    private static final String STORE_PASSWORD = "p12-pw-5b0e";

    @TempDir
    static Path stores;

    private static SecuredKafkaBroker broker;
    private static Path keyStore;
    private static Path trustStore;

    @BeforeAll
    static void start() {
        broker = new SecuredKafkaBroker("unused", "unused-pw").start();
        broker.createTopic(TOPIC, Map.of());
        keyStore = broker.authority().writeClientKeyStore("ledger-svc", stores.resolve("user.p12"), STORE_PASSWORD);
        trustStore = broker.authority().writeTrustStore(stores.resolve("ca.p12"), STORE_PASSWORD);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /**
     * TLS to a listener, trusting the broker's authority through a passed-through PKCS#12 trust store; the health
     * probe's admin client connects with these settings too, so a healthy emitter proves both clients got them.
     */
    private static Map<String, String> tlsWithTrustStore(String bootstrap) {
        Map<String, String> p = Fixture.config(bootstrap);
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.kafka.ssl.truststore.location", trustStore.toString());
        p.put("streaming.kafka.ssl.truststore.password", STORE_PASSWORD);
        p.put("streaming.kafka.ssl.truststore.type", "PKCS12");
        return p;
    }

    @Test
    void mtlsWithAPassedThroughClientKeyStorePublishes() {
        Map<String, String> p = tlsWithTrustStore(broker.mtlsBootstrap());
        // The environment variable spelling, as a Kubernetes manifest would give it.
        p.put("STREAMING_KAFKA_SSL_KEYSTORE_LOCATION", keyStore.toString());
        p.put("STREAMING_KAFKA_SSL_KEYSTORE_PASSWORD", STORE_PASSWORD);
        p.put("streaming.kafka.ssl.keystore.type", "PKCS12");
        p.put("streaming.kafka.ssl.key.password", STORE_PASSWORD);
        String marker = "mtls-" + System.nanoTime();
        try (StreamingContainer app = StreamingContainer.start(p, Fixture.Definitions.class)) {
            app.emitter().emit(event(marker));
            awaitHealthy(app);
        }
        assertPublished(marker);
    }

    @Test
    void mtlsWithoutAClientKeyStoreNeverPublishes() {
        Map<String, String> p = tlsWithTrustStore(broker.mtlsBootstrap());
        try (StreamingContainer app = StreamingContainer.start(p, Fixture.Definitions.class)) {
            assertThrows(EmitException.class, () -> app.emitter().emit(event("mtls-refused")));
            assertNotEquals(HealthState.HEALTHY, app.emitter().health().state());
        }
    }

    @Test
    void oauthBearerOverTlsWithPassedThroughLoginPublishes() {
        Map<String, String> p = Fixture.config(broker.oauthBearerBootstrap());
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.tls.ca.cert", broker.authority().certificatePemBase64());
        p.put("streaming.kafka.sasl.mechanism", "OAUTHBEARER");
        // Kafka's unsecured login: an unsigned token with this subject, which the broker's default validator accepts.
        // A real deployment names its identity provider's login callback handler and token endpoint instead.
        p.put("streaming.kafka.sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
                + " required unsecuredLoginStringClaim_sub=\"ledger-svc\";");
        String marker = "oauth-" + System.nanoTime();
        try (StreamingContainer app = StreamingContainer.start(p, Fixture.Definitions.class)) {
            app.emitter().emit(event(marker));
            awaitHealthy(app);
        }
        assertPublished(marker);
    }

    @Test
    void oauthBearerListenerWithoutTheSaslPassThroughNeverPublishes() {
        Map<String, String> p = Fixture.config(broker.oauthBearerBootstrap());
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.tls.ca.cert", broker.authority().certificatePemBase64());
        try (StreamingContainer app = StreamingContainer.start(p, Fixture.Definitions.class)) {
            assertThrows(EmitException.class, () -> app.emitter().emit(event("oauth-refused")));
            assertNotEquals(HealthState.HEALTHY, app.emitter().health().state());
        }
    }

    private static EmitRequest event(String marker) {
        return EmitRequest.builder("transaction.created").tenantId("t-abc")
                .payload("{\"amount\":1,\"marker\":\"" + marker + "\"}").build();
    }

    /** Read back through the plain listener: the record is on the topic, not only acknowledged. */
    private static void assertPublished(String marker) {
        assertTrue(TopicClient.consume(broker.plainBootstrap(), TOPIC, 1, Duration.ofSeconds(20)).stream()
                .anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker)),
                "no record with " + marker + " on " + TOPIC);
    }

    /** The health probe opens a connection of its own (TLS handshake, SASL exchange) within 500 ms: it may take tries. */
    private static void awaitHealthy(StreamingContainer app) {
        await().atMost(Duration.ofSeconds(30)).until(() -> app.emitter().health().state() == HealthState.HEALTHY);
    }
}
