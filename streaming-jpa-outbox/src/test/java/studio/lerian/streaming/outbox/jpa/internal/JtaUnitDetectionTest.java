package studio.lerian.streaming.outbox.jpa.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SynchronizationType;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whether the unit is JTA is found without {@link EntityManager#getTransaction()}: EclipseLink (Open Liberty's
 * provider) marks the caller's JTA transaction for rollback when that method throws, so asking it during the first
 * outbox write of a transaction rolled the whole business transaction back.
 */
class JtaUnitDetectionTest {

    private final List<String> calls = new ArrayList<>();

    @Test
    void aJtaUnitIsRecognisedWithoutAskingForAResourceLocalTransaction() {
        EntityManagerFactory jta = factory(false);

        assertTrue(new UnitOfWork(jta, new Jta(name -> null, false)).isJtaUnit());
        assertEquals(List.of("createEntityManager(UNSYNCHRONIZED)", "close"), calls);
    }

    @Test
    void aResourceLocalUnitRefusesAnUnsynchronizedEntityManager() {
        EntityManagerFactory local = factory(true);

        assertFalse(new UnitOfWork(local, new Jta(name -> null, false)).isJtaUnit());
        assertFalse(calls.contains("getTransaction"), calls.toString());
    }

    private EntityManagerFactory factory(boolean resourceLocal) {
        EntityManager em = (EntityManager) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {EntityManager.class}, (proxy, method, args) -> {
                    calls.add(method.getName());
                    if (method.getName().equals("getTransaction")) {
                        throw new IllegalStateException("JTA entity manager (and the transaction is now rollback-only)");
                    }
                    return null;
                });
        return (EntityManagerFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {EntityManagerFactory.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createEntityManager") && args != null
                            && args[0] == SynchronizationType.UNSYNCHRONIZED) {
                        if (resourceLocal) {
                            throw new IllegalStateException("resource-local unit");
                        }
                        calls.add("createEntityManager(UNSYNCHRONIZED)");
                        return em;
                    }
                    if (method.getName().equals("createEntityManager")) {
                        calls.add("createEntityManager");
                        return em;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
