package studio.lerian.streaming.cdi.internal.outbox;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.enterprise.inject.spi.BeanManager;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.cdi.support.HidingClassLoader;

/**
 * A runtime without Jakarta Concurrency (Java SE with Weld, a MicroProfile runtime without it): the relay's classes
 * load and link, and the relay gets a thread of its own, with no {@code NoClassDefFoundError}. Proven in a class
 * loader that hides {@code jakarta.enterprise.concurrent} and loads this module's internal classes itself.
 */
class WithoutConcurrencyApiTest {

    /** The library's classes, engine and adapter alike, are loaded and linked by the hiding loader. */
    private static final String LIBRARY = "studio.lerian.streaming.";

    @Test
    void theRelayGetsItsOwnThreadWhenTheApiIsAbsent() throws Exception {
        ClassLoader hidden = new HidingClassLoader(getClass().getClassLoader(), "jakarta.enterprise.concurrent.",
                LIBRARY);
        assertThrows(ClassNotFoundException.class, () -> Class.forName(ManagedRelayScheduler.MANAGED_API, false,
                hidden));

        // Linking verifies their code: none of them may need a Jakarta Concurrency type.
        for (String name : new String[] {"core.internal.EmitterFactory", "cdi.internal.StreamingRuntime",
            "core.internal.outbox.OutboxRelay", "core.internal.outbox.RelayScheduler",
            "core.internal.outbox.RelayScheduler$Executor", "cdi.internal.outbox.ManagedRelayScheduler"}) {
            Class<?> c = Class.forName(LIBRARY + name, true, hidden);
            assertDoesNotThrow(c::getDeclaredMethods, name);
            assertDoesNotThrow(c::getDeclaredFields, name);
        }

        Class<?> scheduler = Class.forName(LIBRARY + "cdi.internal.outbox.ManagedRelayScheduler", true, hidden);
        Object executor = scheduler.getMethod("preferManaged", BeanManager.class, String.class).invoke(null, null,
                "relay-1");
        Class<?> record = executor.getClass();
        assertEquals("own-thread", record.getMethod("source").invoke(executor));
        assertEquals(true, record.getMethod("owned").invoke(executor));
        ((ExecutorService) record.getMethod("service").invoke(executor)).shutdown();
    }
}
