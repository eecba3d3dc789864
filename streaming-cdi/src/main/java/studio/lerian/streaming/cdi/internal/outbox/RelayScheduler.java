package studio.lerian.streaming.cdi.internal.outbox;

import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where the relay's polls run. On an application server that offers Jakarta Concurrency, its default managed
 * scheduled executor: the container then knows the relay's work (its threads carry the application's context, its
 * naming and its class loader, they are stopped with the application, and the server's thread monitoring sees them).
 * Otherwise (Java SE with Weld, a runtime without Jakarta Concurrency) a daemon thread of the relay's own, which it
 * shuts down when it closes. The Jakarta Concurrency API is optional: without it on the class path the managed
 * lookup is never loaded.
 */
public final class RelayScheduler {

    /** The Jakarta Concurrency type the managed lookup needs. */
    static final String MANAGED_API = "jakarta.enterprise.concurrent.ManagedScheduledExecutorService";

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");

    /**
     * An executor for the relay, and whether the relay owns it (shuts it down on close) or the container does.
     *
     * @param service the executor
     * @param owned whether the relay shuts it down when it closes
     * @param source what it is, for the log: {@code own-thread}, {@code cdi} or the JNDI name
     */
    public record Executor(ScheduledExecutorService service, boolean owned, String source) {
    }

    private RelayScheduler() {
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
    public static Executor preferManaged(BeanManager beans, String relayId) {
        Optional<Executor> managed = apiPresent() ? ManagedExecutors.find(beans) : Optional.empty();
        Executor chosen = managed.orElseGet(() -> ownThread(relayId));
        LOG.log(Level.INFO, () -> "streaming: outbox relay scheduled relay_id=" + relayId + " executor="
                + chosen.source());
        return chosen;
    }

    /**
     * @param relayId names the thread
     * @return a single-thread scheduler running a daemon thread, owned by the relay
     */
    public static Executor ownThread(String relayId) {
        return new Executor(Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "streaming-outbox-relay-" + relayId);
            t.setDaemon(true);
            return t;
        }), true, "own-thread");
    }

    private static boolean apiPresent() {
        try {
            Class.forName(MANAGED_API, false, RelayScheduler.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
