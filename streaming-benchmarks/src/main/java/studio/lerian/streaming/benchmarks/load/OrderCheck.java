package studio.lerian.streaming.benchmarks.load;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one drain delivered, checked against the rows it drained: records read, distinct events (by {@code ce-id}),
 * duplicates, and for each key its order violations: first deliveries of an event that arrive after a later event of
 * the same key (later in the key's creation order). A redelivery (a duplicate) is never a violation, only a first
 * delivery can be; a gap (an event that never arrives) is counted as missing, not as a violation.
 *
 * <p>Feed it the records in the order a consumer reads them: Kafka keeps each partition's order and every record of a
 * key goes to one partition, so the consumer's order is each key's delivery order, whatever the interleaving of keys.
 * Not thread-safe.
 */
final class OrderCheck {

    /**
     * A drained event as it was staged.
     *
     * @param key its partition key
     * @param seq its place among its key's events in creation order: 0, 1, 2, ...
     */
    record Staged(String key, int seq) {
    }

    /**
     * The outcome.
     *
     * @param read records read
     * @param distinct distinct {@code ce-id}s among them
     * @param duplicates records whose {@code ce-id} came before
     * @param violationsByKey order violations of each key that has any, keys sorted
     * @param missing drained events that never arrived
     * @param unexpected first deliveries of an event that was not drained, or under another key, or without a
     *        readable {@code ce-id}
     */
    record Report(long read, long distinct, long duplicates, Map<String, Long> violationsByKey, long missing,
            long unexpected) {

        Report {
            violationsByKey = Map.copyOf(violationsByKey);
        }

        /** @return order violations, all keys together */
        long violations() {
            return violationsByKey.values().stream().mapToLong(Long::longValue).sum();
        }

        /** @return {@code 0}, or the violations and how many keys they hit, e.g. {@code 1,204 in 37 keys} */
        String violationsText() {
            long v = violations();
            return v == 0 ? "0" : String.format(Locale.ROOT, "%,d in %d key%s", v, violationsByKey.size(),
                    violationsByKey.size() == 1 ? "" : "s");
        }
    }

    private final Map<String, Staged> staged;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Integer> highestSeq = new HashMap<>();
    private final Map<String, Long> violationsByKey = new TreeMap<>();
    private long read;
    private long duplicates;
    private long unexpected;
    private long delivered;

    /** @param staged every event the drain should deliver, by event id ({@code ce-id}) */
    OrderCheck(Map<String, Staged> staged) {
        this.staged = Objects.requireNonNull(staged, "staged");
    }

    /**
     * One record, in consumer order.
     *
     * @param key the record's key
     * @param ceId its event id, {@code null} when it has none that can be read
     */
    void accept(String key, String ceId) {
        read++;
        if (ceId == null) {
            unexpected++;
            return;
        }
        if (!seen.add(ceId)) {
            duplicates++;
            return;
        }
        Staged event = staged.get(ceId);
        if (event == null || !event.key().equals(key)) {
            unexpected++;
            return;
        }
        delivered++;
        Integer highest = highestSeq.get(key);
        if (highest != null && event.seq() < highest) {
            violationsByKey.merge(key, 1L, Long::sum);
        } else {
            highestSeq.put(key, event.seq());
        }
    }

    Report report() {
        return new Report(read, seen.size(), duplicates, violationsByKey, staged.size() - delivered, unexpected);
    }
}
