package studio.lerian.streaming.outbox.jpa.internal;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.naming.NoInitialContextException;

/**
 * The JTA environment of the calling thread, found through the standard JNDI names. Java SE without JNDI (or without
 * the JTA API on the class path) is "no JTA": every question answers as if no transaction existed.
 *
 * <p>Lookups are repeated until they succeed once (a container may answer only on its managed threads); only the
 * absence of any JNDI provider is remembered.
 */
public final class Jta {

    /** Where every Jakarta EE container binds the registry. */
    public static final String REGISTRY_NAME = "java:comp/TransactionSynchronizationRegistry";

    /** Where a container binds the user transaction for bean-managed transactions. */
    public static final String USER_TRANSACTION_NAME = "java:comp/UserTransaction";

    private static final boolean API_PRESENT = classPresent("jakarta.transaction.TransactionSynchronizationRegistry");

    private volatile boolean noJndi;
    private volatile Object registry;

    /**
     * Whether the calling thread runs inside a JTA transaction (in any state).
     *
     * @return the transaction state; {@link TxState#NONE} when there is no JTA at all
     */
    public TxState state() {
        Object reg = registry();
        if (reg == null) {
            return TxState.NONE;
        }
        int status = ((TransactionSynchronizationRegistry) reg).getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION) {
            return TxState.NONE;
        }
        return status == Status.STATUS_ACTIVE ? TxState.ACTIVE : TxState.NOT_ACTIVE;
    }

    /**
     * Runs the action once the current JTA transaction completed (commit or rollback).
     *
     * @param action what to run
     * @throws IllegalStateException when no registry is available or the transaction no longer accepts it
     */
    public void afterCompletion(Runnable action) {
        Object reg = registry();
        if (reg == null) {
            throw new IllegalStateException("no " + REGISTRY_NAME);
        }
        ((TransactionSynchronizationRegistry) reg).registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                action.run();
            }
        });
    }

    /**
     * The user transaction, for a transaction of our own on a JTA persistence unit.
     *
     * @return the user transaction
     * @throws IllegalStateException when none is bound (not in a container, or in a component that may not use one)
     */
    public UserTransaction userTransaction() {
        if (!API_PRESENT || noJndi) {
            throw new IllegalStateException("no " + USER_TRANSACTION_NAME + " (no JNDI or no JTA in this runtime)");
        }
        try {
            return (UserTransaction) new InitialContext().lookup(USER_TRANSACTION_NAME);
        } catch (NoInitialContextException e) {
            noJndi = true;
            throw new IllegalStateException("no " + USER_TRANSACTION_NAME + " (no JNDI in this runtime)", e);
        } catch (NamingException | RuntimeException e) {
            throw new IllegalStateException("no " + USER_TRANSACTION_NAME + ": " + e, e);
        }
    }

    private Object registry() {
        Object reg = registry;
        if (reg != null || !API_PRESENT || noJndi) {
            return reg;
        }
        try {
            reg = new InitialContext().lookup(REGISTRY_NAME);
            registry = reg;
            return reg;
        } catch (NoInitialContextException e) {
            noJndi = true;
            return null;
        } catch (NamingException | RuntimeException e) {
            return null;
        }
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, Jta.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The JTA transaction of the calling thread. */
    public enum TxState {
        /** No JTA transaction (or no JTA). */
        NONE,
        /** An active transaction that a resource can join. */
        ACTIVE,
        /** A transaction that cannot take more work: marked for rollback, or completing. */
        NOT_ACTIVE
    }
}
