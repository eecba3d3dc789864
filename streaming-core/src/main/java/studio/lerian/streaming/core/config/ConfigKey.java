package studio.lerian.streaming.core.config;

import java.util.Locale;

/**
 * Every configuration key of the CDI implementation, with its default and meaning, in one place. Read through
 * MicroProfile Config: each key is the property {@link #property()} (for example {@code streaming.brokers}), which
 * MicroProfile Config's environment mapping also finds as the variable {@link #env()} ({@code STREAMING_BROKERS}).
 * Values are validated only when {@link #ENABLED} is true; a bad value fails the deployment with a message naming the
 * key, the value and what is accepted. Kafka client properties the keys do not model pass through to the producer and
 * the admin client as {@code streaming.kafka.<property>} ({@code STREAMING_KAFKA_<PROPERTY>}): see
 * {@link KafkaClientProperties} for the mapping, the properties refused and the masking of secrets.
 */
public enum ConfigKey {

    /** Master switch. */
    ENABLED("STREAMING_ENABLED", "false", "bool",
            "Master switch. false (or no brokers) injects a NoopEmitter and skips all validation."),
    /** Bootstrap brokers. */
    BROKERS("STREAMING_BROKERS", "localhost:9092", "CSV of host:port",
            "Kafka bootstrap servers, comma-separated; entries trimmed, empty entries dropped."),
    /** Kafka client id. */
    CLIENT_ID("STREAMING_CLIENT_ID", "", "string", "Kafka client.id; empty leaves the client's default."),
    /** Producer linger. */
    BATCH_LINGER_MS("STREAMING_BATCH_LINGER_MS", "5", "int ms, >= 0", "Producer linger.ms."),
    /** Largest request. */
    BATCH_MAX_BYTES("STREAMING_BATCH_MAX_BYTES", "1048576", "int bytes, > 0",
            "Largest record batch / request (max.request.size); larger records go to the DLQ."),
    /** In-flight ceiling. */
    MAX_BUFFERED_RECORDS("STREAMING_MAX_BUFFERED_RECORDS", "10000", "int, > 0",
            "Most records in flight at once; further emits wait (within the delivery timeout)."),
    /** Compression codec. */
    COMPRESSION("STREAMING_COMPRESSION", "lz4", "snappy|lz4|zstd|gzip|none", "Producer compression codec."),
    /** Client retries. */
    RECORD_RETRIES("STREAMING_RECORD_RETRIES", "10", "int, >= 0",
            "Retries inside the Kafka client per record; 0 also turns idempotent writes off (Kafka needs retries for"
                    + " them)."),
    /** Delivery timeout. */
    RECORD_DELIVERY_TIMEOUT_S("STREAMING_RECORD_DELIVERY_TIMEOUT_S", "30", "int s, 1..2147483",
            "Longest an emit waits for the broker's acknowledgement (delivery.timeout.ms and max.block.ms)."),
    /** Required acks. */
    REQUIRED_ACKS("STREAMING_REQUIRED_ACKS", "all", "all|leader|none",
            "acks=all|1|0; idempotent writes only with all."),
    /** Breaker failure ratio. */
    CB_FAILURE_RATIO("STREAMING_CB_FAILURE_RATIO", String.valueOf(BreakerDefaults.FAILURE_RATIO), "float, (0,1]",
            "Share of failed publishes in the rolling window that opens the circuit breaker."),
    /** Breaker window. */
    CB_MIN_REQUESTS("STREAMING_CB_MIN_REQUESTS", String.valueOf(BreakerDefaults.MIN_REQUESTS), "int, >= 1",
            "Size of the breaker's rolling window: publishes observed before the ratio is evaluated."),
    /** Breaker open time. */
    CB_TIMEOUT_S("STREAMING_CB_TIMEOUT_S", String.valueOf(BreakerDefaults.TIMEOUT_S), "int s, >= 0",
            "How long the breaker stays open before letting trial publishes through."),
    /** Close flush window. */
    CLOSE_TIMEOUT_S("STREAMING_CLOSE_TIMEOUT_S", "30", "int s, > 0",
            "Flush window when the application stops."),
    /** CloudEvents source. */
    CLOUDEVENTS_SOURCE("STREAMING_CLOUDEVENTS_SOURCE", "", "string, required",
            "ce-source of every event, e.g. //lerian.midaz/transaction-service; at most 2048 bytes."),
    /** Record format. */
    CLOUDEVENTS_FORMAT("STREAMING_CLOUDEVENTS_FORMAT", "lerian", "lerian|kafka-binary|kafka-structured",
            "Record format: lerian (ce- headers, the Go library's), kafka-binary (ce_ headers, the CloudEvents Kafka"
                    + " binding) or kafka-structured (application/cloudevents+json value)."),
    /** Policy overrides. */
    EVENT_POLICIES("STREAMING_EVENT_POLICIES", "", "policy list",
            "Per-event policy overrides, e.g. transaction.created.outbox=always;audit.logged.enabled=false."),
    /** System events opt-in. */
    ALLOW_SYSTEM_EVENTS("STREAMING_ALLOW_SYSTEM_EVENTS", "false", "bool",
            "Allow catalog definitions marked systemEvent to be emitted."),
    /** TLS switch. */
    TLS_ENABLED("STREAMING_TLS_ENABLED", "false", "bool", "Connect to the brokers over TLS."),
    /** TLS trust. */
    TLS_CA_CERT("STREAMING_TLS_CA_CERT", "", "base64 PEM",
            "CA certificate(s) to trust, base64 of the PEM text; empty uses the JVM's trust store."),
    /** SASL mechanism. */
    SASL_MECHANISM("STREAMING_SASL_MECHANISM", "", "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512",
            "SASL mechanism (case-insensitive); empty disables SASL."),
    /** SASL user. */
    SASL_USERNAME("STREAMING_SASL_USERNAME", "", "string", "SASL user name; required with a mechanism."),
    /** SASL password. */
    SASL_PASSWORD("STREAMING_SASL_PASSWORD", "", "string", "SASL password; required with a mechanism; never logged."),
    /** Plaintext SASL opt-in. */
    SASL_ALLOW_PLAINTEXT("STREAMING_SASL_ALLOW_PLAINTEXT", "false", "bool",
            "Allow SASL without TLS (credentials in clear text); for local brokers only."),
    /** Deprecated alias. */
    ALLOW_PLAINTEXT_SASL("STREAMING_ALLOW_PLAINTEXT_SASL", "false", "bool",
            "Deprecated alias of STREAMING_SASL_ALLOW_PLAINTEXT."),
    /** Ordering across an outage. */
    OUTBOX_ORDERING("STREAMING_OUTBOX_ORDERING", "strict", "strict|relaxed",
            "strict: while a partition key has unpublished outbox rows, its new events go to the outbox too, and the"
                    + " relay publishes a key's rows in creation order; relaxed: the Go library's behaviour."),
    /** Relay switch. */
    OUTBOX_RELAY_ENABLED("STREAMING_OUTBOX_RELAY_ENABLED", "true", "bool",
            "Run the outbox relay in this instance (any number of instances may relay one table); strict ordering"
                    + " holds on every instance with an outbox either way."),
    /** Relay poll. */
    OUTBOX_POLL_INTERVAL_MS("STREAMING_OUTBOX_POLL_INTERVAL_MS", "1000", "int ms, > 0",
            "How often the relay looks for due rows when the last poll found none, and how often every instance with"
                    + " an outbox probes it for a backlog (rows parked by another instance hold back this one's"
                    + " events of their keys from its next probe on)."),
    /** Relay batch. */
    OUTBOX_BATCH_SIZE("STREAMING_OUTBOX_BATCH_SIZE", "200", "int, 1..100000", "Most rows the relay claims at once."),
    /** Relay batch budget. */
    OUTBOX_BATCH_TIMEOUT_S("STREAMING_OUTBOX_BATCH_TIMEOUT_S", "60", "int s, 1.5 x delivery timeout + 1..86400",
            "Longest a relay batch holds its database transaction, claim to commit, metadata waits and DLQ copies"
                    + " included; rows it could not send by then are left untried. Keep it below the application"
                    + " server's transaction timeout. Unset: 60, or twice STREAMING_RECORD_DELIVERY_TIMEOUT_S if"
                    + " more."),
    /** Relay attempts. */
    OUTBOX_MAX_ATTEMPTS("STREAMING_OUTBOX_MAX_ATTEMPTS", "10", "int, > 0",
            "Failed relay attempts after which a row is marked FAILED (and copied to the DLQ when its policy allows)."),
    /** First backoff. */
    OUTBOX_BACKOFF_INITIAL_MS("STREAMING_OUTBOX_BACKOFF_INITIAL_MS", "500", "int ms, > 0",
            "Wait before retrying a row after its first failed attempt; doubles with each attempt."),
    /** Longest backoff. */
    OUTBOX_BACKOFF_MAX_MS("STREAMING_OUTBOX_BACKOFF_MAX_MS", "60000", "int ms, > 0", "Longest wait between attempts."),
    /** Stuck rows. */
    OUTBOX_STUCK_TIMEOUT_S("STREAMING_OUTBOX_STUCK_TIMEOUT_S", "300", "int s, > 0",
            "Rows marked PROCESSING longer ago than this (their relay died) are returned to PENDING."),
    /** Retention. */
    OUTBOX_RETENTION_H("STREAMING_OUTBOX_RETENTION_H", "24", "int h, 0..876000",
            "How long published rows are kept before the relay deletes them; 0 deletes each as it is published."),
    /** Relay lanes. */
    OUTBOX_LANES("STREAMING_OUTBOX_LANES", "256", "int, 1..4096",
            "Lanes of the outbox table: rows are spread over them by partition key, and the live relays share them"
                    + " fairly, one relay per lane. The first relay of a table creates them; later ones use its count."),
    /** Lane lease. */
    OUTBOX_LANE_LEASE_S("STREAMING_OUTBOX_LANE_LEASE_S", "10", "int s, 1..3600",
            "How long a relay's hold on its lanes lasts without a heartbeat: the lanes of a relay that died go to the"
                    + " others after this, plus one poll."),
    /** Rows of other applications. */
    OUTBOX_RELAY_FOREIGN_ROWS("STREAMING_OUTBOX_RELAY_FOREIGN_ROWS", "false", "bool",
            "Relay rows whose event is not in this application's catalog (other applications sharing the table, e.g. a"
                    + " Go service); false marks them INVALID. Set it on every relay of a shared table.");

