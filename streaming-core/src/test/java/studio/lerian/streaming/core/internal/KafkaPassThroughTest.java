package studio.lerian.streaming.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.core.config.KafkaClientProperties;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.core.support.TestCertificates;

/**
 * {@code streaming.kafka.*} / {@code STREAMING_KAFKA_*} reach the producer and the admin client under their Kafka
 * names; what the library sets itself is refused at load, naming the key to use instead; secrets never show in the
 * printed configuration. {@code KafkaPassThroughBrokerTest} proves mTLS and {@code OAUTHBEARER} against a real broker.
 */
class KafkaPassThroughTest {

    private static final String OAUTH_JAAS = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
            + " required unsecuredLoginStringClaim_sub=\"ledger-svc\";";

    private static final String CA = Base64.getEncoder().encodeToString(
            TestCertificates.selfSignedPem().getBytes(StandardCharsets.US_ASCII));

    private static Map<String, String> base() {
        Map<String, String> p = new HashMap<>();
        p.put("streaming.enabled", "true");
        p.put("streaming.brokers", "k1:9092");
        p.put("streaming.cloudevents.source", "//lerian.midaz/transaction-service");
        return p;
    }

    /** Loads as MicroProfile Config would present the map: every name enumerable, each looked up by name. */
    private static StreamingConfig load(Map<String, String> p) {
        return StreamingConfigLoader.load(p::get, p.keySet());
    }

    private static StreamingException refused(Map<String, String> p) {
        return assertThrows(StreamingException.class, () -> load(p));
    }

    @Test
    void bothSpellingsReachTheProducerAndTheAdminClientUnderTheirKafkaNames() {
        Map<String, String> p = base();
        p.put("streaming.tls.enabled", "true");
        p.put("STREAMING_KAFKA_SSL_KEYSTORE_LOCATION", "/etc/kafka/user.p12");
        p.put("streaming.kafka.sasl.login.callback.handler.class", "com.example.IamLoginHandler");
        p.put("streaming.kafka.sasl.mechanism", "AWS_MSK_IAM");
        StreamingConfig c = load(p);

        for (Map<String, Object> client : Stream.of(ProducerSettings.producer(c), ProducerSettings.admin(c)).toList()) {
            assertEquals("/etc/kafka/user.p12", client.get("ssl.keystore.location"));
            assertEquals("com.example.IamLoginHandler", client.get("sasl.login.callback.handler.class"));
            assertEquals("AWS_MSK_IAM", client.get("sasl.mechanism"));
            assertEquals("SASL_SSL", client.get("security.protocol"), "a passed-through mechanism turns SASL on");
        }
    }

    @Test
    void aPropertyOnlyTheProducerKnowsStaysOffTheAdminClient() {
        Map<String, String> p = base();
        p.put("streaming.kafka.buffer.memory", "67108864");
        StreamingConfig c = load(p);
        assertEquals("67108864", ProducerSettings.producer(c).get("buffer.memory"));
        assertFalse(ProducerSettings.admin(c).containsKey("buffer.memory"));
    }

