package studio.lerian.streaming.outbox.jpa.admin;

import java.util.Map;
import studio.lerian.streaming.outbox.jpa.OutboxStatus;

/**
 * What {@link OutboxAdmin#purge} deleted.
 *
 * @param deleted rows deleted per status (every status asked for, 0 when none)
 */
public record PurgeResult(Map<OutboxStatus, Long> deleted) {

    /** Copies the map. */
    public PurgeResult {
        deleted = Map.copyOf(deleted);
    }

    /** @return every row deleted */
    public long total() {
        return deleted.values().stream().mapToLong(Long::longValue).sum();
    }
}
