package studio.lerian.streaming.core.internal.config;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.core.internal.config.EventPolicies;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.core.config.KafkaClientProperties;
import studio.lerian.streaming.kafka.RecordFormat;
import studio.lerian.streaming.internal.HeaderValues;
import studio.lerian.streaming.internal.LogLine;
import studio.lerian.streaming.wire.Lanes;

/**
 * Reads and validates {@link ConfigKey}s from a lookup of raw values by property name (MicroProfile Config in the CDI
 * module, the environment and system properties without a container). Validation runs only when streaming is enabled: a
 * disabled configuration always loads. Out-of-range or unparsable values are rejected, never replaced by defaults.
 * The loader does not log; it returns warnings in {@link StreamingConfig#warnings()}.
 */
public final class StreamingConfigLoader {

    private static final Set<String> COMPRESSIONS = Set.of("snappy", "lz4", "zstd", "gzip", "none");
    private static final Set<String> ACKS = Set.of("all", "leader", "none");
    private static final Set<String> SASL_MECHANISMS = Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final int MAX_SOURCE_BYTES = 2048;
    /** A claim holds its rows in memory and locks them in one transaction; the strict claim reads twice as many. */
    private static final int MAX_OUTBOX_BATCH = 100_000;
    /** About a century: the purge compares with now minus the retention, which a database must be able to store. */
    private static final int MAX_RETENTION_H = 876_000;
    /** An hour: a relay silent longer than that is not slow but gone. */
    private static final int MAX_LANE_LEASE_S = 3_600;
    /** A day: a transaction held open longer is no batch any database keeps healthy. */
    private static final int MAX_BATCH_TIMEOUT_S = 86_400;
    /** host:port, the host a name, an IPv4 address or a bracketed IPv6 address, as the Kafka client parses it. */
    private static final Pattern BROKER = Pattern.compile("(?:\\[[0-9a-fA-F:.%\\w]+\\]|[0-9a-zA-Z\\-%._]+):[0-9]{1,5}");

    private final Function<String, String> raw;
    private final Iterable<String> names;

    private StreamingConfigLoader(Function<String, String> raw, Iterable<String> names) {
        this.raw = raw;
        this.names = names;
    }

    /**
     * Loads from a lookup of raw values by property name ({@code streaming.brokers}, ...).
     *
     * @param lookup returns the raw value of a property, or {@code null} when unset
     * @return the validated configuration
     * @throws StreamingException a caller-correctable code naming the key, the value and the accepted values
     */
    public static StreamingConfig load(Function<String, String> lookup) {
        return load(lookup, List.of());
    }

    /**
     * Loads from a lookup of raw values by property name, with the names that exist: the Kafka client properties
     * passed through ({@link KafkaClientProperties}) are found by enumerating them.
     *
     * @param lookup returns the raw value of a property, or {@code null} when unset
     * @param names every property and environment variable name the configuration holds
     * @return the validated configuration
     * @throws StreamingException a caller-correctable code naming the key, the value and the accepted values
     */
    public static StreamingConfig load(Function<String, String> lookup, Iterable<String> names) {
        return new StreamingConfigLoader(lookup, names).read();
    }

