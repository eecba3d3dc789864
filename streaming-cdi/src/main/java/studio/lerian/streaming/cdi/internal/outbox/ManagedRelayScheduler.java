package studio.lerian.streaming.cdi.internal.outbox;

import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.System.Logger.Level;
import java.util.Optional;
import studio.lerian.streaming.core.internal.outbox.RelayScheduler;
import studio.lerian.streaming.internal.OptionalApis;

/**
 * Chooses where the relay's polls run. On an application server that offers Jakarta Concurrency, its default managed
 * scheduled executor: the container then knows the relay's work (its threads carry the application's context, its
 * naming and its class loader, they are stopped with the application, and the server's thread monitoring sees them).
 * Otherwise (Java SE with Weld, a runtime without Jakarta Concurrency) a thread of the relay's own. The Jakarta
 * Concurrency API is optional: without it on the class path the managed lookup ({@link ManagedExecutors}) is never
 * loaded.
 */
public final class ManagedRelayScheduler {

    /** The Jakarta Concurrency type the managed lookup needs. */
    static final String MANAGED_API = "jakarta.enterprise.concurrent.ManagedScheduledExecutorService";

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    private ManagedRelayScheduler() {
    }

    /**
     * The runtime's default managed scheduled executor when it offers one (a CDI bean of type
     * {@code ManagedScheduledExecutorService} with the {@code @Default} qualifier, else
     * {@code java:comp/DefaultManagedScheduledExecutorService}), otherwise a thread of the relay's own. Logs which.
     *
     * @param beans the deployment's bean manager; {@code null} outside CDI
     * @param relayId names the relay's own thread
     * @return the executor
     */
    public static RelayScheduler.Executor preferManaged(BeanManager beans, String relayId) {
        boolean apiPresent = OptionalApis.present(MANAGED_API, ManagedRelayScheduler.class.getClassLoader());
        Optional<RelayScheduler.Executor> managed = apiPresent ? ManagedExecutors.find(beans) : Optional.empty();
        RelayScheduler.Executor chosen = managed.orElseGet(() -> RelayScheduler.ownThread(relayId));
        LOG.log(Level.INFO, () -> "streaming: outbox relay scheduled relay_id=" + relayId + " executor="
                + chosen.source());
        return chosen;
    }

}
