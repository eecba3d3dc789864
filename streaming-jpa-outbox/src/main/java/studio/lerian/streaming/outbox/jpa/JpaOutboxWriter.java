package studio.lerian.streaming.outbox.jpa;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.transaction.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.outbox.jpa.internal.Jta;
import studio.lerian.streaming.outbox.jpa.internal.TransactionEnd;
import studio.lerian.streaming.outbox.jpa.internal.UnitOfWork;
import studio.lerian.streaming.spi.OutboxWrite;
import studio.lerian.streaming.spi.OutboxWriter;
import studio.lerian.streaming.wire.OutboxEnvelope;

/**
 * Writes outbox rows with JPA, inside the caller's transaction when there is one.
 *
 * <p>Which transaction the row joins, in this order:
 * <ol>
 *   <li>a JTA transaction active on the calling thread (found through {@value Jta#REGISTRY_NAME}), when the unit is a
 *       JTA unit: an entity manager of the factory joins it, the row is flushed at once (so a failure reaches the
 *       caller now, and marks the caller's transaction for rollback), and the entity manager is closed when the
 *       transaction completes. The row commits or rolls back with the caller's business data. A JTA transaction that
 *       is marked for rollback is refused rather than bypassed;</li>
 *   <li>the application's resource-local transaction: when the {@code currentEntityManager} supplier (in CDI, the
 *       application's {@code @StreamingOutbox EntityManager} producer) gives an entity manager whose transaction is
 *       active, the row is persisted and flushed in it, then detached;</li>
 *   <li>otherwise a transaction of its own, committed before {@link #write} returns.</li>
 * </ol>
 * {@link #writeTracked} and {@link #writeAllTracked} also tell when the caller's transaction has ended, which strict
 * ordering needs while it is open (see {@link OutboxWrite}).
 *
 * <p>Errors: an invalid envelope is refused with the envelope's own caller error; an encoded envelope over
 * {@value #MAX_ENVELOPE_BYTES} bytes with {@link ErrorCode#PAYLOAD_TOO_LARGE} (a caller error); any persistence
 * failure with {@link ErrorCode#OUTBOX_WRITE_FAILED} (an infrastructure fault), credentials masked in the detail and
 * the original failure as cause. Nothing is swallowed. Thread-safe.
 */
public class JpaOutboxWriter implements OutboxWriter {

    /** The largest encoded envelope a row takes: {@value} bytes (1 MiB, the Go library's limit). */
    public static final int MAX_ENVELOPE_BYTES = 1_048_576;

    private static final int MAX_DETAIL_LENGTH = 512;

    private final UnitOfWork unitOfWork;
    private final Supplier<EntityManager> currentEntityManager;
    private final Clock clock;
    private final TimeBasedEpochGenerator ids = Generators.timeBasedEpochGenerator();

    /**
     * A writer that joins JTA transactions, or runs its own.
     *
     * @param factory the persistence unit holding the outbox table; must not be {@code null}
     */
    public JpaOutboxWriter(EntityManagerFactory factory) {
        this(factory, () -> null, Clock.systemUTC());
    }

    /**
     * A writer that also joins the application's resource-local transaction.
     *
     * @param factory the persistence unit holding the outbox table; must not be {@code null}
     * @param currentEntityManager gives the entity manager of the caller's current unit of work, or {@code null} when
     *        there is none; must not be {@code null}
     * @param clock the clock of {@code created_at}; must not be {@code null}
     */
    public JpaOutboxWriter(EntityManagerFactory factory, Supplier<EntityManager> currentEntityManager, Clock clock) {
        this(factory, currentEntityManager, clock, OutboxTransactions.lookup());
    }

    /**
     * A writer that joins the JTA transactions of the given container objects (Quarkus: its Narayana beans), for a
     * container without {@code java:comp}.
     *
     * @param factory the persistence unit holding the outbox table; must not be {@code null}
     * @param transactions where the JTA transactions are found; must not be {@code null}
     */
    public JpaOutboxWriter(EntityManagerFactory factory, OutboxTransactions transactions) {
        this(factory, () -> null, Clock.systemUTC(), transactions);
    }

