package studio.lerian.streaming.core.internal;

import java.util.Map;
import studio.lerian.streaming.core.internal.config.StreamingConfig;

/**
 * The Kafka client settings of the dead-letter re-drive ({@code studio.lerian.streaming.cdi.admin}), made from the
 * same configuration as the emitter's, so a secured cluster is reached the same way.
 */
public final class RedriveClients {

    private RedriveClients() {
    }

    /**
     * @param config the configuration (enabled)
     * @return the settings of an idempotent byte-array producer with {@code acks=all}
     */
    public static Map<String, Object> producer(StreamingConfig config) {
        return ProducerSettings.redriveProducer(config);
    }

    /**
     * @param config the configuration (enabled)
     * @return the settings of a byte-array consumer without a group that commits nothing
     */
    public static Map<String, Object> consumer(StreamingConfig config) {
        return ProducerSettings.consumer(config);
    }
}
