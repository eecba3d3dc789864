package studio.lerian.streaming.outbox.jpa.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.SynchronizationType;
import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import java.util.function.Function;

/**
 * Runs work in a transaction of its own on the application's persistence unit: an {@link EntityTransaction} for a
 * {@code RESOURCE_LOCAL} unit, {@code java:comp/UserTransaction} for a JTA unit. Whether the unit is JTA is found once,
 * with the JPA 2 rule that {@link EntityManager#getTransaction()} refuses to work on a JTA entity manager (so no JPA 3.2
 * method is needed and JPA 3.1 containers work).
 */
public final class UnitOfWork {

    private final EntityManagerFactory factory;
    private final Jta jta;
    private volatile Boolean jtaUnit;

    /**
     * @param factory the application's persistence unit
     * @param jta the JTA environment
     */
    public UnitOfWork(EntityManagerFactory factory, Jta jta) {
        this.factory = factory;
        this.jta = jta;
    }

    /** @return the persistence unit */
    public EntityManagerFactory factory() {
        return factory;
    }

    /** @return the JTA environment */
    public Jta jta() {
        return jta;
    }

    /**
     * Whether the persistence unit is a JTA unit, found once. The question is asked with
     * {@code createEntityManager(SynchronizationType.UNSYNCHRONIZED)}, which a resource-local unit refuses with an
     * {@link IllegalStateException} (Jakarta Persistence 2.1+) and which never joins the caller's transaction. Asking
     * {@link EntityManager#getTransaction()} instead would be wrong when the first write happens inside a JTA
     * transaction: EclipseLink marks the current transaction for rollback when that method throws.
     *
     * @return whether the persistence unit is a JTA unit
     */
    public boolean isJtaUnit() {
        Boolean known = jtaUnit;
        if (known == null) {
            known = detectJtaUnit(factory);
            jtaUnit = known;
        }
        return known;
    }

    static boolean detectJtaUnit(EntityManagerFactory factory) {
        EntityManager unsynchronized;
        try {
            unsynchronized = factory.createEntityManager(SynchronizationType.UNSYNCHRONIZED);
        } catch (IllegalStateException resourceLocal) {
            return false;
        } catch (UnsupportedOperationException | AbstractMethodError notSupported) {
            EntityManager em = factory.createEntityManager();
            try {
                return !isResourceLocal(em);
            } finally {
                em.close();
            }
        }
        unsynchronized.close();
        return true;
    }

    /**
     * Whether this entity manager has resource-local transactions.
     *
     * @param em an entity manager
     * @return {@code false} for a JTA entity manager
     */
    public static boolean isResourceLocal(EntityManager em) {
        try {
            em.getTransaction();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * Runs the work in a new transaction with a new entity manager, commits, and closes the entity manager. Any
     * failure rolls back and propagates.
     *
     * @param work the work
     * @param <T> its result
     * @return the work's result
     * @throws PersistenceException when the transaction cannot be begun or committed (JTA failures are wrapped)
     */
    public <T> T inOwnTransaction(Function<EntityManager, T> work) {
        try (OwnTransaction tx = begin()) {
            T result = work.apply(tx.entityManager());
            tx.commit();
            return result;
        }
    }

    /**
     * Begins a transaction of its own, with a new entity manager, for work that spans more than one call (a relay
     * holds its claimed rows' locks while it publishes them). With JTA the transaction is bound to this thread until
     * it ends; the same thread must commit or close it.
     *
     * @return the open transaction; {@link OwnTransaction#close()} rolls it back unless it was committed
     * @throws PersistenceException when the transaction cannot be begun
     */
    public OwnTransaction begin() {
        return isJtaUnit() ? beginUserTransaction() : beginResourceLocal();
    }

    private OwnTransaction beginResourceLocal() {
        EntityManager em = factory.createEntityManager();
        try {
            EntityTransaction tx = em.getTransaction();
            tx.begin();
            return new OwnTransaction(em) {
                @Override
                void doCommit() {
                    tx.commit();
                }

                @Override
                void doRollback() {
                    if (tx.isActive()) {
                        rollbackQuietly(tx);
                    }
                }
            };
        } catch (RuntimeException e) {
            em.close();
            throw e;
        }
    }

    private OwnTransaction beginUserTransaction() {
        UserTransaction ut;
        try {
            ut = jta.userTransaction();
        } catch (IllegalStateException e) {
            throw new PersistenceException("the persistence unit is a JTA unit and no transaction is active, but "
                    + "no user transaction is available to start one: " + e.getMessage(), e);
        }
        try {
            ut.begin();
        } catch (Exception e) {
            throw new PersistenceException("cannot begin a JTA transaction: " + e, e);
        }
        EntityManager em;
        try {
            em = factory.createEntityManager();
            em.joinTransaction();
        } catch (RuntimeException e) {
            rollbackQuietly(ut);
            throw e;
        }
        return new OwnTransaction(em) {
            @Override
            void doCommit() {
                em.flush();
                try {
                    ut.commit();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new PersistenceException("cannot commit the JTA transaction: " + e, e);
                }
            }

            @Override
            void doRollback() {
                rollbackQuietly(ut);
            }
        };
    }

    /**
     * A transaction begun by {@link #begin()}: its entity manager, a commit, and a close that rolls back whatever was
     * not committed and closes the entity manager.
     */
    public abstract static class OwnTransaction implements AutoCloseable {
        private final EntityManager em;
        private boolean committed;
        private boolean closed;

        OwnTransaction(EntityManager em) {
            this.em = em;
        }

        /** @return the transaction's entity manager */
        public EntityManager entityManager() {
            return em;
        }

        /**
         * Commits. A failure leaves the transaction to {@link #close()}, which rolls it back.
         *
         * @throws PersistenceException when the commit fails (JTA failures are wrapped)
         */
        public void commit() {
            doCommit();
            committed = true;
        }

        /** Rolls back unless committed, and closes the entity manager. Idempotent. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (!committed) {
                    doRollback();
                }
            } finally {
                em.close();
            }
        }

        abstract void doCommit();

        abstract void doRollback();
    }

    private static void rollbackQuietly(EntityTransaction tx) {
        try {
            tx.rollback();
        } catch (RuntimeException suppressed) {
            // The first failure is the one worth reporting.
        }
    }

    private static void rollbackQuietly(UserTransaction ut) {
        try {
            if (ut.getStatus() != Status.STATUS_NO_TRANSACTION) {
                ut.rollback();
            }
        } catch (Exception suppressed) {
            // The first failure is the one worth reporting.
        }
    }
}
