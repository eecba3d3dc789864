package studio.lerian.streaming.cdi.internal.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.enterprise.inject.spi.BeanManager;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * An application without the OpenTelemetry API: the implementation's classes load, link and run with no-op telemetry.
 * Proven in a class loader that hides {@code io.opentelemetry} and loads this module's internal classes itself.
 */
class WithoutOpenTelemetryTest {

    private static final String INTERNAL = "studio.lerian.streaming.cdi.internal.";

    /** Hides the OpenTelemetry API; loads the implementation's internal classes itself, everything else from above. */
    private static final class NoOpenTelemetry extends ClassLoader {
        NoOpenTelemetry(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.opentelemetry.")) {
                throw new ClassNotFoundException(name + " (hidden)");
            }
            if (!name.startsWith(INTERNAL)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    @Test
    void theEmitPathLinksAndTelemetryIsNoopWhenTheApiIsAbsent() throws Exception {
        ClassLoader hidden = new NoOpenTelemetry(getClass().getClassLoader());
        assertThrows(ClassNotFoundException.class, () -> Class.forName(Telemetries.OPEN_TELEMETRY_CLASS, false,
                hidden));

        // Linking verifies their code: none of them may need an OpenTelemetry type.
        for (String name : new String[] {"KafkaEmitter", "KafkaPublisher", "EmitterFactory", "PublishCommand",
                "StreamingRuntime", "outbox.OutboxRelay", "telemetry.Telemetries", "telemetry.NoopTelemetry"}) {
            Class<?> c = Class.forName(INTERNAL + name, true, hidden);
            c.getDeclaredMethods();
            c.getDeclaredFields();
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
