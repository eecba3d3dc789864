package studio.lerian.streaming.cdi.internal;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;
import studio.lerian.streaming.cdi.StreamingBreaker;
import studio.lerian.streaming.core.config.ConfigKey;

/**
 * Points MicroProfile Fault Tolerance's keys for {@link StreamingBreaker} at the {@code STREAMING_CB_*} keys, so that
 * the breaker follows the library's configuration: each value is a property expression over the {@code streaming.cb.*}
 * property (which MicroProfile Config also finds as the environment variable) with {@link ConfigKey}'s default. The
 * delay is the whole seconds followed by {@code 000}, in milliseconds (see {@link StreamingBreaker}). Ordinal 50, below
 * an application's own files, so that the Fault Tolerance keys can still be set directly.
 *
 * <p>A source rather than a {@code microprofile-config.properties} file so that the keys are written from the class
 * and the defaults, never retyped: renaming the breaker's class or method, or changing a default, changes them too.
 */
public final class BreakerConfigSource implements ConfigSource {

    /** Below an application's {@code microprofile-config.properties} (100), environment (300) and system (400). */
    static final int ORDINAL = 50;

    private static final String PREFIX = StreamingBreaker.class.getName() + "/guard/CircuitBreaker/";

    private final Map<String, String> values = Map.of(
            PREFIX + "requestVolumeThreshold", expression(ConfigKey.CB_MIN_REQUESTS),
            PREFIX + "failureRatio", expression(ConfigKey.CB_FAILURE_RATIO),
            PREFIX + "delay", expression(ConfigKey.CB_TIMEOUT_S) + "000",
            PREFIX + "delayUnit", "MILLIS");

    private static String expression(ConfigKey key) {
        return "${" + key.property() + ":" + key.defaultValue() + "}";
    }

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "lib-streaming circuit breaker";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    @Override
    public Map<String, String> getProperties() {
        return values;
    }
}
