package studio.lerian.streaming.outbox.jpa.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import studio.lerian.streaming.outbox.jpa.OutboxStatus;

/**
 * The outbox table at a glance, as {@link OutboxAdmin#counts} read it: rows by status, by topic and status, and how
 * old each status's oldest row is ({@code now - created_at}). Statuses without rows are absent from the maps.
 *
 * @param at when the counts were read (the admin's clock)
 * @param byStatus rows per status
 * @param byTopic rows per topic, then per status; topics in name order
 * @param oldestAge per status, the age of its oldest row by {@code created_at}
 */
public record OutboxCounts(Instant at, Map<OutboxStatus, Long> byStatus, Map<String, Map<OutboxStatus, Long>> byTopic,
        Map<OutboxStatus, Duration> oldestAge) {

    /** Copies the maps, so that the counts cannot change once read. */
    public OutboxCounts {
        byStatus = Map.copyOf(byStatus);
        byTopic = Map.copyOf(byTopic);
        oldestAge = Map.copyOf(oldestAge);
    }

    /**
     * @param status a status
     * @return how many rows have it (0 when none)
     */
    public long count(OutboxStatus status) {
        return byStatus.getOrDefault(status, 0L);
    }

    /** @return every row of the table */
    public long total() {
        return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }
}
