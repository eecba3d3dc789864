package studio.lerian.streaming.outbox.jpa;

import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.UserTransaction;
import studio.lerian.streaming.outbox.jpa.internal.Jta;

/**
 * Where the outbox finds the JTA transactions of a JTA persistence unit. By default ({@link #lookup()}) through the
 * standard JNDI names, {@code java:comp/TransactionSynchronizationRegistry} and {@code java:comp/UserTransaction},
 * as every Jakarta EE server binds them. A container without {@code java:comp} (Quarkus) hands its objects in with
 * {@link #of(TransactionSynchronizationRegistry, UserTransaction)}: the writer then joins the caller's transaction
 * through them, and the store runs its own with them. A {@code RESOURCE_LOCAL} unit uses neither.
 */
public final class OutboxTransactions {

    private static final OutboxTransactions LOOKUP = new OutboxTransactions(Jta.shared());

    private final Jta jta;

    private OutboxTransactions(Jta jta) {
        this.jta = jta;
    }

    /** @return the transactions found through the standard JNDI names (what the one-argument constructors use) */
    public static OutboxTransactions lookup() {
        return LOOKUP;
    }

    /**
     * @param registry the container's transaction synchronization registry (its state of the calling thread's
     *        transaction, and completion callbacks)
     * @param userTransaction the container's user transaction (for the store's own transactions)
     * @return the transactions the container handed in
     */
    public static OutboxTransactions of(TransactionSynchronizationRegistry registry, UserTransaction userTransaction) {
        return new OutboxTransactions(Jta.of(registry, userTransaction));
    }

    /**
     * For the outbox module's own classes (the writer, the store, the admin), which take their transactions from here.
     *
     * @return the JTA environment these transactions describe
     */
    public Jta jta() {
        return jta;
    }
}
