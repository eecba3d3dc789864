package studio.lerian.streaming.spi;

import java.time.Instant;
import java.util.List;

/**
 * Rows a relay has claimed and holds while it publishes them, from {@link OutboxStore#claimBatch}. The relay records
 * each row's outcome here as it learns it; {@link #commit()} writes the outcomes at once and lets the rows go. A row
 * given no outcome (not tried, or held back behind an earlier row of its key) is due again at once, untried. Closing
 * without a commit records nothing: every row is claimable again, and rows already on the broker are published again
 * later (delivery is at least once).
 *
 * <p>Not thread-safe: one relay thread claims, records, commits and closes. A store may hold the rows' database locks
 * until then, in a transaction bound to that thread.
 */
public interface OutboxBatch extends AutoCloseable {

    /** @return the claimed rows, ordered by partition key run and creation order within a key */
    List<OutboxRow> rows();

    /**
     * The row is on the broker.
     *
     * @param id the row id
     */
    void published(String id);

    /**
     * The row's attempt failed; it is due again at the given time.
     *
     * @param id the row id
     * @param attempts the failed attempts so far, this one included
     * @param nextAttemptAt when the row is due again
     * @param lastError the failure, credentials masked, at most 1024 characters
     */
    void retryLater(String id, int attempts, Instant nextAttemptAt, String lastError);

    /**
     * The row's attempts are exhausted, or retrying cannot help: it becomes {@code FAILED}.
     *
     * @param id the row id
     * @param attempts the failed attempts
     * @param lastError the last failure, credentials masked, at most 1024 characters
     */
    void failed(String id, int attempts, String lastError);

    /**
     * The row's envelope cannot be replayed: it becomes {@code INVALID}.
     *
     * @param id the row id
     * @param lastError why, at most 1024 characters
     */
    void invalid(String id, String lastError);

    /**
     * Writes the recorded outcomes and lets every row go.
     *
     * @throws RuntimeException the store's failure (then nothing is recorded, as for a close without a commit)
     */
    void commit();

    /** Lets the rows go; unless {@link #commit()} succeeded, without recording anything. Idempotent. */
    @Override
    void close();
}
