package studio.lerian.streaming.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The relay's view of the outbox table. Implemented by an outbox module; each method runs in a transaction of its own
 * (never the caller's). Implementations must let several application instances relay one table at once without
 * handing the same row to two of them.
 *
 * <p>Row states: {@code PENDING} (waiting, due at its next attempt time), {@code PROCESSING} (claimed by a relay),
 * {@code PUBLISHED}, {@code FAILED} (attempts exhausted) and {@code INVALID} (unreadable envelope).
 */
public interface OutboxStore {

    /**
     * Claims due pending rows and marks them {@code PROCESSING}.
     *
     * <p>With {@code strictOrder}, a row is claimable only when no earlier row of its partition key is pending or
     * being relayed by anyone, except the rows claimed together with it: rows are claimed as runs of consecutive rows
     * per key, oldest first, so that one relay at a time publishes a key's rows, in creation order. Without it, any
     * due rows are claimed, oldest first.
     *
     * @param maxRows the most rows to claim
     * @param strictOrder whether to keep each partition key's rows in creation order across relays
     * @param relayId who claims (recorded for diagnosis)
     * @return the claimed rows, ordered by partition key run and creation order within a key; empty when none is due
     */
    List<OutboxRow> claim(int maxRows, boolean strictOrder, String relayId);

    /**
     * Claims due pending rows, as {@link #claim} chooses them, and holds them until the returned batch is committed
     * or closed; the relay records each row's outcome on the batch. This is what the relay calls.
     *
     * <p>By default the rows are claimed with {@link #claim} (marked {@code PROCESSING}) and the outcomes written with
     * this interface's other methods at commit. A store may instead hold the rows' locks in one transaction from the
     * claim to the commit, writing each row once (its outcome) instead of three times, and leaving nothing to reclaim
     * when a relay dies (its transaction ends with its connection); the rows then stay {@code PENDING} while held, and
     * the store must keep the guarantees of {@link #claim}: no row held by two relays, and with {@code strictOrder} no
     * row of a key claimed while an earlier row of that key is held or open.
     *
     * <p>{@code keepPublished} says what publishing a row does to it: with {@code true} it becomes {@code PUBLISHED}
     * and stays until {@link #purgePublished} deletes it; with {@code false} a store may delete it at the commit (a
     * delete costs a database far less than writing a new version of the row). The default marks it
     * {@code PUBLISHED} either way.
     *
     * @param maxRows the most rows to claim
     * @param strictOrder whether to keep each partition key's rows in creation order across relays
     * @param keepPublished whether published rows stay in the table as {@code PUBLISHED}
     * @param relayId who claims (recorded for diagnosis)
     * @return the claimed rows, held; an empty batch when none is due
     */
    default OutboxBatch claimBatch(int maxRows, boolean strictOrder, boolean keepPublished, String relayId) {
        return new MarkedBatch(this, claim(maxRows, strictOrder, relayId));
    }

    /**
     * Makes a relay share the table's rows with the other relays by lanes: from now on, its {@link #claimBatch} claims
     * take only rows of the lanes it holds, and each claim renews its membership and leases. A store that has no lanes
     * ignores this (the default), and its claims keep the guarantees stated above across relays by other means.
     *
     * <p>A store with lanes must keep these guarantees: every row belongs to exactly one lane, all rows of a partition
     * key to the same one; a lane is held by at most one relay at a time, each live relay holding a fair share; a lane
     * changes hands only when no batch of its old owner can still commit an outcome for one of its rows; rows whose
     * lane is not known yet are claimed by no relay before every earlier row of their key is.
     *
     * @param relayId the relay, as it passes to {@link #claimBatch}
     * @param lanes how many lanes the relay expects the table to have, from 1 to 4096 (a store may keep the count the
     *        table already has)
     * @param lease how long a relay's membership and leases last without a heartbeat; at least one second
     */
    default void joinLanes(String relayId, int lanes, Duration lease) {
        // no lanes: nothing to join
    }

    /**
     * The relay stops: its lanes go to the other relays at once, not when its lease ends. The default does nothing.
     *
     * @param relayId the relay, as it passed to {@link #joinLanes}
     */
    default void leaveLanes(String relayId) {
        // no lanes: nothing to leave
    }

    /**
     * Marks rows published.
     *
     * @param ids the row ids
     */
    void markPublished(Collection<String> ids);

    /**
     * Returns claimed rows to {@code PENDING} without counting an attempt (they were not tried).
     *
     * @param ids the row ids
     */
    void release(Collection<String> ids);

    /**
     * Returns a claimed row to {@code PENDING} after a failed attempt.
     *
     * @param id the row id
     * @param attempts the failed attempts so far, this one included
     * @param nextAttemptAt when the row is due again
     * @param lastError the failure, credentials masked, at most 1024 characters
     */
    void retryLater(String id, int attempts, Instant nextAttemptAt, String lastError);

    /**
     * Marks a row {@code FAILED}: its attempts are exhausted.
     *
     * @param id the row id
     * @param attempts the failed attempts
     * @param lastError the last failure, credentials masked, at most 1024 characters
     */
    void markFailed(String id, int attempts, String lastError);

    /**
     * Marks a row {@code INVALID}: its envelope cannot be replayed.
     *
     * @param id the row id
     * @param lastError why, at most 1024 characters
     */
    void markInvalid(String id, String lastError);

    /**
     * Returns rows claimed before the given time and still {@code PROCESSING} (their relay died) to {@code PENDING}.
     *
     * @param claimedBefore the claim-time cut-off
     * @return how many rows were reclaimed
     */
    int reclaimStuck(Instant claimedBefore);

    /** @return the rows not yet published, and the oldest one's age */
    OutboxBacklog backlog();

    /**
     * Whether any row is not yet published (pending or being relayed): the question every application instance asks
     * at each poll interval, whether or not it relays, to know whether strict ordering must look up partition keys.
     * It should cost far less than {@link #backlog()} (which counts the rows): by default it asks {@link #backlog()}.
     *
     * @return {@code true} when at least one row is pending or being relayed
     */
    default boolean hasAnyUnpublished() {
        return !backlog().isEmpty();
    }

    /**
     * Whether a partition key has rows not yet published (pending or being relayed).
     *
     * @param partitionKey the key
     * @return {@code true} when it has
     */
    boolean hasUnpublished(String partitionKey);

    /**
     * As {@link #hasUnpublished(String)}, within a time limit: strict ordering asks this in the emit, with what is left
     * of the emit's delivery timeout, so that a slow database cannot hold the caller past it.
     *
     * <p>A store gives up once {@code timeout} has passed. One whose database counts timeouts in coarser units (JDBC
     * query timeouts are whole seconds) rounds down, so that it gives up sooner rather than later; only a timeout
     * shorter than its smallest unit may be exceeded, by less than that unit. The default ignores the limit and asks
     * {@link #hasUnpublished(String)}.
     *
     * @param partitionKey the key
     * @param timeout the longest the lookup may take; positive
     * @return {@code true} when it has
     * @throws RuntimeException whose cause is a {@link java.util.concurrent.TimeoutException} when it gave up; any
     *         other when the lookup failed
     */
    default boolean hasUnpublished(String partitionKey, java.time.Duration timeout) {
        return hasUnpublished(partitionKey);
    }

    /**
     * Deletes published rows older than the given time.
     *
     * @param publishedBefore the cut-off
     * @return how many rows were deleted
     */
    int purgePublished(Instant publishedBefore);
}
