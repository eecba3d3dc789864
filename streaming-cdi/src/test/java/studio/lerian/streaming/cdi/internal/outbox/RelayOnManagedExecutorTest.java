package studio.lerian.streaming.cdi.internal.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.inject.Produces;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import studio.lerian.streaming.core.support.Fixture;
import studio.lerian.streaming.cdi.support.StreamingContainer;
import studio.lerian.streaming.core.internal.outbox.InMemoryOutboxStore;
import studio.lerian.streaming.spi.OutboxStore;

/**
 * The relay polls on the runtime's default managed scheduled executor when the deployment offers one (here a CDI bean
 * of type {@code ManagedScheduledExecutorService}, as Jakarta Concurrency 3.1 runtimes provide), and leaves it
 * running when the application stops: the container owns it. Without one it polls on a thread of its own.
 */
class RelayOnManagedExecutorTest {

    /** The container's executor, as the test application's producer hands it out. */
    static final ScheduledThreadPoolExecutor POOL = pool();
    /** The outbox, recording on which threads the relay claims. */
    static final InMemoryOutboxStore STORE = new InMemoryOutboxStore();
    private static final Set<String> CLAIMING_THREADS = ConcurrentHashMap.newKeySet();

    private StreamingContainer app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        CLAIMING_THREADS.clear();
    }

    @Test
    void theRelayPollsOnTheManagedExecutorAndLeavesItRunningWhenTheApplicationStops() {
        STORE.beforeClaim(() -> CLAIMING_THREADS.add(Thread.currentThread().getName()));
        app = StreamingContainer.start(config(), Fixture.Definitions.class, Outbox.class, ManagedExecutor.class);

        await().atMost(Duration.ofSeconds(20)).until(() -> !CLAIMING_THREADS.isEmpty());
        assertTrue(CLAIMING_THREADS.stream().allMatch(t -> t.startsWith("test-managed-")), CLAIMING_THREADS::toString);

        app.close();
        app = null;
        assertFalse(POOL.isShutdown(), "the container's executor is the container's to shut down");
        int claims = STORE.claims();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> STORE.claims() == claims);
        assertEquals(0, POOL.getQueue().size(), "no poll left scheduled on the container's executor");
    }

    @Test
    void withoutAManagedExecutorTheRelayPollsOnItsOwnThread() {
        STORE.beforeClaim(() -> CLAIMING_THREADS.add(Thread.currentThread().getName()));
        app = StreamingContainer.start(config(), Fixture.Definitions.class, Outbox.class);

        await().atMost(Duration.ofSeconds(20)).until(() -> !CLAIMING_THREADS.isEmpty());
        assertTrue(CLAIMING_THREADS.stream().allMatch(t -> t.startsWith("streaming-outbox-relay-")),
                CLAIMING_THREADS::toString);
    }

    private static Map<String, String> config() {
        Map<String, String> config = Fixture.config("127.0.0.1:9"); // no broker needed: the outbox stays empty
        config.put("streaming.outbox.poll.interval.ms", "50");
        return config;
    }

    private static ScheduledThreadPoolExecutor pool() {
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, task -> {
            Thread t = new Thread(task, "test-managed-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }

    /** The application's outbox store. */
    public static class Outbox {
        @Produces
        OutboxStore store() {
            return STORE;
        }
    }

    /**
     * The runtime's managed scheduled executor: the scheduling methods of {@link ScheduledExecutorService} run on
     * {@link #POOL}; the relay needs no other.
     */
    public static class ManagedExecutor {
        @Produces
        ManagedScheduledExecutorService managed() {
            return (ManagedScheduledExecutorService) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ManagedScheduledExecutorService.class}, (proxy, method, args) -> {
                        Method delegate = ScheduledThreadPoolExecutor.class.getMethod(method.getName(),
                                method.getParameterTypes());
                        try {
                            return delegate.invoke(POOL, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