    private StreamingConfig read() {
        List<String> warnings = new ArrayList<>();
        boolean enabled = bool(ConfigKey.ENABLED);
        if (!enabled) {
            return disabled();
        }
        List<String> brokers = brokers(value(ConfigKey.BROKERS));
        if (brokers.isEmpty()) {
            throw new StreamingException(ErrorCode.MISSING_BROKERS,
                    ConfigKey.BROKERS.env() + "=\"" + value(ConfigKey.BROKERS) + "\" lists no broker");
        }
        for (String broker : brokers) {
            if (!BROKER.matcher(broker).matches() || !validPort(broker.substring(broker.lastIndexOf(':') + 1))) {
                // The Kafka client would refuse it too, but with a message that names none of our keys.
                throw new StreamingException(ErrorCode.INVALID_CONFIG_FIELD, describe(ConfigKey.BROKERS,
                        value(ConfigKey.BROKERS)) + ": " + LogLine.quoted(broker)
                        + " is not host:port (port 1..65535)");
            }
        }
        String source = value(ConfigKey.CLOUDEVENTS_SOURCE);
        if (source.isEmpty()) {
            throw new StreamingException(ErrorCode.MISSING_SOURCE,
                    ConfigKey.CLOUDEVENTS_SOURCE.env() + " must be set, e.g. //lerian.midaz/<service>");
        }
        if (!HeaderValues.isValid(source, MAX_SOURCE_BYTES)) {
            throw new StreamingException(ErrorCode.INVALID_SOURCE, describe(ConfigKey.CLOUDEVENTS_SOURCE, source));
        }
        String compression = oneOf(ConfigKey.COMPRESSION, COMPRESSIONS, ErrorCode.INVALID_COMPRESSION);
        String acks = oneOf(ConfigKey.REQUIRED_ACKS, ACKS, ErrorCode.INVALID_ACKS);
        RecordFormat format = RecordFormat.fromWire(value(ConfigKey.CLOUDEVENTS_FORMAT))
                .orElseThrow(() -> invalid(ConfigKey.CLOUDEVENTS_FORMAT));
        if (format != RecordFormat.LERIAN) {
            requireUriReference(source, format);
        }
        int linger = integer(ConfigKey.BATCH_LINGER_MS, 0);
        int batchMaxBytes = integer(ConfigKey.BATCH_MAX_BYTES, 1);
        int maxBuffered = integer(ConfigKey.MAX_BUFFERED_RECORDS, 1);
        int retries = integer(ConfigKey.RECORD_RETRIES, 0);
        // The Kafka client takes the delivery timeout in milliseconds, as an int.
        int deliveryS = integer(ConfigKey.RECORD_DELIVERY_TIMEOUT_S, 1, Integer.MAX_VALUE / 1000);
        if (linger >= deliveryS * 1000L) {
            // Kafka refuses delivery.timeout.ms < linger.ms + request.timeout.ms when it builds the producer.
            throw new StreamingException(ErrorCode.INVALID_CONFIG_FIELD, ConfigKey.BATCH_LINGER_MS.env() + "=\""
                    + linger + "\" must be below " + ConfigKey.RECORD_DELIVERY_TIMEOUT_S.env() + "=\"" + deliveryS
                    + "\" (" + deliveryS * 1000L + " ms)");
        }
        double ratio = ratio(ConfigKey.CB_FAILURE_RATIO);
        int minRequests = integer(ConfigKey.CB_MIN_REQUESTS, 1);
        int cbTimeoutS = integer(ConfigKey.CB_TIMEOUT_S, 0);
        int closeS = integer(ConfigKey.CLOSE_TIMEOUT_S, 1);
        Map<String, DeliveryPolicyOverride> overrides = policies();

        boolean tls = bool(ConfigKey.TLS_ENABLED);
        String caPem = caCertificate(value(ConfigKey.TLS_CA_CERT));
        if (!tls && !caPem.isEmpty()) {
            warnings.add(ConfigKey.TLS_CA_CERT.env() + " is set but " + ConfigKey.TLS_ENABLED.env()
                    + " is false; the certificate is ignored");
        }
        String mechanism = value(ConfigKey.SASL_MECHANISM).toUpperCase(Locale.ROOT);
        String user = value(ConfigKey.SASL_USERNAME);
        String password = value(ConfigKey.SASL_PASSWORD);
        boolean allowPlaintext = bool(ConfigKey.SASL_ALLOW_PLAINTEXT);
        if (raw(ConfigKey.SASL_ALLOW_PLAINTEXT) == null && raw(ConfigKey.ALLOW_PLAINTEXT_SASL) != null) {
            allowPlaintext = bool(ConfigKey.ALLOW_PLAINTEXT_SASL);
            if (allowPlaintext) { // the Go library warns only when the deprecated alias turns the option on
                warnings.add(ConfigKey.ALLOW_PLAINTEXT_SASL.env() + " is deprecated; use "
                        + ConfigKey.SASL_ALLOW_PLAINTEXT.env());
            }
        }
        if (!mechanism.isEmpty()) {
            if (!SASL_MECHANISMS.contains(mechanism)) {
                throw new StreamingException(ErrorCode.INVALID_SASL_MECHANISM, ConfigKey.SASL_MECHANISM.env() + "=\""
                        + value(ConfigKey.SASL_MECHANISM) + "\" (accepted: " + ConfigKey.SASL_MECHANISM.accepted() + ")");
            }
            if (user.isEmpty() || password.isEmpty()) {
                throw new StreamingException(ErrorCode.INVALID_SASL_MECHANISM, mechanism + " needs "
                        + ConfigKey.SASL_USERNAME.env() + " and " + ConfigKey.SASL_PASSWORD.env());
            }
            if (!tls && !allowPlaintext) {
                throw new StreamingException(ErrorCode.PLAINTEXT_SASL_NOT_ALLOWED, ConfigKey.SASL_MECHANISM.env() + "="
                        + mechanism + " with " + ConfigKey.TLS_ENABLED.env() + "=false; enable TLS or set "
                        + ConfigKey.SASL_ALLOW_PLAINTEXT.env() + "=true");
            }
            if (!tls) {
                warnings.add("SASL credentials travel without TLS (" + ConfigKey.SASL_ALLOW_PLAINTEXT.env() + "=true)");
            }
        } else if (!user.isEmpty() || !password.isEmpty()) {
            warnings.add(ConfigKey.SASL_USERNAME.env() + "/" + ConfigKey.SASL_PASSWORD.env() + " are set but "
                    + ConfigKey.SASL_MECHANISM.env() + " is empty; SASL is off");
        }
        Map<String, String> kafka = kafka(tls, caPem, mechanism, allowPlaintext, warnings);
        if (!"all".equals(acks)) {
            warnings.add(ConfigKey.REQUIRED_ACKS.env() + "=" + acks
                    + " turns idempotent writes off; events can be lost or duplicated on broker failover");
        } else if (retries == 0) {
            warnings.add(ConfigKey.RECORD_RETRIES.env() + "=0 turns idempotent writes off (the Kafka producer needs"
                    + " retries for them); a record that fails once is not retried by the client");
        }
        return new StreamingConfig(true, brokers, value(ConfigKey.CLIENT_ID), linger, batchMaxBytes, maxBuffered,
                compression, retries, Duration.ofSeconds(deliveryS), acks, ratio, minRequests,
                Duration.ofSeconds(cbTimeoutS), Duration.ofSeconds(closeS), source, format, overrides,
                bool(ConfigKey.ALLOW_SYSTEM_EVENTS), tls, caPem, mechanism, user, password, allowPlaintext, kafka,
                outbox(deliveryS),
                warnings);
    }

