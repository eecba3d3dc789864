package studio.lerian.streaming.cdi.internal.telemetry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.cdi.support.HidingClassLoader;
import studio.lerian.streaming.core.internal.telemetry.Telemetries;

/**
 * An application without the OpenTelemetry API: the implementation's classes load, link and run with no-op telemetry.
 * Proven in a class loader that hides {@code io.opentelemetry} and loads this module's internal classes itself.
 */
class WithoutOpenTelemetryTest {

    /** The library's classes, engine and adapter alike, are loaded and linked by the hiding loader. */
    private static final String LIBRARY = "studio.lerian.streaming.";
    private static final String INTERNAL = LIBRARY + "core.internal.";

    @Test
    void theEmitPathLinksAndTelemetryIsNoopWhenTheApiIsAbsent() throws Exception {
        ClassLoader hidden = new HidingClassLoader(getClass().getClassLoader(), "io.opentelemetry.", LIBRARY);
        assertThrows(ClassNotFoundException.class, () -> Class.forName(Telemetries.OPEN_TELEMETRY_CLASS, false,
                hidden));

        // Linking verifies their code: none of them may need an OpenTelemetry type.
        for (String name : new String[] {"core.internal.KafkaEmitter", "core.internal.RecordSender",
                "core.internal.EmitterFactory", "core.internal.PublishCommand", "cdi.internal.StreamingRuntime",
                "core.internal.outbox.OutboxRelay", "core.internal.telemetry.Telemetries",
                "core.internal.telemetry.NoopTelemetry"}) {
            Class<?> c = Class.forName(LIBRARY + name, true, hidden);
            assertDoesNotThrow(c::getDeclaredMethods, name);
            assertDoesNotThrow(c::getDeclaredFields, name);
        }

        Class<?> telemetries = Class.forName(INTERNAL + "telemetry.Telemetries", true, hidden);
        Class<?> lookup = Class.forName(INTERNAL + "telemetry.Telemetries$ContainerLookup", true, hidden);
        Object provider = telemetries.getMethod("provider", lookup).invoke(null, lookup.getField("NONE").get(null));
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
