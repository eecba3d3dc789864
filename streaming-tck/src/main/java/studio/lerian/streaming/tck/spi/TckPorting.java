package studio.lerian.streaming.tck.spi;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * What a runtime gives the TCK that the TCK cannot assume: a running Kafka broker, the implementation's jars and
 * configuration, and (for an implementation with an outbox) read access to the outbox table.
 *
 * <p>A runner provides exactly one implementation, registered in
 * {@code META-INF/services/studio.lerian.streaming.tck.spi.TckPorting} on the test class path of the JVM that starts
 * the deployments (the Arquillian client side). The TCK never calls it from inside a deployment: the broker address
 * reaches deployed tests through the archive (see {@code studio.lerian.streaming.tck.support.TckDeployments}).
 */
public interface TckPorting {

    /**
     * The broker the implementation under test publishes to and the TCK consumes from.
     *
     * @return a Kafka {@code bootstrap.servers} value reachable from the server under test, never null; the broker is
     *         running when this returns
     */
    String bootstrapServers();

    /** Stops the broker (or cuts the network to it) until {@link #startBroker()}; keeps its data and address. */
    void stopBroker();

    /** Starts the broker again (or heals the network) after {@link #stopBroker()}; returns once it serves. */
    void startBroker();

    /**
     * Adds what the implementation needs inside a deployment: its jars (and their dependencies, including
     * {@code kafka-clients}, which the TCK's own consumer uses) and any descriptor it requires.
     *
     * <p>An implementation with a transactional outbox also wires it into every deployment here (for the reference
     * implementation: the {@code streaming-jpa-outbox} jar, a JTA persistence unit on the server's datasource that
     * lists its mapping file, the {@code @StreamingOutbox EntityManagerFactory} producer, and the outbox table), and
     * adds an implementation of {@link TckOutbox} registered in
     * {@code META-INF/services/studio.lerian.streaming.tck.spi.TckOutbox}, through which the tests tagged
     * {@code outbox} read the table from inside the deployment. The outbox must be usable under every deployment's
     * default policy: the TCK's core tests expect the fallback to the outbox while the breaker is open only where they
     * say so, and set {@code outbox=never} where they must see the failure itself.
     *
     * @param archive a deployment being built by the TCK, never null
     */
    void appendTo(WebArchive archive);

    /**
     * The single porting implementation on the class path.
     *
     * @return the implementation found by {@link ServiceLoader}
     * @throws IllegalStateException if there is none, or more than one
     */
    static TckPorting load() {
        Iterator<TckPorting> found = ServiceLoader.load(TckPorting.class).iterator();
        try {
            if (!found.hasNext()) {
                throw new IllegalStateException("No " + TckPorting.class.getName()
                        + " found: register one in META-INF/services of the runner");
            }
            TckPorting porting = found.next();
            if (found.hasNext()) {
                throw new IllegalStateException("More than one " + TckPorting.class.getName() + " on the class path");
            }
            return porting;
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("The TCK porting implementation could not be loaded", e);
        }
    }
}