    private final String env;
    private final String property;
    private final String defaultValue;
    private final String accepted;
    private final String doc;

    ConfigKey(String env, String defaultValue, String accepted, String doc) {
        this.env = env;
        this.property = env.toLowerCase(Locale.ROOT).replace('_', '.');
        this.defaultValue = defaultValue;
        this.accepted = accepted;
        this.doc = doc;
    }

    /** @return the environment variable, e.g. {@code STREAMING_BROKERS} */
    public String env() {
        return env;
    }

    /** @return the MicroProfile Config property, e.g. {@code streaming.brokers} */
    public String property() {
        return property;
    }

    /** @return the default value as text; empty for none */
    public String defaultValue() {
        return defaultValue;
    }

    /** @return the type and accepted values, e.g. {@code int s, > 0} */
    public String accepted() {
        return accepted;
    }

    /** @return what the key does */
    public String doc() {
        return doc;
    }

    /**
     * The circuit breaker's defaults as constants, the one place they are declared: the {@code CB_*} keys take their
     * defaults from here, and so does MicroProfile Fault Tolerance's {@code @CircuitBreaker} in the CDI module, whose
     * attributes must be constants.
     */
    public static final class BreakerDefaults {

        /** {@link #CB_MIN_REQUESTS}'s default. */
        public static final int MIN_REQUESTS = 10;
        /** {@link #CB_FAILURE_RATIO}'s default. */
        public static final double FAILURE_RATIO = 0.5;
        /** {@link #CB_TIMEOUT_S}'s default, in seconds. */
        public static final int TIMEOUT_S = 30;
        /** Trial publishes that must succeed in a row to close a half-open breaker (not configurable). */
        public static final int SUCCESS_THRESHOLD = 3;

        private BreakerDefaults() {
        }
    }
}
