package studio.lerian.streaming.core.internal.config;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import studio.lerian.streaming.DeliveryPolicyOverride;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.core.config.KafkaClientProperties;
import studio.lerian.streaming.kafka.RecordFormat;

/**
 * The validated configuration of an emitter, read by {@link StreamingConfigLoader}. Immutable. See {@link ConfigKey}
 * for each value's meaning and default.
 *
 * @param enabled {@link ConfigKey#ENABLED}
 * @param brokers {@link ConfigKey#BROKERS}, trimmed, without empty entries
 * @param clientId {@link ConfigKey#CLIENT_ID}, empty for the client's default
 * @param lingerMs {@link ConfigKey#BATCH_LINGER_MS}
 * @param batchMaxBytes {@link ConfigKey#BATCH_MAX_BYTES}
 * @param maxBufferedRecords {@link ConfigKey#MAX_BUFFERED_RECORDS}
 * @param compression {@link ConfigKey#COMPRESSION}
 * @param recordRetries {@link ConfigKey#RECORD_RETRIES}
 * @param deliveryTimeout {@link ConfigKey#RECORD_DELIVERY_TIMEOUT_S}
 * @param requiredAcks {@link ConfigKey#REQUIRED_ACKS}
 * @param cbFailureRatio {@link ConfigKey#CB_FAILURE_RATIO}
 * @param cbMinRequests {@link ConfigKey#CB_MIN_REQUESTS}
 * @param cbTimeout {@link ConfigKey#CB_TIMEOUT_S}
 * @param closeTimeout {@link ConfigKey#CLOSE_TIMEOUT_S}
 * @param source {@link ConfigKey#CLOUDEVENTS_SOURCE}
 * @param format {@link ConfigKey#CLOUDEVENTS_FORMAT}
 * @param policyOverrides {@link ConfigKey#EVENT_POLICIES}, parsed
 * @param allowSystemEvents {@link ConfigKey#ALLOW_SYSTEM_EVENTS}
 * @param tls {@link ConfigKey#TLS_ENABLED}
 * @param tlsCaCertPem {@link ConfigKey#TLS_CA_CERT}, decoded PEM text; empty for the JVM's trust store
 * @param saslMechanism {@link ConfigKey#SASL_MECHANISM}, upper-case; empty when SASL is off
 * @param saslUsername {@link ConfigKey#SASL_USERNAME}
 * @param saslPassword {@link ConfigKey#SASL_PASSWORD}
 * @param saslAllowPlaintext {@link ConfigKey#SASL_ALLOW_PLAINTEXT}
 * @param kafka the Kafka client properties passed through ({@link KafkaClientProperties}), by Kafka name, sorted
 * @param outbox the outbox relay's settings ({@code STREAMING_OUTBOX_*})
 * @param warnings human-readable warnings found while loading, to be logged once
 */