    private static StreamingConfig disabled() {
        return new StreamingConfig(false, List.of(), "", 5, 1_048_576, 10_000, "lz4", 10, Duration.ofSeconds(30),
                "all", 0.5, 10, Duration.ofSeconds(30), Duration.ofSeconds(30), "", RecordFormat.LERIAN, Map.of(),
                false, false, "", "", "", "", false, Map.of(), StreamingConfig.OutboxSettings.DEFAULTS, List.of());
    }

    private StreamingConfig.OutboxSettings outbox(int deliveryS) {
        String ordering = oneOf(ConfigKey.OUTBOX_ORDERING, Set.of("strict", "relaxed"), ErrorCode.INVALID_CONFIG_FIELD);
        int initial = integer(ConfigKey.OUTBOX_BACKOFF_INITIAL_MS, 1);
        int max = integer(ConfigKey.OUTBOX_BACKOFF_MAX_MS, 1);
        if (max < initial) {
            throw new StreamingException(ErrorCode.INVALID_CONFIG_FIELD, ConfigKey.OUTBOX_BACKOFF_MAX_MS.env() + "=\""
                    + max + "\" must not be below " + ConfigKey.OUTBOX_BACKOFF_INITIAL_MS.env() + "=\"" + initial + "\"");
        }
        return new StreamingConfig.OutboxSettings("strict".equals(ordering), bool(ConfigKey.OUTBOX_RELAY_ENABLED),
                Duration.ofMillis(integer(ConfigKey.OUTBOX_POLL_INTERVAL_MS, 1)),
                integer(ConfigKey.OUTBOX_BATCH_SIZE, 1, MAX_OUTBOX_BATCH), integer(ConfigKey.OUTBOX_MAX_ATTEMPTS, 1),
                Duration.ofMillis(initial), Duration.ofMillis(max),
                Duration.ofSeconds(integer(ConfigKey.OUTBOX_STUCK_TIMEOUT_S, 1)),
                Duration.ofHours(integer(ConfigKey.OUTBOX_RETENTION_H, 0, MAX_RETENTION_H)),
                integer(ConfigKey.OUTBOX_LANES, 1, Lanes.MAX_LANES),
                Duration.ofSeconds(integer(ConfigKey.OUTBOX_LANE_LEASE_S, 1, MAX_LANE_LEASE_S)),
                bool(ConfigKey.OUTBOX_RELAY_FOREIGN_ROWS), Duration.ofSeconds(batchTimeout(deliveryS)));
    }

