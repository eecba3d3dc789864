package studio.lerian.streaming.tck.spi;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Read access to the implementation's outbox table, from inside a deployment: what the tests tagged
 * {@code outbox} need to see that a row was written, kept or discarded with the caller's transaction, and relayed.
 *
 * <p>Unlike {@link TckPorting}, this interface runs <em>in the server</em>. An implementation with an outbox adds its
 * implementation class and a {@code META-INF/services/studio.lerian.streaming.tck.spi.TckOutbox} entry to every
 * deployment in {@link TckPorting#appendTo}; the TCK adds this interface itself. The TCK finds it with
 * {@link #find()} and never writes through it. An implementation without an outbox adds nothing and excludes the
 * {@code outbox} tag.
 *
 * <p>Reads must see what other transactions committed (no stale cache), and must not join the caller's transaction:
 * the TCK reads while no transaction is active on its thread.
 */
public interface TckOutbox {

    /** The states of an outbox row, as docs/outbox.md names them. */
    enum State {
        /** Written, waiting for the relay (or due again after a failed attempt). */
        PENDING,
        /** Claimed by a relay, being published. */
        PROCESSING,
        /** On the broker. */
        PUBLISHED,
        /** Attempts exhausted; left for an operator. */
        FAILED,
        /** The row cannot be replayed. */
        INVALID
    }

    /**
     * The rows that hold the event of this id (its CloudEvents {@code id}, the request's event id).
     *
     * @param eventId the event id
     * @return the states of those rows, oldest first; empty when no committed row holds that event
     */
    List<State> rowsOf(String eventId);

    /**
     * How many rows are not yet on the broker ({@link State#PENDING} or {@link State#PROCESSING}), among all rows of
     * the table.
     *
     * @return the count
     */
    long unpublished();

    /**
     * The implementation the porting added to this deployment, looked up through the thread context class loader (the
     * deployment's).
     *
     * @return the outbox reader, or empty when the porting added none
     * @throws IllegalStateException if more than one is registered, or it cannot be loaded
     */
    static Optional<TckOutbox> find() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Iterator<TckOutbox> found = ServiceLoader.load(TckOutbox.class,
                loader == null ? TckOutbox.class.getClassLoader() : loader).iterator();
        try {
            if (!found.hasNext()) {
                return Optional.empty();
            }
            TckOutbox outbox = found.next();
            if (found.hasNext()) {
                throw new IllegalStateException("More than one " + TckOutbox.class.getName() + " in the deployment");
            }
            return Optional.of(outbox);
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("The TCK outbox reader could not be loaded", e);
        }
    }

    /**
     * The implementation the porting added, for tests that cannot run without one.
     *
     * @return the outbox reader
     * @throws IllegalStateException if the porting added none (exclude the {@code outbox} tag instead)
     */
    static TckOutbox require() {
        return find().orElseThrow(() -> new IllegalStateException("No " + TckOutbox.class.getName()
                + " in the deployment: a porting with an outbox adds one in appendTo; without an outbox, exclude the "
                + "'outbox' tag"));
    }
}
