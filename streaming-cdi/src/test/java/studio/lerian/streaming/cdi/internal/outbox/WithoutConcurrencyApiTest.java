package studio.lerian.streaming.cdi.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.enterprise.inject.spi.BeanManager;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;

/**
 * A runtime without Jakarta Concurrency (Java SE with Weld, a MicroProfile runtime without it): the relay's classes
 * load and link, and the relay gets a thread of its own, with no {@code NoClassDefFoundError}. Proven in a class
 * loader that hides {@code jakarta.enterprise.concurrent} and loads this module's internal classes itself.
 */
class WithoutConcurrencyApiTest {

    private static final String INTERNAL = "studio.lerian.streaming.cdi.internal.";

    /** Hides the Jakarta Concurrency API; loads the implementation's internal classes itself, the rest from above. */
    private static final class NoConcurrencyApi extends ClassLoader {
        NoConcurrencyApi(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("jakarta.enterprise.concurrent.")) {
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
    void theRelayGetsItsOwnThreadWhenTheApiIsAbsent() throws Exception {
        ClassLoader hidden = new NoConcurrencyApi(getClass().getClassLoader());
        assertThrows(ClassNotFoundException.class, () -> Class.forName(RelayScheduler.MANAGED_API, false, hidden));

        // Linking verifies their code: none of them may need a Jakarta Concurrency type.
        for (String name : new String[] {"EmitterFactory", "StreamingRuntime", "outbox.OutboxRelay",
            "outbox.RelayScheduler", "outbox.RelayScheduler$Executor"}) {
            Class<?> c = Class.forName(INTERNAL + name, true, hidden);
            c.getDeclaredMethods();
            c.getDeclaredFields();
        }

        Class<?> scheduler = Class.forName(INTERNAL + "outbox.RelayScheduler", true, hidden);
        Object executor = scheduler.getMethod("preferManaged", BeanManager.class, String.class).invoke(null, null,
                "relay-1");
        Class<?> record = executor.getClass();
        assertEquals("own-thread", record.getMethod("source").invoke(executor));
        assertEquals(true, record.getMethod("owned").invoke(executor));
        ((ExecutorService) record.getMethod("service").invoke(executor)).shutdown();
    }
}
