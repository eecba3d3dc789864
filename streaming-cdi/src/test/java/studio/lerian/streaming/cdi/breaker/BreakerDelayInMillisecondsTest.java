package studio.lerian.streaming.cdi.breaker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.cdi.internal.GuardedCall;
import studio.lerian.streaming.cdi.internal.GuardedPublisher;

/**
 * The breaker's open time reaches MicroProfile Fault Tolerance in milliseconds, annotation and configuration alike, so
 * that an implementation that ignores {@code delayUnit} (Payara's schedules the half-open state with the raw delay as
 * milliseconds) still keeps the circuit open for {@code STREAMING_CB_TIMEOUT_S} seconds.
 */
class BreakerDelayInMillisecondsTest {

    private static final String KEY = GuardedPublisher.class.getName() + "/publish/CircuitBreaker/";

    @Test
    void theAnnotationsDefaultOf30SecondsIsGivenInMilliseconds() throws NoSuchMethodException {
        Method publish = GuardedPublisher.class.getMethod("publish", GuardedCall.class);
        CircuitBreaker breaker = publish.getAnnotation(CircuitBreaker.class);

        assertEquals(ChronoUnit.MILLIS, breaker.delayUnit());
        assertEquals(30_000, breaker.delay());
    }

    @Test
    void theTimeoutInSecondsBecomesTheDelayInMilliseconds() throws IOException {
        SmallRyeConfig config = configWith(Map.of("streaming.cb.timeout.s", "2"));

        assertEquals(2_000L, config.getValue(KEY + "delay", Long.class));
        assertEquals("MILLIS", config.getValue(KEY + "delayUnit", String.class));
    }

    @Test
    void withoutATimeoutTheDelayIs30Seconds() throws IOException {
        assertEquals(30_000L, configWith(Map.of()).getValue(KEY + "delay", Long.class));
    }

    private static SmallRyeConfig configWith(Map<String, String> properties) throws IOException {
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(
                        GuardedPublisher.class.getClassLoader().getResource("META-INF/microprofile-config.properties")))
                .withSources(new PropertiesConfigSource(properties, "test", 400))
                .build();
    }
}
