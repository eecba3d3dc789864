package studio.lerian.streaming.outbox.jpa.internal;

import jakarta.persistence.EntityTransaction;
import jakarta.transaction.Synchronization;
import java.lang.reflect.Method;
import studio.lerian.streaming.spi.OutboxWrite;

/**
 * The end of the caller's transaction that outbox rows were written in: an {@link OutboxWrite} that reports it.
 *
 * <ul>
 *   <li>JTA: a synchronization registered with the transaction says so after it completed (commit or rollback).</li>
 *   <li>Resource-local: JPA offers no way to be told, so the provider's own is used when its
 *       {@link EntityTransaction} has one: {@code registerSynchronization(jakarta.transaction.Synchronization)}
 *       (Hibernate's {@code org.hibernate.Transaction}), which it calls after the commit or rollback. Otherwise the
 *       transaction is looked at when asked: it has ended once it is seen inactive (or its entity manager closed),
 *       and stays ended from then on. Seen active, it may already be a later transaction of the same entity manager,
 *       which only keeps the write unsettled longer (its keys follow the outbox a little longer), never shorter.</li>
 * </ul>
 * Thread-safe.
 */
public final class TransactionEnd implements OutboxWrite {

    private final EntityTransaction watched;
    private volatile boolean ended;

    private TransactionEnd(EntityTransaction watched) {
        this.watched = watched;
    }

    /**
     * The end of the calling thread's JTA transaction.
     *
     * @param jta the JTA environment
     * @param then what else to do once it has ended (close the entity manager that joined it); runs before the write
     *        is reported settled
     * @return the write, settled once the transaction completed
     * @throws IllegalStateException when no registry is available or the transaction no longer accepts one
     */
    public static TransactionEnd ofJta(Jta jta, Runnable then) {
        TransactionEnd end = new TransactionEnd(null);
        jta.afterCompletion(() -> {
            try {
                then.run();
            } finally {
                end.ended = true;
            }
        });
        return end;
    }

    /**
     * The end of an active resource-local transaction.
     *
     * @param tx the caller's transaction, active
     * @return the write, settled once the transaction committed or rolled back
     */
    public static TransactionEnd ofResourceLocal(EntityTransaction tx) {
        Method register = registerSynchronization(tx);
        if (register != null) {
            TransactionEnd told = new TransactionEnd(null);
            try {
                register.invoke(tx, new Synchronization() {
                    @Override
                    public void beforeCompletion() {
                    }

                    @Override
                    public void afterCompletion(int status) {
                        told.ended = true;
                    }
                });
                return told;
            } catch (ReflectiveOperationException | RuntimeException refused) {
                // Not registered: watch the transaction instead.
            }
        }
        return new TransactionEnd(tx);
    }

    /** The provider's {@code registerSynchronization(Synchronization)} of this transaction, if it has a public one. */
    private static Method registerSynchronization(EntityTransaction tx) {
        try {
            return tx.getClass().getMethod("registerSynchronization", Synchronization.class);
        } catch (NoSuchMethodException | SecurityException | LinkageError none) {
            return null; // not Hibernate, or no JTA API on the class path
        }
    }

    @Override
    public boolean settled() {
        if (ended) {
            return true;
        }
        if (watched == null) {
            return false;
        }
        boolean inactive;
        try {
            inactive = !watched.isActive();
        } catch (RuntimeException closed) {
            inactive = true; // its entity manager is closed: its transaction has ended
        }
        if (inactive) {
            ended = true;
        }
        return inactive;
    }
}