    /**
     * The Kafka client properties passed through, by Kafka name. A property the library owns is refused, naming the
     * key to use instead, and so is one the library's own key sets at the moment ({@link KafkaClientProperties}).
     * Values are not printed: a refused {@code sasl.jaas.config} holds a password.
     */
    private Map<String, String> kafka(boolean tls, String caPem, String mechanism, boolean allowPlaintext,
            List<String> warnings) {
        Map<String, String> out = new TreeMap<>();
        Map<String, String> from = new HashMap<>();
        for (String name : names) {
            Optional<String> property = KafkaClientProperties.kafkaProperty(name);
            if (property.isEmpty()) {
                continue;
            }
            String kafkaName = property.get();
            // The prefixed property finds an environment variable too (MicroProfile Config's mapping); a lookup that
            // has no such mapping knows the variable by its own name only.
            String value = raw.apply(KafkaClientProperties.PREFIX + kafkaName);
            if (value == null) {
                value = raw.apply(name);
            }
            if (value == null || value.isBlank()) {
                continue;
            }
            String owned = KafkaClientProperties.OWNED.get(kafkaName);
            if (owned != null) {
                throw new StreamingException(ErrorCode.INVALID_CONFIG_FIELD, name + " is refused: the library sets the"
                        + " Kafka property " + kafkaName + " itself; " + owned);
            }
            ConfigKey setBy = KafkaClientProperties.SET_BY.get(kafkaName);
            boolean librarySets = setBy == ConfigKey.SASL_MECHANISM ? !mechanism.isEmpty()
                    : setBy == ConfigKey.TLS_CA_CERT && tls && !caPem.isEmpty();
            if (librarySets) {
                throw new StreamingException(ErrorCode.INVALID_CONFIG_FIELD, name + " is refused: " + setBy.env()
                        + " is set, and the library sets the Kafka property " + kafkaName + " from it; unset one of"
                        + " the two");
            }
            // Both spellings of one property read the same value: the one MicroProfile Config's ordinals pick.
            from.putIfAbsent(kafkaName, name);
            out.put(kafkaName, value);
        }
        for (String kafkaName : out.keySet()) {
            if (!ProducerConfig.configNames().contains(kafkaName)
                    && !AdminClientConfig.configNames().contains(kafkaName)) {
                warnings.add(from.get(kafkaName) + ": " + kafkaName + " is not a Kafka producer or admin client"
                        + " property; passed to both as is, for a plug-in that may read it");
            }
        }
        boolean sslSet = out.keySet().stream().anyMatch(k -> k.startsWith("ssl."));
        if (!tls && sslSet) {
            warnings.add(KafkaClientProperties.ENV_PREFIX + "SSL_* properties are set but " + ConfigKey.TLS_ENABLED.env()
                    + " is false; the client does not use TLS and ignores them");
        }
        boolean saslSet = out.keySet().stream().anyMatch(k -> k.startsWith("sasl."));
        String passedMechanism = out.get(SaslConfigs.SASL_MECHANISM);
        if (passedMechanism != null && !tls && !allowPlaintext) {
            throw new StreamingException(ErrorCode.PLAINTEXT_SASL_NOT_ALLOWED, from.get(SaslConfigs.SASL_MECHANISM)
                    + "=" + LogLine.quoted(passedMechanism) + " with " + ConfigKey.TLS_ENABLED.env() + "=false;"
                    + " enable TLS or set " + ConfigKey.SASL_ALLOW_PLAINTEXT.env() + "=true");
        }
        if (saslSet && passedMechanism == null && mechanism.isEmpty()) {
            warnings.add(KafkaClientProperties.ENV_PREFIX + "SASL_* properties are set but no SASL mechanism is ("
                    + ConfigKey.SASL_MECHANISM.env() + " or " + KafkaClientProperties.ENV_PREFIX
                    + "SASL_MECHANISM); SASL is off");
        }
        return out;
    }

    /** The policy list, its parse errors naming the key they come from. */
    private Map<String, DeliveryPolicyOverride> policies() {
        String list = value(ConfigKey.EVENT_POLICIES);
        try {
            return EventPolicies.parse(list);
        } catch (StreamingException e) {
            String prefix = e.code().message() + ": ";
            String detail = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : "";
            throw new StreamingException(e.code(), describe(ConfigKey.EVENT_POLICIES, list) + ": " + detail, e);
        }
    }

