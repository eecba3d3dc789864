package studio.lerian.streaming.spi;

/**
 * A write to the outbox, as strict ordering needs to know it: whether the transaction that holds the written rows has
 * ended. Until it has, the rows may still commit, and no other reader can see them: the emitter keeps their partition
 * keys behind them (their later events follow them into the outbox) and keeps its backlog flag up, however long that
 * transaction stays open. Returned by {@link OutboxWriter#writeTracked} and {@link OutboxWriter#writeAllTracked}.
 */
@FunctionalInterface
public interface OutboxWrite {

    /** A write whose transaction has already ended: a transaction of the writer's own, committed before it returned. */
    OutboxWrite SETTLED = () -> true;

    /**
     * Whether the transaction that holds the written rows has ended: committed (the rows are visible to every reader
     * from now on) or rolled back (they never will be). Once {@code true}, it stays {@code true}. Called from any
     * thread, on every emit of a key with such a write and at every backlog probe, so it must be cheap and must not
     * block.
     *
     * @return {@code true} once the rows can no longer commit later than now
     */
    boolean settled();
}
