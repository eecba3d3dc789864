package studio.lerian.streaming.tck.support;

import jakarta.transaction.Status;
import jakarta.transaction.UserTransaction;
import java.util.function.Consumer;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/** The caller's JTA transaction, from inside a deployment: the container's {@code UserTransaction}. */
public final class TckTransactions {

    private TckTransactions() {
    }

    /**
     * Runs a step in a new JTA transaction and commits it.
     *
     * @param step what runs inside the transaction
     * @throws IllegalStateException if the transaction cannot begin or commit
     */
    public static void commit(Runnable step) {
        run(step, tx -> {
            try {
                tx.commit();
            } catch (Exception e) {
                throw new IllegalStateException("commit failed: " + e, e);
            }
        });
    }

    /**
     * Runs a step in a new JTA transaction and rolls it back.
     *
     * @param step what runs inside the transaction
     * @throws IllegalStateException if the transaction cannot begin or roll back
     */
    public static void rollback(Runnable step) {
        run(step, tx -> {
            try {
                tx.rollback();
            } catch (Exception e) {
                throw new IllegalStateException("rollback failed: " + e, e);
            }
        });
    }

    private static void run(Runnable step, Consumer<UserTransaction> end) {
        UserTransaction tx = userTransaction();
        try {
            tx.begin();
        } catch (Exception e) {
            throw new IllegalStateException("cannot begin a JTA transaction: " + e, e);
        }
        try {
            step.run();
        } catch (RuntimeException | Error e) {
            try {
                if (tx.getStatus() != Status.STATUS_NO_TRANSACTION) {
                    tx.rollback();
                }
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        end.accept(tx);
    }

    private static UserTransaction userTransaction() {
        try {
            return (UserTransaction) new InitialContext().lookup("java:comp/UserTransaction");
        } catch (NamingException e) {
            throw new IllegalStateException("no java:comp/UserTransaction in this deployment", e);
        }
    }
}