    /**
     * {@link ConfigKey#OUTBOX_BATCH_TIMEOUT_S}. A relayed row's send may block for metadata (half the delivery timeout)
     * and then take the delivery timeout to settle: a batch shorter than 1.5 delivery timeouts could send nothing, so
     * a value set below that is refused. Unset, it is 60 s (under the shortest default transaction timeout of the
     * common application servers, Open Liberty's 120 s, with room for the claim and the commit), or twice the delivery
     * timeout when the delivery timeout is raised beyond 30 s.
     */
    private long batchTimeout(int deliveryS) {
        long floor = deliveryS * 3L / 2 + 1;
        String set = raw(ConfigKey.OUTBOX_BATCH_TIMEOUT_S);
        if (set == null || set.isBlank()) {
            return Math.max(Long.parseLong(ConfigKey.OUTBOX_BATCH_TIMEOUT_S.defaultValue()), 2L * deliveryS);
        }
        int timeout = integer(ConfigKey.OUTBOX_BATCH_TIMEOUT_S, 1, MAX_BATCH_TIMEOUT_S);
        if (timeout < floor) {
            throw new StreamingException(ErrorCode.INVALID_CONFIG_FIELD, ConfigKey.OUTBOX_BATCH_TIMEOUT_S.env() + "=\""
                    + timeout + "\" must be at least " + floor + " (1.5 x " + ConfigKey.RECORD_DELIVERY_TIMEOUT_S.env()
                    + "=\"" + deliveryS + "\", plus 1 s to send in)");
        }
        return timeout;
    }

    /** Splits the broker list: entries trimmed, empty entries dropped. */
    static List<String> brokers(String csv) {
        List<String> out = new ArrayList<>();
        for (String entry : csv.split(",", -1)) {
            String trimmed = entry.strip();
            if (!trimmed.isEmpty()) {
                out.add(trimmed);
            }
        }
        return out;
    }

    private static boolean validPort(String digits) {
        int port = Integer.parseInt(digits);
        return port >= 1 && port <= 65535;
    }

    private String raw(ConfigKey key) {
        return raw.apply(key.property());
    }

    /** The raw value, or the default when unset or blank; not trimmed (" lz4" is not "lz4"). */
    private String value(ConfigKey key) {
        String v = raw(key);
        return v == null || v.isBlank() ? key.defaultValue() : v;
    }

    /** Go's strconv.ParseBool spellings. */
    private boolean bool(ConfigKey key) {
        String v = value(key);
        return switch (v) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw invalid(key);
        };
    }

    private int integer(ConfigKey key, int min) {
        return integer(key, min, Integer.MAX_VALUE);
    }

    private int integer(ConfigKey key, int min, int max) {
        String v = value(key);
        try {
            int parsed = Integer.parseInt(v);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the key and the accepted range
        }
        throw invalid(key);
    }

    private double ratio(ConfigKey key) {
        String v = value(key).strip();
        try {
            double parsed = Double.parseDouble(v);
            if (parsed > 0 && parsed <= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below with the key and the accepted range
        }
        throw invalid(key);
    }

    private String oneOf(ConfigKey key, Set<String> accepted, ErrorCode code) {
        String v = value(key);
        if (!accepted.contains(v)) {
            throw new StreamingException(code, describe(key, v));
        }
        return v;
    }

    private StreamingException invalid(ConfigKey key) {
        return new StreamingException(ErrorCode.INVALID_CONFIG_FIELD, describe(key, value(key)));
    }

    /** The value quoted and escaped: it reaches the deployment's log, where a line break in it must not split a line. */
    private static String describe(ConfigKey key, String value) {
        return key.env() + "=" + LogLine.quoted(value) + " (accepted: " + key.accepted() + ")";
    }

    private static void requireUriReference(String source, RecordFormat format) {
        try {
            new URI(source);
        } catch (URISyntaxException e) {
            throw new StreamingException(ErrorCode.INVALID_SOURCE, ConfigKey.CLOUDEVENTS_SOURCE.env() + "=\"" + source
                    + "\" is not a URI reference, which " + ConfigKey.CLOUDEVENTS_FORMAT.env() + "=" + format.wire()
                    + " requires");
        }
    }

    /** Decodes the base64 PEM and checks that it holds at least one X.509 certificate. */
    private static String caCertificate(String base64) {
        if (base64.isEmpty()) {
            return "";
        }
        String pem;
        try {
            pem = new String(Base64.getMimeDecoder().decode(base64.strip()), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new StreamingException(ErrorCode.INVALID_TLS_CONFIG,
                    describe(ConfigKey.TLS_CA_CERT, abbreviate(base64)) + ": not base64");
        }
        try {
            if (pem.contains("-----BEGIN CERTIFICATE-----") && !CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .isEmpty()) {
                return pem;
            }
        } catch (CertificateException e) {
            // reported below
        }
        throw new StreamingException(ErrorCode.INVALID_TLS_CONFIG,
                describe(ConfigKey.TLS_CA_CERT, abbreviate(base64)) + ": holds no PEM certificate");
    }

    /** A certificate is long and says nothing past its start: enough of it to recognise which one was given. */
    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
