package studio.lerian.streaming.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * What waits in the outbox: rows not yet published (pending or being relayed) and the oldest one's creation time.
 *
 * @param unpublished the number of pending and in-flight rows
 * @param oldestCreatedAt the creation time of the oldest of them, empty when there is none
 */
public record OutboxBacklog(long unpublished, Optional<Instant> oldestCreatedAt) {

    /** The empty backlog. */
    public static final OutboxBacklog EMPTY = new OutboxBacklog(0, Optional.empty());

    /** @return whether nothing waits */
    public boolean isEmpty() {
        return unpublished == 0;
    }
}
