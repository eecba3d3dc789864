package studio.lerian.streaming.cdi.internal.telemetry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.cdi.support.HidingClassLoader;

/**
 * An application without the OpenTelemetry API: the implementation's classes load, link and run with no-op telemetry.
 * Proven in a class loader that hides {@code io.opentelemetry} and loads this module's internal classes itself.
 */
class WithoutOpenTelemetryTest {

    private static final String INTERNAL = "studio.lerian.streaming.cdi.internal.";

    @Test
    void theEmitPathLinksAndTelemetryIsNoopWhenTheApiIsAbsent() throws Exception {
        ClassLoader hidden = new HidingClassLoader(getClass().getClassLoader(), "io.opentelemetry.", INTERNAL);
        assertThrows(ClassNotFoundException.class, () -> Class.forName(Telemetries.OPEN_TELEMETRY_CLASS, false,
                hidden));

        // Linking verifies their code: none of them may need an OpenTelemetry type.
        for (String name : new String[] {"KafkaEmitter", "RecordSender", "EmitterFactory", "PublishCommand",
                "StreamingRuntime", "outbox.OutboxRelay", "telemetry.Telemetries", "telemetry.NoopTelemetry"}) {
            Class<?> c = Class.forName(INTERNAL + name, true, hidden);
            assertDoesNotThrow(c::getDeclaredMethods, name);
            assertDoesNotThrow(c::getDeclaredFields, name);
        }

        Class<?> telemetries = Class.forName(INTERNAL + "telemetry.Telemetries", true, hidden);
        Object provider = telemetries.getMethod("provider", BeanManager.class).invoke(null, (Object) null);
        Method create = provider.getClass().getMethod("create", String.class, String.class);
        create.setAccessible(true);
        Object telemetry = create.invoke(provider, "producer", "client");
        assertEquals(INTERNAL + "telemetry.NoopTelemetry", telemetry.getClass().getName());

        @SuppressWarnings({"unchecked", "rawtypes"})
        Object callerError = Enum.valueOf((Class) Class.forName(INTERNAL + "telemetry.Outcome", true, hidden),
                "CALLER_ERROR");
        Class<?> api = Class.forName(INTERNAL + "telemetry.Telemetry", true, hidden);
        api.getMethod("emitted", String.class, callerError.getClass()).invoke(telemetry, "__unresolved__",
                callerError);
        api.getMethod("close").invoke(telemetry);
    }
}
