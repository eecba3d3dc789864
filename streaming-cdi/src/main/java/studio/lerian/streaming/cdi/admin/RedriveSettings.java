package studio.lerian.streaming.cdi.admin;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import studio.lerian.streaming.core.config.ConfigKey;
import studio.lerian.streaming.core.config.KafkaClientProperties;
import studio.lerian.streaming.core.config.SettingsSource;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;

/**
 * How a {@link DeadLetterRedrive} made without CDI reaches the cluster: the emitter's own configuration keys, read and
 * checked by the same loader, so brokers, TLS, SASL and the passed-through Kafka client properties
 * ({@code STREAMING_KAFKA_*}, see {@link KafkaClientProperties}) work as they do for the application.
 *
 * <p>Two keys are not required here: {@code STREAMING_ENABLED} is taken as true (a re-drive has no other reason to
 * run) and {@code STREAMING_CLOUDEVENTS_SOURCE} may be unset, as a re-drive copies each event's headers and frames no
 * new event.
 */
public final class RedriveSettings {

    /** Stands in for an unset {@code STREAMING_CLOUDEVENTS_SOURCE}; never written to a record. */
    private static final String UNUSED_SOURCE = "//lerian.streaming/dead-letter-redrive";

    private final StreamingConfig config;

    RedriveSettings(StreamingConfig config) {
        this.config = config;
    }

    /**
     * Reads the settings from MicroProfile Config.
     *
     * @param config the configuration
     * @return the settings
     * @throws studio.lerian.streaming.StreamingException a caller-correctable code naming a key whose value is wrong
     */
    public static RedriveSettings fromConfig(Config config) {
        return load(property -> config.getOptionalValue(property, String.class).orElse(null),
                config.getPropertyNames());
    }

    /**
     * Reads the settings as the command-line tool does: each key as a system property ({@code streaming.brokers}) or,
     * when that is unset, as the environment variable ({@code STREAMING_BROKERS}).
     *
     * @param environment the environment variables, e.g. {@code System.getenv()}
     * @param systemProperties the system properties, e.g. {@code System.getProperties()}
     * @return the settings
     * @throws studio.lerian.streaming.StreamingException a caller-correctable code naming a key whose value is wrong
     */
    public static RedriveSettings fromEnvironment(Map<String, String> environment, Properties systemProperties) {
        SettingsSource source = SettingsSource.of(environment, systemProperties);
        return load(source.lookup(), source.names());
    }

    /**
     * Reads the settings from a lookup of raw values by property name.
     *
     * @param lookup the raw value of a property ({@code streaming.brokers}, ...), {@code null} when unset
     * @param names every property and environment variable name there is, to find the passed-through Kafka properties
     * @return the settings
     * @throws studio.lerian.streaming.StreamingException a caller-correctable code naming a key whose value is wrong
     */
    public static RedriveSettings load(Function<String, String> lookup, Iterable<String> names) {
        Objects.requireNonNull(lookup, "lookup");
        return new RedriveSettings(StreamingConfigLoader.load(property -> {
            if (ConfigKey.ENABLED.property().equals(property)) {
                return "true";
            }
            String value = lookup.apply(property);
            if (ConfigKey.CLOUDEVENTS_SOURCE.property().equals(property) && (value == null || value.isBlank())) {
                return UNUSED_SOURCE;
            }
            return value;
        }, names));
    }

    StreamingConfig config() {
        return config;
    }

    /** @return the bootstrap servers */
    public List<String> brokers() {
        return config.brokers();
    }

    /** The SASL password and secret Kafka properties are masked. */
    @Override
    public String toString() {
        return "RedriveSettings{brokers=" + config.brokers() + ", tls=" + config.tls() + ", saslMechanism="
                + config.saslMechanism() + ", kafka=" + KafkaClientProperties.masked(config.kafka()) + "}";
    }
}
