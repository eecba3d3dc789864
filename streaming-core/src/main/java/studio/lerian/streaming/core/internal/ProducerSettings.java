package studio.lerian.streaming.core.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import studio.lerian.streaming.core.internal.config.StreamingConfig;

/**
 * Maps a {@link StreamingConfig} to {@code KafkaProducer} (and admin) settings: the library's own, then the Kafka client
 * properties passed through ({@link studio.lerian.streaming.core.config.KafkaClientProperties}), which the loader has
 * checked set none of the library's.
 */
final class ProducerSettings {

    /** Kafka's default request timeout, used unless the delivery timeout leaves less room. */
    private static final int DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

    /** The most requests in flight per connection with which the idempotent producer keeps a partition's order. */
    static final int MAX_IN_FLIGHT_IDEMPOTENT = 5;

    private ProducerSettings() {
    }

    static Map<String, Object> producer(StreamingConfig c) {
        Map<String, Object> p = common(c);
        int deliveryMs = Math.toIntExact(c.deliveryTimeout().toMillis());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, c.lingerMs());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, c.batchMaxBytes());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Math.min(c.batchMaxBytes(), 16_384));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, c.compression());
        p.put(ProducerConfig.RETRIES_CONFIG, c.recordRetries());
        p.put(ProducerConfig.ACKS_CONFIG, switch (c.requiredAcks()) {
            case "leader" -> "1";
            case "none" -> "0";
            default -> "all";
        });
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, c.idempotent());
        // Pipelined sends (emitAll, the relay's key runs) rely on the client keeping a partition's records in order
        // across its retries. With idempotence the broker checks each partition's sequence numbers, which holds for at
        // most 5 requests in flight (the broker keeps the last 5 batches per producer); set here, not left to the
        // client's default, and with idempotence asked for explicitly the client refuses a conflicting setting rather
        // than quietly turn idempotence off. Without idempotence a retried request can land after a later one of its
        // partition: one request in flight per connection keeps the order, as the Go library's client does by default.
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, c.idempotent() ? MAX_IN_FLIGHT_IDEMPOTENT : 1);
        // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryMs);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Math.max(1, Math.min(DEFAULT_REQUEST_TIMEOUT_MS, deliveryMs - c.lingerMs())));
        // send() may block on metadata or a full buffer: at most half the delivery timeout, so that with the wait for
        // an in-flight slot (the other half) and the acknowledgement an emit stays within the delivery timeout.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.max(1, deliveryMs / 2));
        return passThrough(p, c, ProducerConfig.configNames(), AdminClientConfig.configNames());
    }

    static Map<String, Object> admin(StreamingConfig c) {
        Map<String, Object> p = common(c);
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        return passThrough(p, c, AdminClientConfig.configNames(), ProducerConfig.configNames());
    }

    /**
     * The dead-letter re-drive's producer: the emitter's settings, but always idempotent with {@code acks=all}, whatever
     * the deployment chose for its emits: an operator re-driving events must not lose or duplicate them on a broker
     * failover, and idempotence keeps each partition's order across retries.
     */
    static Map<String, Object> redriveProducer(StreamingConfig c) {
        Map<String, Object> p = producer(c);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE); // bounded by delivery.timeout.ms, as Kafka's default
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, MAX_IN_FLIGHT_IDEMPOTENT);
        return p;
    }

    /**
     * The dead-letter re-drive's consumer: the connection and security settings the producer has, the passed-through
     * properties a consumer knows (and those no Kafka client knows, for plug-ins), then what the re-drive's reading
     * depends on. Those last replace a passed-through value: the consumer is assigned its partitions and seeks them
     * itself, commits nothing and creates no topic, so it never touches the application's consumer groups.
     */
    static Map<String, Object> consumer(StreamingConfig c) {
        Map<String, Object> p = common(c);
        Set<String> others = new java.util.HashSet<>(ProducerConfig.configNames());
        others.addAll(AdminClientConfig.configNames());
        others.removeAll(ConsumerConfig.configNames());
        c.kafka().forEach((name, value) -> {
            if (!p.containsKey(name) && (ConsumerConfig.configNames().contains(name) || !others.contains(name))) {
                p.put(name, value);
            }
        });
        int deliveryMs = Math.toIntExact(c.deliveryTimeout().toMillis());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // Only used when a position is out of range (retention deleted it between the seek and the fetch).
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, Math.min(DEFAULT_REQUEST_TIMEOUT_MS, deliveryMs));
        p.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, deliveryMs);
        return p;
    }

    /**
     * Adds the passed-through properties this client knows, and those no Kafka client knows (a plug-in's own), leaving
     * out those only the other client knows: the client would log each as an unknown setting.
     */
    private static Map<String, Object> passThrough(Map<String, Object> p, StreamingConfig c, Set<String> known,
            Set<String> otherClients) {
        c.kafka().forEach((name, value) -> {
            if (known.contains(name) || !otherClients.contains(name)) {
                if (p.containsKey(name)) { // the loader refuses these; never let one replace the library's setting
                    throw new IllegalStateException("passed-through Kafka property " + name + " is the library's");
                }
                p.put(name, value);
            }
        });
        return p;
    }

    private static Map<String, Object> common(StreamingConfig c) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", c.brokers()));
        if (!c.clientId().isEmpty()) {
            p.put(CommonClientConfigs.CLIENT_ID_CONFIG, c.clientId());
        }
        boolean sasl = c.sasl();
        String protocol = c.tls() ? (sasl ? "SASL_SSL" : "SSL") : (sasl ? "SASL_PLAINTEXT" : "PLAINTEXT");
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (c.tls()) {
            p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "https");
            if (!c.tlsCaCertPem().isEmpty()) {
                p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
                p.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, c.tlsCaCertPem());
            }
        }
        if (!c.saslMechanism().isEmpty()) {
            p.put(SaslConfigs.SASL_MECHANISM, c.saslMechanism());
            String module = "PLAIN".equals(c.saslMechanism())
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasEscape(c.saslUsername())
                    + "\" password=\"" + jaasEscape(c.saslPassword()) + "\";");
        }
        return p;
    }

    /** JAAS quoted strings escape backslash and double quote. */
    private static String jaasEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
