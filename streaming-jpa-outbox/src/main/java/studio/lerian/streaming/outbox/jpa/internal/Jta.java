package studio.lerian.streaming.outbox.jpa.internal;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.naming.NoInitialContextException;
import studio.lerian.streaming.internal.OptionalApis;

/**
 * The JTA environment of the calling thread, found through the standard JNDI names. Java SE without JNDI (or without
 * the JTA API on the class path) is "no JTA": every question answers as if no transaction existed.
 *
 * <p>Lookups are repeated until they succeed once, then the object found is kept and used on every thread. Containers
 * bind {@code java:comp} names only for threads that run an application component (a request, an EJB, a managed
 * executor's task): Open Liberty refuses {@code java:comp/UserTransaction} on a thread the application started itself
 * ({@code CWNEN1000E}), which is where the outbox relay runs. The registry and the user transaction are stateless
 * facades over the calling thread's transaction, valid on any thread of the server, so the first successful lookup (at
 * deployment through {@link #prime()}, or on a request) serves the relay too. Only the absence of any JNDI provider is
 * remembered as a failure.
 *
 * <p>{@link #shared()} is the instance of the application (one per class loader that holds this library).
 */
public final class Jta {

    /** Where every Jakarta EE container binds the registry. */
    public static final String REGISTRY_NAME = "java:comp/TransactionSynchronizationRegistry";

    /** Where a container binds the user transaction for bean-managed transactions. */
    public static final String USER_TRANSACTION_NAME = "java:comp/UserTransaction";

    private static final boolean API_PRESENT = OptionalApis.present(
            "jakarta.transaction.TransactionSynchronizationRegistry", Jta.class.getClassLoader());

    private static final Jta SHARED = new Jta(name -> new InitialContext().lookup(name), API_PRESENT);

    private final Lookup lookup;
    private final boolean apiPresent;
    private volatile boolean noJndi;
    private volatile Object registry;
    private volatile Object userTransaction;

    /**
     * @param lookup how names are looked up
     * @param apiPresent whether the JTA API is on the class path
     */
    Jta(Lookup lookup, boolean apiPresent) {
        this.lookup = lookup;
        this.apiPresent = apiPresent;
    }

    /** @return the JTA environment of this application, shared by the outbox writer and store */
    public static Jta shared() {
        return SHARED;
    }

    /**
     * The JTA environment of a container that hands its objects out rather than binding them in JNDI (Quarkus's
     * Narayana makes them CDI beans). Both are facades over the calling thread's transaction, valid on any thread.
     *
     * @param registry the container's transaction synchronization registry
     * @param userTransaction the container's user transaction
     * @return the environment
     */
    public static Jta of(Object registry, Object userTransaction) {
        java.util.Objects.requireNonNull(registry, "registry");
        java.util.Objects.requireNonNull(userTransaction, "userTransaction");
        return new Jta(name -> REGISTRY_NAME.equals(name) ? registry
                : USER_TRANSACTION_NAME.equals(name) ? userTransaction : null, true);
    }

    /**
     * Looks up the registry and the user transaction now, if not found yet, so that threads without the application's
     * naming context (the relay's) can use them later. Call it on a container-managed thread (deployment, a request);
     * failures are ignored (the next call, or the next use, tries again).
     */
    public void prime() {
        registry();
        if (userTransaction == null && apiPresent && !noJndi) {
            try {
                userTransaction = find(USER_TRANSACTION_NAME);
            } catch (NamingException | RuntimeException e) {
                // Not bound here (Java SE, or a thread without the naming context): looked up again at first use.
            }
        }
    }

    /**
     * Whether the calling thread runs inside a JTA transaction (in any state).
     *
     * @return the transaction state; {@link TxState#NONE} when there is no JTA at all
     */
    public TxState state() {
        int status = status();
        if (status == Status.STATUS_NO_TRANSACTION) {
            return TxState.NONE;
        }
        return status == Status.STATUS_ACTIVE ? TxState.ACTIVE : TxState.NOT_ACTIVE;
    }

    /**
     * The JTA status of the calling thread's transaction.
     *
     * @return a {@link Status} constant; {@link Status#STATUS_NO_TRANSACTION} when there is no JTA at all
     */
    public int status() {
        Object reg = registry();
        if (reg == null) {
            return Status.STATUS_NO_TRANSACTION;
        }
        return ((TransactionSynchronizationRegistry) reg).getTransactionStatus();
    }

    /**
     * @param status a {@link Status} constant
     * @return its name, e.g. {@code MARKED_ROLLBACK}
     */
    public static String statusName(int status) {
        return switch (status) {
            case Status.STATUS_ACTIVE -> "ACTIVE";
            case Status.STATUS_MARKED_ROLLBACK -> "MARKED_ROLLBACK";
            case Status.STATUS_PREPARED -> "PREPARED";
            case Status.STATUS_COMMITTED -> "COMMITTED";
            case Status.STATUS_ROLLEDBACK -> "ROLLEDBACK";
            case Status.STATUS_UNKNOWN -> "UNKNOWN";
            case Status.STATUS_NO_TRANSACTION -> "NO_TRANSACTION";
            case Status.STATUS_PREPARING -> "PREPARING";
            case Status.STATUS_COMMITTING -> "COMMITTING";
            case Status.STATUS_ROLLING_BACK -> "ROLLING_BACK";
            default -> String.valueOf(status);
        };
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
     * Marks the calling thread's JTA transaction for rollback; does nothing without one. Failures are ignored: it is
     * called while another failure is being reported.
     */
    public void setRollbackOnly() {
        Object reg = registry();
        if (reg == null) {
            return;
        }
        try {
            TransactionSynchronizationRegistry registry = (TransactionSynchronizationRegistry) reg;
            if (registry.getTransactionStatus() != Status.STATUS_NO_TRANSACTION) {
                registry.setRollbackOnly();
            }
        } catch (RuntimeException suppressed) {
            // The caller's failure is the one worth reporting.
        }
    }

    /**
     * The user transaction, for a transaction of our own on a JTA persistence unit.
     *
     * @return the user transaction
     * @throws IllegalStateException when none is bound (not in a container, or in a component that may not use one)
     */
    public UserTransaction userTransaction() {
        Object known = userTransaction;
        if (known != null) {
            return (UserTransaction) known;
        }
        if (!apiPresent || noJndi) {
            throw new IllegalStateException("no " + USER_TRANSACTION_NAME + " (no JNDI or no JTA in this runtime)");
        }
        try {
            Object ut = find(USER_TRANSACTION_NAME);
            userTransaction = ut;
            return (UserTransaction) ut;
        } catch (NoInitialContextException e) {
            noJndi = true;
            throw new IllegalStateException("no " + USER_TRANSACTION_NAME + " (no JNDI in this runtime)", e);
        } catch (NamingException | RuntimeException e) {
            throw new IllegalStateException("no " + USER_TRANSACTION_NAME + ": " + e, e);
        }
    }

    private Object registry() {
        Object reg = registry;
        if (reg != null || !apiPresent || noJndi) {
            return reg;
        }
        try {
            reg = find(REGISTRY_NAME);
            registry = reg;
            return reg;
        } catch (NoInitialContextException e) {
            noJndi = true;
            return null;
        } catch (NamingException | RuntimeException e) {
            return null;
        }
    }

    private Object find(String name) throws NamingException {
        Object found = lookup.lookup(name);
        if (found == null) {
            throw new NamingException(name + " is bound to null");
        }
        return found;
    }

    /** A JNDI lookup. */
    @FunctionalInterface
    interface Lookup {
        Object lookup(String name) throws NamingException;
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
