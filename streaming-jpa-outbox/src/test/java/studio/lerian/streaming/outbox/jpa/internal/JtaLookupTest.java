package studio.lerian.streaming.outbox.jpa.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay runs on a thread the library starts itself. Open Liberty refuses {@code java:comp} lookups there
 * ({@code CWNEN1000E}), so the JTA objects found on a container thread must serve the relay's thread too.
 */
class JtaLookupTest {

    /** Only threads marked as container threads see java:comp, as in Open Liberty. */
    private static final ThreadLocal<Boolean> CONTAINER_THREAD = ThreadLocal.withInitial(() -> false);

    private final UserTransaction ut = stub(UserTransaction.class, Status.STATUS_NO_TRANSACTION);
    private final TransactionSynchronizationRegistry registry =
            stub(TransactionSynchronizationRegistry.class, Status.STATUS_ACTIVE);
    private final Jta jta = new Jta(this::lookup, true);
    private final ExecutorService relayThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        relayThread.shutdownNow();
    }

    @Test
    void objectsPrimedOnAContainerThreadServeTheRelayThread() throws Exception {
        onContainerThread(jta::prime);

        assertSame(ut, onRelayThread(jta::userTransaction));
        assertEquals(Status.STATUS_ACTIVE, (int) onRelayThread(jta::status));
    }

    @Test
    void aLookupThatFailedOnTheRelayThreadIsRetriedAndThenKept() throws Exception {
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        relayThread.submit(() -> {
            try {
                jta.userTransaction();
                refused.complete(null);
            } catch (RuntimeException e) {
                refused.complete(e);
            }
        }).get();
        assertTrue(refused.get() instanceof IllegalStateException, "refused without the naming context");

        onContainerThread(() -> assertSame(ut, jta.userTransaction()));

        assertSame(ut, onRelayThread(jta::userTransaction));
    }

    @Test
    void withoutAnyContainerThreadTheRelayThreadIsToldWhy() {
        IllegalStateException e = assertThrows(IllegalStateException.class, jta::userTransaction);
        assertTrue(e.getMessage().contains(Jta.USER_TRANSACTION_NAME), e.getMessage());
        assertEquals(Status.STATUS_NO_TRANSACTION, jta.status());
    }

    @Test
    void statusNamesAreReadable() {
        assertEquals("MARKED_ROLLBACK", Jta.statusName(Status.STATUS_MARKED_ROLLBACK));
        assertEquals("ACTIVE", Jta.statusName(Status.STATUS_ACTIVE));
        assertEquals("42", Jta.statusName(42));
    }

    private Object lookup(String name) throws NamingException {
        if (!CONTAINER_THREAD.get()) {
            throw new NamingException("CWNEN1000E: the current thread is not associated with an application component");
        }
        return switch (name) {
            case Jta.USER_TRANSACTION_NAME -> ut;
            case Jta.REGISTRY_NAME -> registry;
            default -> throw new NamingException(name);
        };
    }

    private static void onContainerThread(Runnable action) {
        CONTAINER_THREAD.set(true);
        try {
            action.run();
        } finally {
            CONTAINER_THREAD.remove();
        }
    }

    private <T> T onRelayThread(java.util.concurrent.Callable<T> action) throws Exception {
        return relayThread.submit(action).get();
    }

    /** A stub whose status methods answer {@code status}; nothing else is called. */
    private static <T> T stub(Class<T> type, int status) {
        return type.cast(Proxy.newProxyInstance(JtaLookupTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getStatus", "getTransactionStatus" -> status;
                    case "toString" -> type.getSimpleName() + " stub";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                }));
    }
}
