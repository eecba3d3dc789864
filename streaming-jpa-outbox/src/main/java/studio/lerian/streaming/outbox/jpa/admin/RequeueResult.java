package studio.lerian.streaming.outbox.jpa.admin;

import java.util.List;

/**
 * What {@link OutboxAdmin#requeue} did with the rows it selected.
 *
 * @param requeued rows made {@code PENDING} again, out-of-order ones included
 * @param outOfOrder of those, rows requeued although a newer row of their key was already published or claimed (only
 *        with {@link RequeueSelection.Builder#allowOutOfOrder}): consumers will see them after that newer row
 * @param skippedCount rows left as they were because a newer row of their key was published or claimed
 * @param skipped the first {@value #MAX_LISTED} skipped rows, with the newer row that held each back
 */
public record RequeueResult(long requeued, long outOfOrder, long skippedCount, List<Skipped> skipped) {

    /** At most this many skipped rows are listed; {@link #skippedCount} counts them all. */
    public static final int MAX_LISTED = 1000;

    /** Copies the list. */
    public RequeueResult {
        skipped = List.copyOf(skipped);
    }

    /**
     * A row not requeued, since the relay would publish it behind a newer row of its key.
     *
     * @param id the row not requeued
     * @param partitionKey its key
     * @param reason why, in words
     * @param newerId the newest row of the key that is {@code PUBLISHED} or {@code PROCESSING}
     */
    public record Skipped(String id, String partitionKey, String reason, String newerId) {
    }
}
