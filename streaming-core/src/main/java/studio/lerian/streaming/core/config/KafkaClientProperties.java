package studio.lerian.streaming.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * Kafka client properties passed through to the producer and the admin client: every MicroProfile Config property
 * {@code streaming.kafka.<property>}, or environment variable {@code STREAMING_KAFKA_<PROPERTY>}, becomes the Kafka
 * client property {@code <property>} (for example {@code STREAMING_KAFKA_SSL_KEYSTORE_LOCATION} is
 * {@code ssl.keystore.location}). They exist for what managed Kafka needs and the {@link ConfigKey}s do not model:
 * client key stores for mTLS, {@code OAUTHBEARER} and cloud IAM login modules and their callback handlers.
 *
 * <p>An environment variable's name is read as lower case with {@code _} turned into {@code .}: no Kafka client
 * property has an underscore or a capital in its name. A property a plug-in reads under such a name can only be given
 * in the {@code streaming.kafka.} form (a system property or {@code microprofile-config.properties}).
 *
 * <p>A property the producer knows goes to the producer, one the admin client knows to the admin client (both, for the
 * connection and security settings they share); a property neither knows goes to both, as plug-ins such as login
 * callback handlers read their own, and the loader warns about it in case it is a typo. Blank values are ignored.
 *
 * <p>The library sets some properties itself, because its delivery guarantees depend on them or because a
 * {@link ConfigKey} already governs them: those are {@link #OWNED} and refused when the deployment starts, never
 * silently overridden. A few more are refused only while the library's own key sets them ({@link #SET_BY}): SASL from
 * {@link ConfigKey#SASL_MECHANISM}, the trust store from {@link ConfigKey#TLS_CA_CERT}. The security protocol follows
 * {@link ConfigKey#TLS_ENABLED} and whether a SASL mechanism is configured either way, so {@code OAUTHBEARER} over TLS
 * is {@code STREAMING_TLS_ENABLED=true} with {@code streaming.kafka.sasl.mechanism=OAUTHBEARER}; SASL without TLS
 * needs {@link ConfigKey#SASL_ALLOW_PLAINTEXT} as well, whichever way it is configured.
 *
 * <p>Values whose Kafka type is {@code PASSWORD} (key store and key passwords, {@code sasl.jaas.config}, PEM keys)
 * are masked wherever the library prints settings; so are properties unknown to Kafka whose name suggests a secret.
 */
public final class KafkaClientProperties {

    /** The MicroProfile Config prefix. */
    public static final String PREFIX = "streaming.kafka.";

    /** The environment variable prefix. */
    public static final String ENV_PREFIX = "STREAMING_KAFKA_";

    /** What printed settings show instead of a secret value. */
    public static final String MASK = "****";

    /**
     * The Kafka properties the library always sets, each with what to configure instead. Refused as pass-through.
     */
    public static final Map<String, String> OWNED = owned();

    /** The Kafka properties the library sets while the given key is set; refused as pass-through only then. */
    public static final Map<String, ConfigKey> SET_BY = Map.of(
            SaslConfigs.SASL_MECHANISM, ConfigKey.SASL_MECHANISM,
            SaslConfigs.SASL_JAAS_CONFIG, ConfigKey.SASL_MECHANISM,
            SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, ConfigKey.TLS_CA_CERT,
            SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, ConfigKey.TLS_CA_CERT,
            SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ConfigKey.TLS_CA_CERT,
            SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, ConfigKey.TLS_CA_CERT);

    private static final String[] SECRET_WORDS = {"password", "secret", "jaas", "token", "credential", "private"};

    private KafkaClientProperties() {
    }

    private static Map<String, String> owned() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "use " + ConfigKey.BROKERS.env());
        m.put(CommonClientConfigs.CLIENT_ID_CONFIG, "use " + ConfigKey.CLIENT_ID.env());
        m.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "it follows " + ConfigKey.TLS_ENABLED.env()
                + " and whether a SASL mechanism is set (" + ConfigKey.SASL_MECHANISM.env() + " or " + PREFIX
                + SaslConfigs.SASL_MECHANISM + ")");
        m.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG,
                "the library always verifies the broker's host name against its certificate");
        String bytes = "records are framed as bytes by the library (" + ConfigKey.CLOUDEVENTS_FORMAT.env() + ")";
        m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, bytes);
        m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, bytes);
        m.put(ProducerConfig.ACKS_CONFIG, "use " + ConfigKey.REQUIRED_ACKS.env());
        m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "it is on with " + ConfigKey.REQUIRED_ACKS.env()
                + "=all and " + ConfigKey.RECORD_RETRIES.env() + " > 0");
        m.put(ProducerConfig.RETRIES_CONFIG, "use " + ConfigKey.RECORD_RETRIES.env());
        m.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                "the library sets it from idempotence to keep each partition's order");
        String budget = "the library budgets it from " + ConfigKey.RECORD_DELIVERY_TIMEOUT_S.env();
        m.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, budget);
        m.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, budget + " (and the readiness probe's)");
        m.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, budget);
        m.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, "the readiness probe budgets it");
        m.put(ProducerConfig.LINGER_MS_CONFIG, "use " + ConfigKey.BATCH_LINGER_MS.env());
        m.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "use " + ConfigKey.BATCH_MAX_BYTES.env());
        m.put(ProducerConfig.BATCH_SIZE_CONFIG, "the library sets it from " + ConfigKey.BATCH_MAX_BYTES.env());
        m.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "use " + ConfigKey.COMPRESSION.env());
        m.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "the producer is not transactional; the outbox makes an emit atomic with the database");
        String byKey = "per-key order needs every record on its key's partition";
        m.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, byKey);
        m.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, byKey);
        return Collections.unmodifiableMap(m);
    }

    /**
     * The Kafka property a configuration name passes through, if it is one.
     *
     * @param name a MicroProfile Config property or environment variable name
     * @return {@code ssl.keystore.location} for {@code streaming.kafka.ssl.keystore.location} and for
     *         {@code STREAMING_KAFKA_SSL_KEYSTORE_LOCATION}; empty for any other name or an empty property
     */
    public static Optional<String> kafkaProperty(String name) {
        String property;
        if (name.startsWith(PREFIX)) {
            property = name.substring(PREFIX.length());
        } else if (name.startsWith(ENV_PREFIX)) {
            property = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        } else {
            return Optional.empty();
        }
        return property.isEmpty() ? Optional.empty() : Optional.of(property);
    }

    /**
     * Whether a property's value is a secret: its type is {@code PASSWORD} for the producer or the admin client, or,
     * for a property neither knows, its name holds a word such as {@code password}, {@code secret}, {@code jaas},
     * {@code token} or {@code credential}.
     *
     * @param property a Kafka client property
     * @return whether its value must not be printed
     */
    public static boolean isSecret(String property) {
        ConfigDef.ConfigKey producer = ProducerConfig.configDef().configKeys().get(property);
        ConfigDef.ConfigKey admin = AdminClientConfig.configDef().configKeys().get(property);
        if (producer != null || admin != null) {
            return (producer != null ? producer : admin).type == ConfigDef.Type.PASSWORD;
        }
        String lower = property.toLowerCase(Locale.ROOT);
        for (String word : SECRET_WORDS) {
            if (lower.contains(word)) {
                return true;
            }
        }
        return lower.endsWith(".key");
    }

    /**
     * Renders properties for a log line or a {@code toString}, secrets masked.
     *
     * @param properties Kafka client properties
     * @return {@code {ssl.keystore.location=/etc/kafka/user.p12, ssl.keystore.password=****}}
     */
    public static String masked(Map<String, String> properties) {
        StringJoiner out = new StringJoiner(", ", "{", "}");
        properties.forEach((k, v) -> out.add(k + "=" + (isSecret(k) ? MASK : v)));
        return out.toString();
    }
}