    @Test
    void aPropertyNoKafkaClientKnowsGoesToBothWithAWarning() {
        Map<String, String> p = base();
        p.put("streaming.kafka.awsRoleSessionName", "ledger");
        StreamingConfig c = load(p);
        assertEquals("ledger", ProducerSettings.producer(c).get("awsRoleSessionName"));
        assertEquals("ledger", ProducerSettings.admin(c).get("awsRoleSessionName"));
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("awsRoleSessionName")
                && w.contains("not a Kafka producer or admin client property")), c.warnings()::toString);
    }

    @Test
    void blankValuesAndADisabledEmitterPassNothing() {
        Map<String, String> p = base();
        p.put("streaming.kafka.buffer.memory", " ");
        assertTrue(load(p).kafka().isEmpty());

        p.put("streaming.enabled", "false");
        p.put("streaming.kafka.acks", "0");
        assertTrue(load(p).kafka().isEmpty(), "a disabled emitter reads and refuses nothing");
    }

    /** An environment variable can only name a Kafka property in lower case and dots: Kafka has no other kind. */
    @Test
    void noKafkaClientPropertyHasAnUnderscoreOrACapital() {
        Set<String> names = new TreeSet<>(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        names.removeIf(n -> n.matches("[a-z0-9.]+"));
        assertEquals(Set.of(), names);
        assertEquals("ssl.keystore.location",
                KafkaClientProperties.kafkaProperty("STREAMING_KAFKA_SSL_KEYSTORE_LOCATION").orElseThrow());
    }

    static Stream<String> owned() {
        return KafkaClientProperties.OWNED.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("owned")
    void anOwnedPropertyIsRefusedNamingItAndWhatToUseInstead(String property) {
        for (String name : new String[] {KafkaClientProperties.PREFIX + property,
            KafkaClientProperties.ENV_PREFIX + property.toUpperCase(Locale.ROOT).replace('.', '_')}) {
            Map<String, String> p = base();
            p.put(name, "x");
            StreamingException e = refused(p);
            assertEquals(ErrorCode.INVALID_CONFIG_FIELD, e.code());
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains(" " + property + " ")
                    && e.getMessage().contains(KafkaClientProperties.OWNED.get(property)), e.getMessage());
        }
    }

    /**
     * Nothing the library sets can be passed through: every setting of either client, with every library key that
     * adds one in use, is owned, or owned while that key is set. A setting added to {@link ProducerSettings} without
     * a line in {@link KafkaClientProperties} fails here.
     */
    @Test
    void everySettingTheLibraryMakesIsRefusedAsPassThrough() {
        Map<String, String> p = base();
        p.put("streaming.client.id", "ledger");
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.tls.ca.cert", CA);
        p.put("streaming.sasl.mechanism", "SCRAM-SHA-512");
        p.put("streaming.sasl.username", "u");
        p.put("streaming.sasl.password", "p");
        StreamingConfig c = load(p);
        Set<String> set = new HashSet<>(ProducerSettings.producer(c).keySet());
        set.addAll(ProducerSettings.admin(c).keySet());
        set.removeAll(KafkaClientProperties.OWNED.keySet());
        set.removeAll(KafkaClientProperties.SET_BY.keySet());
        assertEquals(Set.of(), set);
    }

    @Test
    void saslPropertiesAreRefusedOnlyWhileTheLibrarysSaslKeySetsThem() {
        Map<String, String> p = base();
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.kafka.sasl.jaas.config", OAUTH_JAAS);
        p.put("streaming.kafka.sasl.mechanism", "OAUTHBEARER");
        assertEquals("OAUTHBEARER", load(p).kafka().get("sasl.mechanism"));

        p.put("streaming.sasl.mechanism", "PLAIN");
        p.put("streaming.sasl.username", "u");
        p.put("streaming.sasl.password", "p");
        StreamingException e = refused(p);
        assertEquals(ErrorCode.INVALID_CONFIG_FIELD, e.code());
        assertTrue(e.getMessage().contains(ConfigKey.SASL_MECHANISM.env()), e.getMessage());
        assertFalse(e.getMessage().contains("unsecuredLoginStringClaim_sub"), "the value is not printed");
    }

    @Test
    void aTrustStoreIsRefusedOnlyWhileTheLibrarysCaCertificateSetsOne() {
        Map<String, String> p = base();
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.kafka.ssl.truststore.location", "/etc/kafka/ca.p12");
        assertEquals("/etc/kafka/ca.p12", ProducerSettings.producer(load(p)).get("ssl.truststore.location"));

        p.put("streaming.tls.ca.cert", CA);
        StreamingException e = refused(p);
        assertTrue(e.getMessage().contains(ConfigKey.TLS_CA_CERT.env())
                && e.getMessage().contains("streaming.kafka.ssl.truststore.location"), e.getMessage());
    }

    @Test
    void aPassedThroughSaslMechanismWithoutTlsNeedsThePlaintextOptIn() {
        Map<String, String> p = base();
        p.put("streaming.kafka.sasl.mechanism", "OAUTHBEARER");
        p.put("streaming.kafka.sasl.jaas.config", OAUTH_JAAS);
        assertEquals(ErrorCode.PLAINTEXT_SASL_NOT_ALLOWED, refused(p).code());

        p.put("streaming.sasl.allow.plaintext", "true");
        assertEquals("SASL_PLAINTEXT", ProducerSettings.producer(load(p)).get("security.protocol"));
    }

    @Test
    void keyStoresWithoutTlsAndSaslSettingsWithoutAMechanismAreWarnedAbout() {
        Map<String, String> p = base();
        p.put("streaming.kafka.ssl.keystore.location", "/etc/kafka/user.p12");
        p.put("streaming.kafka.sasl.login.callback.handler.class", "com.example.IamLoginHandler");
        StreamingConfig c = load(p);
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains(ConfigKey.TLS_ENABLED.env())), c.warnings()::toString);
        assertTrue(c.warnings().stream().anyMatch(w -> w.contains("SASL is off")), c.warnings()::toString);
        assertEquals("PLAINTEXT", ProducerSettings.producer(c).get("security.protocol"));
    }

    @Test
    void secretsAreMaskedInThePrintedConfiguration() {
        Map<String, String> p = base();
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.kafka.ssl.keystore.location", "/etc/kafka/user.p12");
        p.put("streaming.kafka.ssl.keystore.password", "ks-secret-1");
        p.put("streaming.kafka.ssl.key.password", "key-secret-2");
        p.put("streaming.kafka.ssl.keystore.key", "-----BEGIN PRIVATE KEY-----secret-3");
        p.put("streaming.kafka.sasl.mechanism", "OAUTHBEARER");
        p.put("streaming.kafka.sasl.jaas.config", OAUTH_JAAS.replace("required", "required clientSecret=\"secret-4\""));
        p.put("streaming.kafka.sasl.oauthbearer.token.endpoint.url", "https://idp.example/token");
        p.put("streaming.kafka.com.example.client.secret", "secret-5");
        String printed = load(p).toString();
        for (String secret : new String[] {"ks-secret-1", "key-secret-2", "secret-3", "secret-4", "secret-5"}) {
            assertFalse(printed.contains(secret), printed);
        }
        assertTrue(printed.contains("ssl.keystore.password=" + KafkaClientProperties.MASK), printed);
        assertTrue(printed.contains("ssl.keystore.location=/etc/kafka/user.p12"), printed);
        assertTrue(printed.contains("sasl.oauthbearer.token.endpoint.url=https://idp.example/token"),
                "a known non-password property is shown although its name holds 'token': " + printed);
    }

    /** The Kafka client validates the values it knows: one it refuses fails the deployment, naming the property. */
    @Test
    void aValueTheKafkaClientRefusesFailsTheDeployment() {
        Map<String, String> p = base();
        p.put("streaming.brokers", "127.0.0.1:9");
        p.put("streaming.kafka.buffer.memory", "plenty");
        StreamingConfig c = load(p);
        StreamingException e = assertThrows(StreamingException.class, () -> EmitterFactory.create(c,
                Catalog.of(List.of(Fixture.TRANSACTION_CREATED)), null).close());
        assertEquals(ErrorCode.INVALID_CONFIG_FIELD, e.code());
        assertTrue(e.getMessage().contains("buffer.memory"), e.getMessage());
    }

    /**
     * The unit-level check of {@code OAUTHBEARER}: with Kafka's unsecured login the producer is built (the client logs
     * in as it is constructed) from settings that name the mechanism over TLS.
     */
    @Test
    void anOauthBearerProducerIsBuiltFromPassedThroughSettings() {
        Map<String, String> p = base();
        p.put("streaming.brokers", "127.0.0.1:9"); // resolvable; nothing is sent
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.kafka.sasl.mechanism", "OAUTHBEARER");
        p.put("streaming.kafka.sasl.jaas.config", OAUTH_JAAS);
        Map<String, Object> settings = ProducerSettings.producer(load(p));
        assertEquals("SASL_SSL", settings.get("security.protocol"));
        assertEquals("OAUTHBEARER", settings.get("sasl.mechanism"));
        new KafkaProducer<byte[], byte[]>(settings).close();
    }
}