public record StreamingConfig(
        boolean enabled,
        List<String> brokers,
        String clientId,
        int lingerMs,
        int batchMaxBytes,
        int maxBufferedRecords,
        String compression,
        int recordRetries,
        Duration deliveryTimeout,
        String requiredAcks,
        double cbFailureRatio,
        int cbMinRequests,
        Duration cbTimeout,
        Duration closeTimeout,
        String source,
        RecordFormat format,
        Map<String, DeliveryPolicyOverride> policyOverrides,
        boolean allowSystemEvents,
        boolean tls,
        String tlsCaCertPem,
        String saslMechanism,
        String saslUsername,
        String saslPassword,
        boolean saslAllowPlaintext,
        Map<String, String> kafka,
        OutboxSettings outbox,
        List<String> warnings) {

    /**
     * The outbox relay's settings.
     *
     * @param strictOrder {@link ConfigKey#OUTBOX_ORDERING} is {@code strict}
     * @param relayEnabled {@link ConfigKey#OUTBOX_RELAY_ENABLED}
     * @param pollInterval {@link ConfigKey#OUTBOX_POLL_INTERVAL_MS}
     * @param batchSize {@link ConfigKey#OUTBOX_BATCH_SIZE}
     * @param maxAttempts {@link ConfigKey#OUTBOX_MAX_ATTEMPTS}
     * @param backoffInitial {@link ConfigKey#OUTBOX_BACKOFF_INITIAL_MS}
     * @param backoffMax {@link ConfigKey#OUTBOX_BACKOFF_MAX_MS}
     * @param stuckTimeout {@link ConfigKey#OUTBOX_STUCK_TIMEOUT_S}
     * @param retention {@link ConfigKey#OUTBOX_RETENTION_H}
     * @param lanes {@link ConfigKey#OUTBOX_LANES}
     * @param laneLease {@link ConfigKey#OUTBOX_LANE_LEASE_S}
     * @param foreignRows {@link ConfigKey#OUTBOX_RELAY_FOREIGN_ROWS}
     * @param batchTimeout {@link ConfigKey#OUTBOX_BATCH_TIMEOUT_S}
     */
    public record OutboxSettings(boolean strictOrder, boolean relayEnabled, Duration pollInterval, int batchSize,
            int maxAttempts, Duration backoffInitial, Duration backoffMax, Duration stuckTimeout, Duration retention,
            int lanes, Duration laneLease, boolean foreignRows, Duration batchTimeout) {

        /** The defaults of every {@code STREAMING_OUTBOX_*} key (with the default delivery timeout). */
        public static final OutboxSettings DEFAULTS = new OutboxSettings(true, true, Duration.ofSeconds(1), 200, 10,
                Duration.ofMillis(500), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofHours(24), 256,
                Duration.ofSeconds(10), false, Duration.ofSeconds(60));

        /**
         * The wait before the next attempt: the initial backoff doubled per failed attempt, capped.
         *
         * @param attempts failed attempts so far (at least 1)
         * @return the wait
         */
        public Duration backoff(int attempts) {
            int doublings = Math.min(Math.max(attempts - 1, 0), 30);
            long ms = backoffInitial.toMillis() << doublings;
            return ms <= 0 || ms > backoffMax.toMillis() ? backoffMax : Duration.ofMillis(ms);
        }
    }

    /** Copies the collections. */
    public StreamingConfig {
        brokers = List.copyOf(brokers);
        policyOverrides = Map.copyOf(policyOverrides);
        kafka = Collections.unmodifiableMap(new TreeMap<>(kafka));
        warnings = List.copyOf(warnings);
    }

    /** @return whether a real emitter is built: enabled and at least one broker */
    public boolean active() {
        return enabled && !brokers.isEmpty();
    }

    /**
     * @return whether SASL is on: a mechanism set by {@link ConfigKey#SASL_MECHANISM} or passed through as
     *         {@code sasl.mechanism}
     */
    public boolean sasl() {
        return !saslMechanism.isEmpty() || kafka.containsKey("sasl.mechanism");
    }

    /**
     * @return whether idempotent writes are on: only with {@code acks=all} and at least one retry, as the Kafka producer
     *         refuses idempotence without retries
     */
    public boolean idempotent() {
        return "all".equals(requiredAcks) && recordRetries > 0;
    }

    /** The password and the secrets among the Kafka client properties are masked. */
    @Override
    public String toString() {
        return "StreamingConfig{enabled=" + enabled + ", brokers=" + brokers + ", clientId=" + clientId + ", lingerMs="
                + lingerMs + ", batchMaxBytes=" + batchMaxBytes + ", maxBufferedRecords=" + maxBufferedRecords
                + ", compression=" + compression + ", recordRetries=" + recordRetries + ", deliveryTimeout="
                + deliveryTimeout + ", requiredAcks=" + requiredAcks + ", cbFailureRatio=" + cbFailureRatio
                + ", cbMinRequests=" + cbMinRequests + ", cbTimeout=" + cbTimeout + ", closeTimeout=" + closeTimeout
                + ", source=" + source + ", format=" + format + ", policyOverrides=" + policyOverrides.keySet()
                + ", allowSystemEvents=" + allowSystemEvents + ", tls=" + tls + ", saslMechanism=" + saslMechanism
                + ", saslUsername=" + saslUsername + ", saslPassword=" + (saslPassword.isEmpty() ? "" : "****")
                + ", kafka=" + KafkaClientProperties.masked(kafka) + "}";
    }
}
