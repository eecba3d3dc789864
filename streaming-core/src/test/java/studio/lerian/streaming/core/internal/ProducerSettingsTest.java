package studio.lerian.streaming.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;
import studio.lerian.streaming.core.support.TestCertificates;

/** Section 1.5 of the spec: how a loaded configuration becomes KafkaProducer and admin client settings. */
class ProducerSettingsTest {

    private static Map<String, String> base() {
        Map<String, String> p = new HashMap<>();
        p.put("streaming.enabled", "true");
        p.put("streaming.brokers", " k1:9092, k2:9092 ");
        p.put("streaming.cloudevents.source", "//lerian.midaz/transaction-service");
        return p;
    }

    private static StreamingConfig config(Map<String, String> p) {
        return StreamingConfigLoader.load((Function<String, String>) p::get);
    }

    private static Map<String, Object> producer(Map<String, String> p) {
        return ProducerSettings.producer(config(p));
    }

    @Test
    void defaultsMapToTheGoLibrarysProducer() {
        Map<String, Object> s = producer(base());
        assertEquals("k1:9092,k2:9092", s.get("bootstrap.servers"));
        assertFalse(s.containsKey("client.id"), "empty client id leaves the client's default");
        assertEquals(5, s.get("linger.ms"));
        assertEquals(1_048_576, s.get("max.request.size"));
        assertEquals("lz4", s.get("compression.type"));
        assertEquals(10, s.get("retries"));
        assertEquals("all", s.get("acks"));
        assertEquals(true, s.get("enable.idempotence"));
        assertEquals(5, s.get("max.in.flight.requests.per.connection"));
        assertEquals(30_000, s.get("delivery.timeout.ms"));
        assertEquals(30_000 - 5, s.get("request.timeout.ms"));
        assertEquals(15_000, s.get("max.block.ms"), "half the delivery timeout; the in-flight slot wait gets the rest");
        assertEquals("PLAINTEXT", s.get("security.protocol"));
        assertFalse(s.containsKey("sasl.jaas.config"));
        assertFalse(s.containsKey("ssl.truststore.type"));
    }

    @ParameterizedTest(name = "acks {0} -> {1}, idempotent {2}")
    @CsvSource({"all, all, true", "leader, 1, false", "none, 0, false"})
    void requiredAcksMapToKafkaAcksAndIdempotenceOnlyWithAll(String acks, String kafkaAcks, boolean idempotent) {
        Map<String, String> p = base();
        p.put("streaming.required.acks", acks);
        Map<String, Object> s = producer(p);
        assertEquals(kafkaAcks, s.get("acks"));
        assertEquals(idempotent, s.get("enable.idempotence"));
        assertEquals(idempotent ? 5 : 1, s.get("max.in.flight.requests.per.connection"),
                "with idempotence at most 5, without it one request in flight keeps a partition's order");
    }

