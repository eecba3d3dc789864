package studio.lerian.streaming.outbox.jpa.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityTransaction;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import org.junit.jupiter.api.Test;

/**
 * How the end of a caller's resource-local transaction is learned: from the provider's synchronization when its
 * transaction offers one, else by looking at the transaction, where an end once seen stays seen.
 */
class TransactionEndTest {

    @Test
    void aTransactionWithoutSynchronizationsEndsOnceSeenInactiveAndStaysEnded() {
        PlainTransaction tx = new PlainTransaction();
        tx.active = true;
        TransactionEnd end = TransactionEnd.ofResourceLocal(tx);
        assertFalse(end.settled());

        tx.active = false; // committed
        assertTrue(end.settled());
        tx.active = true; // the entity manager's next transaction
        assertTrue(end.settled(), "the write's own transaction has ended");
    }

    @Test
    void aTransactionWhoseEntityManagerIsClosedHasEnded() {
        PlainTransaction tx = new PlainTransaction();
        tx.active = true;
        TransactionEnd end = TransactionEnd.ofResourceLocal(tx);
        tx.closed = true;
        assertTrue(end.settled());
    }

    @Test
    void aProvidersSynchronizationTellsTheEndWithoutLookingAtTheTransaction() {
        SynchronizingTransaction tx = new SynchronizingTransaction();
        tx.active = true;
        TransactionEnd end = TransactionEnd.ofResourceLocal(tx);
        tx.active = false; // not asked: the synchronization says when
        assertFalse(end.settled());

        tx.registered.afterCompletion(Status.STATUS_COMMITTED);
        assertTrue(end.settled());
    }

    /** A resource-local transaction as JPA defines it, nothing more. */
    public static class PlainTransaction implements EntityTransaction {
        volatile boolean active;
        volatile boolean closed;

        @Override
        public boolean isActive() {
            if (closed) {
                throw new IllegalStateException("EntityManager is closed");
            }
            return active;
        }

        @Override
        public void begin() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void commit() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void rollback() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setRollbackOnly() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean getRollbackOnly() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setTimeout(Integer timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Integer getTimeout() {
            throw new UnsupportedOperationException();
        }
    }

    /** One with a provider's {@code registerSynchronization}, as Hibernate's. */
    public static final class SynchronizingTransaction extends PlainTransaction {
        Synchronization registered;

        public void registerSynchronization(Synchronization synchronization) {
            registered = synchronization;
        }
    }
}
