package studio.lerian.streaming.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * The relay's view of the outbox table. Implemented by an outbox module; each method runs in a transaction of its own
 * (never the caller's). Implementations must let several application instances relay one table at once without
 * handing the same row to two of them.
 *
 * <p>Row states: {@code PENDING} (waiting, due at its next attempt time; also while a batch holds it),
 * {@code PROCESSING} (claimed by a relay that marks its claims),
 * {@code PUBLISHED}, {@code FAILED} (attempts exhausted) and {@code INVALID} (unreadable envelope).
 */
public interface OutboxStore {

    /**
     * Claims due pending rows and holds them until the returned batch is committed or closed; the relay records each
     * row's outcome on the batch, and the commit writes them all. This is the one way the relay takes rows.
     *
     * <p>With {@code strictOrder}, a row is claimable only when no earlier row of its partition key is pending, held
     * or being relayed by anyone, except the rows claimed together with it: rows are claimed as runs of consecutive
     * rows per key, oldest first, so that one relay at a time publishes a key's rows, in creation order. Without it,
     * any due rows are claimed, oldest first. No row is ever held by two relays.
     *
     * <p>How a store holds the rows is its own: the JPA store keeps their locks in one transaction from the claim to
     * the commit, so each row is written once (its outcome) and a relay that dies leaves nothing to reclaim (its
     * transaction ends with its connection); the rows stay {@code PENDING} while held. A store may instead mark them
     * {@code PROCESSING} at the claim; rows its relays leave so are returned by {@link #reclaimStuck}. Rows of the
     * batch without an outcome at the commit, and every row of a batch closed without a commit, become claimable
     * again with no attempt counted.
     *
     * <p>{@code keepPublished} says what publishing a row does to it: with {@code true} it becomes {@code PUBLISHED}
     * and stays until {@link #purgePublished} deletes it; with {@code false} a store may delete it at the commit (a
     * delete costs a database far less than writing a new version of the row).
     *
     * @param maxRows the most rows to claim
     * @param strictOrder whether to keep each partition key's rows in creation order across relays
     * @param keepPublished whether published rows stay in the table as {@code PUBLISHED}
     * @param relayId who claims (recorded for diagnosis)
     * @return the claimed rows, held, ordered by partition key run and creation order within a key; an empty batch
     *         when none is due
     */
    OutboxBatch claimBatch(int maxRows, boolean strictOrder, boolean keepPublished, String relayId);

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
     * Returns rows claimed before the given time and still {@code PROCESSING} (their relay died; a store that only
     * holds locks has none, but rows of older versions or of other writers sharing the table may) to {@code PENDING}.
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
