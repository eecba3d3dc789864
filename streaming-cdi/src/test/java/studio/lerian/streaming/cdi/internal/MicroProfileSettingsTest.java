package studio.lerian.streaming.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.core.internal.config.StreamingConfig;

/** The engine's settings as MicroProfile Config presents them to the CDI module. */
class MicroProfileSettingsTest {

    /**
     * Through MicroProfile Config as an application server has it: an environment variable is found by enumerating
     * the names, and read through the environment mapping of its property; where both spellings are set, the source
     * with the higher ordinal wins, as for every other key.
     */
    @Test
    void environmentVariablesAndPropertiesPassThroughToTheKafkaClient() {
        Map<String, String> env = new HashMap<>();
        env.put("STREAMING_KAFKA_SSL_KEYSTORE_LOCATION", "/etc/kafka/user.p12");
        env.put("STREAMING_KAFKA_BUFFER_MEMORY", "1048576");
        env.put("STREAMING_CLOUDEVENTS_SOURCE", "//lerian.midaz/transaction-service");
        Map<String, String> properties = new HashMap<>();
        properties.put("streaming.enabled", "true");
        properties.put("streaming.brokers", "k1:9092");
        properties.put("streaming.kafka.buffer.memory", "2097152");
        Config config = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300),
                new PropertiesConfigSource(properties, "application", 100)).build();

        StreamingConfig c = MicroProfileSettings.load(config);

        assertEquals(Map.of("ssl.keystore.location", "/etc/kafka/user.p12", "buffer.memory", "1048576"), c.kafka());
        assertEquals("//lerian.midaz/transaction-service", c.source(), "an environment variable of a named key");
    }
}
