package studio.lerian.streaming.cdi.internal.outbox;

import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import studio.lerian.streaming.core.internal.outbox.RelayScheduler;

/**
 * Finds the runtime's default managed scheduled executor. Refers to the Jakarta Concurrency API, so it is loaded only
 * once {@link ManagedRelayScheduler} has seen that API on the class path.
 */
final class ManagedExecutors {

    /** The default instance's name, which every Jakarta EE runtime with Jakarta Concurrency binds. */
    static final String DEFAULT_JNDI = "java:comp/DefaultManagedScheduledExecutorService";

    private ManagedExecutors() {
    }

    /**
     * Through CDI first (Jakarta Concurrency 3.1 makes the default instances injectable, and an application may
     * produce one), then through JNDI, which Jakarta EE 10 runtimes offer. A runtime that offers neither, or a lookup
     * that fails for any reason, means the relay's own thread.
     */
    static Optional<RelayScheduler.Executor> find(BeanManager beans) {
        if (beans != null) {
            try {
                Bean<?> bean = beans.resolve(beans.getBeans(ManagedScheduledExecutorService.class));
                if (bean != null) {
                    ManagedScheduledExecutorService service = (ManagedScheduledExecutorService) beans.getReference(
                            bean, ManagedScheduledExecutorService.class, beans.createCreationalContext(bean));
                    return Optional.of(new RelayScheduler.Executor(service, false, "cdi"));
                }
            } catch (AmbiguousResolutionException e) {
                // several, none chosen by the application: not ours to pick; try the default name
            }
        }
        try {
            Object found = new InitialContext().lookup(DEFAULT_JNDI);
            if (found instanceof ManagedScheduledExecutorService service) {
                return Optional.of(new RelayScheduler.Executor(service, false, DEFAULT_JNDI));
            }
        } catch (NamingException | RuntimeException e) {
            // no naming service here (Java SE), or nothing bound under the default name
        }
        return Optional.empty();
    }
}