    /**
     * The relay publishes a key's rows back to back (OutboxRelay, KeyRunPublisher): that keeps their order only if the
     * client does across its retries, which the Kafka client's own processing of the settings must confirm: idempotent
     * with at most 5 requests in flight, or one request in flight. Kafka quietly turns idempotence off when a setting
     * it needs is missing and idempotence was not asked for explicitly; this test would see that.
     */
    @ParameterizedTest(name = "acks {0}")
    @CsvSource({"all, true", "leader, false", "none, false"})
    void theClientKeepsAPartitionsOrderAcrossRetries(String acks, boolean idempotent) {
        Map<String, String> p = base();
        p.put("streaming.required.acks", acks);
        ProducerConfig effective = new ProducerConfig(producer(p));
        int inFlight = effective.getInt(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        assertEquals(idempotent, effective.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        if (idempotent) {
            assertTrue(inFlight >= 1 && inFlight <= 5, "idempotent order needs at most 5 in flight: " + inFlight);
            assertTrue(effective.getInt(ProducerConfig.RETRIES_CONFIG) > 0);
            assertEquals("-1", effective.getString(ProducerConfig.ACKS_CONFIG));
        } else {
            assertEquals(1, inFlight, "without idempotence only one request in flight keeps the order");
        }
    }

    @Test
    void deliveryTimeoutBoundsRequestTimeoutAndBlocking() {
        Map<String, String> p = base();
        p.put("streaming.record.delivery.timeout.s", "2");
        p.put("streaming.batch.linger.ms", "20");
        p.put("streaming.client.id", "ledger");
        p.put("streaming.compression", "zstd");
        p.put("streaming.record.retries", "3");
        p.put("streaming.batch.max.bytes", "4096");
        Map<String, Object> s = producer(p);
        assertEquals(2_000, s.get("delivery.timeout.ms"));
        assertEquals(1_980, s.get("request.timeout.ms"));
        assertTrue((int) s.get("delivery.timeout.ms")
                >= (int) s.get("linger.ms") + (int) s.get("request.timeout.ms"), "Kafka's own constraint");
        assertEquals(1_000, s.get("max.block.ms"));
        assertEquals("ledger", s.get("client.id"));
        assertEquals("zstd", s.get("compression.type"));
        assertEquals(3, s.get("retries"));
        assertEquals(4096, s.get("max.request.size"));
        assertEquals(4096, s.get("batch.size"));
    }

    @Test
    void settingsAreAcceptedByTheRealKafkaProducer() {
        Map<String, String> p = base();
        p.put("streaming.brokers", "127.0.0.1:9");
        p.put("streaming.record.delivery.timeout.s", "1");
        p.put("streaming.batch.linger.ms", "999");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(ProducerSettings.producer(config(p)))) {
            assertTrue(producer.metrics().size() > 0);
        }
    }

    @Test
    void lingerAtLeastTheDeliveryTimeoutIsRejectedAtLoadNotByTheKafkaClient() {
        Map<String, String> p = base();
        p.put("streaming.record.delivery.timeout.s", "1");
        p.put("streaming.batch.linger.ms", "1000");
        studio.lerian.streaming.StreamingException e = org.junit.jupiter.api.Assertions.assertThrows(
                studio.lerian.streaming.StreamingException.class, () -> config(p));
        assertEquals(studio.lerian.streaming.ErrorCode.INVALID_CONFIG_FIELD, e.code());
        assertTrue(e.getMessage().contains("STREAMING_BATCH_LINGER_MS=\"1000\""), e.getMessage());
        assertTrue(e.getMessage().contains("STREAMING_RECORD_DELIVERY_TIMEOUT_S"), e.getMessage());
    }

    @Test
    void tlsWithoutSaslIsSslWithHostnameVerificationAndThePemTrustStore() {
        String pem = TestCertificates.selfSignedPem();
        Map<String, String> p = base();
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.tls.ca.cert", Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
        Map<String, Object> s = producer(p);
        assertEquals("SSL", s.get("security.protocol"));
        assertEquals("https", s.get("ssl.endpoint.identification.algorithm"));
        assertEquals("PEM", s.get("ssl.truststore.type"));
        assertEquals(pem, s.get("ssl.truststore.certificates"));
        assertEquals(s.get("ssl.truststore.certificates"),
                ProducerSettings.admin(config(p)).get("ssl.truststore.certificates"), "admin probe trusts the same CA");
    }

    @Test
    void tlsWithoutCaUsesTheJvmTrustStore() {
        Map<String, String> p = base();
        p.put("streaming.tls.enabled", "true");
        Map<String, Object> s = producer(p);
        assertEquals("SSL", s.get("security.protocol"));
        assertFalse(s.containsKey("ssl.truststore.type"));
        assertFalse(s.containsKey("ssl.truststore.certificates"));
    }

    @Test
    void scramOverTlsIsSaslSslWithTheScramModule() {
        Map<String, String> p = base();
        p.put("streaming.tls.enabled", "true");
        p.put("streaming.sasl.mechanism", "scram-sha-256");
        p.put("streaming.sasl.username", "svc");
        p.put("streaming.sasl.password", "pw");
        Map<String, Object> s = producer(p);
        assertEquals("SASL_SSL", s.get("security.protocol"));
        assertEquals("SCRAM-SHA-256", s.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svc\""
                + " password=\"pw\";", s.get("sasl.jaas.config"));
    }

    @Test
    void plainWithoutTlsIsSaslPlaintextAndQuotesAreEscaped() {
        Map<String, String> p = base();
        p.put("streaming.sasl.mechanism", "PLAIN");
        p.put("streaming.sasl.username", "a\"b");
        p.put("streaming.sasl.password", "p\\w\"d;x");
        p.put("streaming.sasl.allow.plaintext", "true");
        Map<String, Object> s = producer(p);
        assertEquals("SASL_PLAINTEXT", s.get("security.protocol"));
        assertEquals("PLAIN", s.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"a\\\"b\""
                + " password=\"p\\\\w\\\"d;x\";", s.get("sasl.jaas.config"));
    }

    @Test
    void escapedJaasTextParsesBackToTheOriginalCredentials() {
        Map<String, String> p = base();
        p.put("streaming.sasl.mechanism", "SCRAM-SHA-512");
        p.put("streaming.sasl.username", "we\"ird");
        p.put("streaming.sasl.password", "p\\a\"ss word;");
        p.put("streaming.sasl.allow.plaintext", "true");
        String jaas = (String) producer(p).get("sasl.jaas.config");
        var parsed = org.apache.kafka.common.security.JaasContext.loadClientContext(
                Map.of("sasl.jaas.config", new org.apache.kafka.common.config.types.Password(jaas)));
        var options = parsed.configurationEntries().get(0).getOptions();
        assertEquals("we\"ird", options.get("username"));
        assertEquals("p\\a\"ss word;", options.get("password"));
    }

    @Test
    void adminProbeSharesConnectionSettingsButHasShortTimeouts() {
        Map<String, String> p = base();
        p.put("streaming.sasl.mechanism", "PLAIN");
        p.put("streaming.sasl.username", "u");
        p.put("streaming.sasl.password", "pw");
        p.put("streaming.sasl.allow.plaintext", "true");
        Map<String, Object> a = ProducerSettings.admin(config(p));
        assertEquals("k1:9092,k2:9092", a.get("bootstrap.servers"));
        assertEquals("SASL_PLAINTEXT", a.get("security.protocol"));
        assertEquals(5_000, a.get("request.timeout.ms"));
        assertEquals(5_000, a.get("default.api.timeout.ms"));
        assertFalse(a.containsKey(ProducerConfig.ACKS_CONFIG));
    }
}
