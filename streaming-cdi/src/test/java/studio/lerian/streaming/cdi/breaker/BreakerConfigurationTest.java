package studio.lerian.streaming.cdi.breaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.ServiceLoader;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.cdi.StreamingBreaker;
import studio.lerian.streaming.core.GuardedCall;
import studio.lerian.streaming.core.config.ConfigKey;

/**
 * MicroProfile Fault Tolerance's configuration of the library's breaker: it follows {@code STREAMING_CB_*}, with the
 * defaults {@link ConfigKey} declares; the open time is given in milliseconds, annotation and configuration alike, so
 * that an implementation that ignores {@code delayUnit} (Payara's schedules the half-open state with the raw delay as
 * milliseconds) still keeps the circuit open for {@code STREAMING_CB_TIMEOUT_S} seconds; and its keys name only a
 * public class dedicated to the breaker, so that renaming an internal class cannot silently drop them.
 */
class BreakerConfigurationTest {

    private static final String KEY = StreamingBreaker.class.getName() + "/guard/CircuitBreaker/";

    @Test
    void theAnnotationCarriesConfigKeysDefaultsWithTheDelayInMilliseconds() throws NoSuchMethodException {
        CircuitBreaker breaker = StreamingBreaker.class.getMethod("guard", GuardedCall.class)
                .getAnnotation(CircuitBreaker.class);

        assertEquals(ChronoUnit.MILLIS, breaker.delayUnit());
        assertEquals(Long.parseLong(ConfigKey.CB_TIMEOUT_S.defaultValue()) * 1000, breaker.delay());
        assertEquals(Integer.parseInt(ConfigKey.CB_MIN_REQUESTS.defaultValue()), breaker.requestVolumeThreshold());
        assertEquals(Double.parseDouble(ConfigKey.CB_FAILURE_RATIO.defaultValue()), breaker.failureRatio());
    }

    @Test
    void theStreamingKeysBecomeTheFaultToleranceKeys() {
        SmallRyeConfig config = configWith(Map.of("streaming.cb.timeout.s", "2", "streaming.cb.min.requests", "4",
                "streaming.cb.failure.ratio", "0.75"));

        assertEquals(2_000L, config.getValue(KEY + "delay", Long.class));
        assertEquals("MILLIS", config.getValue(KEY + "delayUnit", String.class));
        assertEquals(4, config.getValue(KEY + "requestVolumeThreshold", Integer.class));
        assertEquals(0.75, config.getValue(KEY + "failureRatio", Double.class));
    }

    @Test
    void withoutStreamingKeysTheFaultToleranceKeysTakeConfigKeysDefaults() {
        SmallRyeConfig config = configWith(Map.of());

        assertEquals(Long.parseLong(ConfigKey.CB_TIMEOUT_S.defaultValue()) * 1000,
                config.getValue(KEY + "delay", Long.class));
        assertEquals(ConfigKey.CB_MIN_REQUESTS.defaultValue(), config.getValue(KEY + "requestVolumeThreshold",
                String.class));
        assertEquals(ConfigKey.CB_FAILURE_RATIO.defaultValue(), config.getValue(KEY + "failureRatio", String.class));
    }

    @Test
    void anApplicationsOwnFaultToleranceKeyStillWins() {
        SmallRyeConfig config = configWith(Map.of(KEY + "delay", "1234", "streaming.cb.timeout.s", "2"));

        assertEquals(1_234L, config.getValue(KEY + "delay", Long.class));
    }

    /**
     * Every Fault Tolerance key the library supplies names a public class of a non-internal package, carrying the
     * named method with {@code @CircuitBreaker}: the names are part of the library's configuration surface.
     */
    @Test
    void everySuppliedKeyNamesAPublicDedicatedTypeAndItsGuardedMethod() throws ClassNotFoundException {
        ConfigSource source = librarySource();
        assertFalse(source.getPropertyNames().isEmpty());
        for (String key : source.getPropertyNames()) {
            String[] parts = key.split("/", -1);
            assertEquals(4, parts.length, key);
            assertEquals("CircuitBreaker", parts[2], key);
            Class<?> type = Class.forName(parts[0]);
            assertTrue(Modifier.isPublic(type.getModifiers()), key + ": the class is public");
            assertFalse(type.getPackageName().contains(".internal"), key + ": the class is not internal");
            Method guarded = null;
            for (Method m : type.getMethods()) {
                if (m.getName().equals(parts[1]) && m.isAnnotationPresent(CircuitBreaker.class)) {
                    guarded = m;
                }
            }
            assertNotNull(guarded, key + ": the class has a public @CircuitBreaker method " + parts[1]);
        }
    }

    /** The library's source as the runtime finds it: through the service loader, not by its class name. */
    private static ConfigSource librarySource() {
        for (ConfigSource s : ServiceLoader.load(ConfigSource.class, StreamingBreaker.class.getClassLoader())) {
            if (s.getPropertyNames().stream().anyMatch(k -> k.contains("/CircuitBreaker/"))) {
                return s;
            }
        }
        throw new AssertionError("no ConfigSource of the library supplies the Fault Tolerance keys");
    }

    private static SmallRyeConfig configWith(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(librarySource())
                .withSources(new PropertiesConfigSource(properties, "test", 400))
                .build();
    }
}