    /**
     * A writer that joins the application's resource-local transaction, or the JTA transactions of the given
     * container objects.
     *
     * @param factory the persistence unit holding the outbox table; must not be {@code null}
     * @param currentEntityManager gives the entity manager of the caller's current unit of work, or {@code null} when
     *        there is none; must not be {@code null}
     * @param clock the clock of {@code created_at}; must not be {@code null}
     * @param transactions where the JTA transactions are found; must not be {@code null}
     */
    public JpaOutboxWriter(EntityManagerFactory factory, Supplier<EntityManager> currentEntityManager, Clock clock,
            OutboxTransactions transactions) {
        this.unitOfWork = new UnitOfWork(Objects.requireNonNull(factory, "factory"),
                Objects.requireNonNull(transactions, "transactions").jta());
        this.currentEntityManager = Objects.requireNonNull(currentEntityManager, "currentEntityManager");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void write(OutboxEnvelope envelope) {
        writeTracked(envelope);
    }

    /**
     * Writes as {@link #write} does; the write is settled when the caller's transaction (JTA or resource-local) it
     * joined has ended, see {@link TransactionEnd}, and at once when it committed a transaction of its own.
     */
    @Override
    public OutboxWrite writeTracked(OutboxEnvelope envelope) {
        Objects.requireNonNull(envelope, "envelope").validate();
        byte[] json = envelope.toJson();
        if (json.length > MAX_ENVELOPE_BYTES) {
            throw new StreamingException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "outbox envelope is " + json.length + " bytes, more than " + MAX_ENVELOPE_BYTES);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        OutboxEventEntity row = OutboxEventEntity.pending(ids.generate().toString(), envelope, json, now);
        try {
            return storeAll(List.of(row));
        } catch (StreamingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    /**
     * Writes the rows in list order, in one transaction chosen as for {@link #write}. Every envelope is validated and
     * encoded before the first row is written. Each row is flushed as it is persisted, so that the database numbers
     * them ({@code seq}) in list order whatever order the JPA provider would give inserts of one flush. A failure
     * while writing marks the caller's transaction (JTA or resource-local) for rollback, so that no part of the list
     * can commit with it.
     */
    @Override
    public void writeAll(List<OutboxEnvelope> envelopes) {
        writeAllTracked(envelopes);
    }

    /** Writes as {@link #writeAll} does; settled as for {@link #writeTracked}. */
    @Override
    public OutboxWrite writeAllTracked(List<OutboxEnvelope> envelopes) {
        Objects.requireNonNull(envelopes, "envelopes");
        if (envelopes.isEmpty()) {
            return OutboxWrite.SETTLED;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<OutboxEventEntity> rows = new ArrayList<>(envelopes.size());
        for (int i = 0; i < envelopes.size(); i++) {
            OutboxEnvelope envelope = Objects.requireNonNull(envelopes.get(i), () -> "envelopes[" + rows.size()
                    + "] is null");
            envelope.validate();
            byte[] json = envelope.toJson();
            if (json.length > MAX_ENVELOPE_BYTES) {
                throw new StreamingException(ErrorCode.PAYLOAD_TOO_LARGE, "outbox envelope #" + i + " of "
                        + envelopes.size() + " is " + json.length + " bytes, more than " + MAX_ENVELOPE_BYTES);
            }
            rows.add(OutboxEventEntity.pending(ids.generate().toString(), envelope, json, now));
        }
        try {
            return storeAll(rows);
        } catch (StreamingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    /** Stores the rows in the transaction chosen as the class comment says; tells when that transaction ends. */
    private OutboxWrite storeAll(List<OutboxEventEntity> rows) {
        if (unitOfWork.isJtaUnit()) {
            unitOfWork.jta().prime();
            int status = unitOfWork.jta().status();
            if (status == Status.STATUS_ACTIVE) {
                try {
                    return joinJta(rows);
                } catch (RuntimeException e) {
                    unitOfWork.jta().setRollbackOnly();
                    throw e;
                }
            }
            if (status != Status.STATUS_NO_TRANSACTION) {
                throw notActive(status);
            }
        }
        EntityManager callers = currentEntityManager.get();
        if (callers != null && UnitOfWork.isResourceLocal(callers) && callers.getTransaction().isActive()) {
            try {
                for (OutboxEventEntity row : rows) {
                    callers.persist(row);
                    callers.flush();
                }
            } catch (RuntimeException e) {
                markRollbackOnly(callers);
                throw e;
            }
            rows.forEach(callers::detach);
            return TransactionEnd.ofResourceLocal(callers.getTransaction());
        }
        unitOfWork.inOwnTransaction(em -> {
            for (OutboxEventEntity row : rows) {
                em.persist(row);
                em.flush();
            }
            return null;
        });
        return OutboxWrite.SETTLED;
    }

    private static void markRollbackOnly(EntityManager callers) {
        try {
            if (callers.getTransaction().isActive()) {
                callers.getTransaction().setRollbackOnly();
            }
        } catch (RuntimeException suppressed) {
            // The write's failure is the one worth reporting.
        }
    }

    private static StreamingException notActive(int status) {
        return new StreamingException(ErrorCode.OUTBOX_WRITE_FAILED, "the caller's JTA transaction is "
                + Jta.statusName(status) + ", not ACTIVE (marked for rollback or completing); nothing was written");
    }

    private OutboxWrite joinJta(List<OutboxEventEntity> rows) {
        EntityManager em = unitOfWork.factory().createEntityManager();
        TransactionEnd end;
        try {
            end = TransactionEnd.ofJta(unitOfWork.jta(), em::close);
        } catch (RuntimeException e) {
            em.close();
            throw e;
        }
        em.joinTransaction();
        for (OutboxEventEntity row : rows) {
            em.persist(row);
            em.flush();
        }
        return end;
    }

    private static StreamingException failed(RuntimeException e) {
        Throwable root = innermost(e);
        String detail = Sanitizer.describe(e);
        if (root != e) {
            detail = detail + " (cause: " + Sanitizer.describe(root) + ")";
        }
        if (detail.length() > MAX_DETAIL_LENGTH) {
            detail = detail.substring(0, MAX_DETAIL_LENGTH) + "...";
        }
        return new StreamingException(ErrorCode.OUTBOX_WRITE_FAILED, detail, e);
    }

    /** The deepest cause usually names the database's own complaint (refused connection, missing table). */
    private static Throwable innermost(Throwable t) {
        Throwable cur = t;
        for (int i = 0; i < 16 && cur.getCause() != null && cur.getCause() != cur; i++) {
            cur = cur.getCause();
        }
        return cur;
    }
}
