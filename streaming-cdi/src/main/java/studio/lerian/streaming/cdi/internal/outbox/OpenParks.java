package studio.lerian.streaming.cdi.internal.outbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import studio.lerian.streaming.spi.OutboxWrite;

/**
 * This instance's parks whose caller's transaction has not ended yet, by partition key. Their rows may still commit,
 * and until then no other connection can see them: not the backlog probe (so the {@link BacklogFlag} must not come
 * down meanwhile), and not the strict-ordering lookup of a later emit of the key (so that emit must follow them without
 * asking, even in the same transaction). A write that has settled is dropped when next looked at. Thread-safe.
 */
public final class OpenParks {

    private final ConcurrentHashMap<String, List<OutboxWrite>> byKey = new ConcurrentHashMap<>();

    /**
     * Records a park, unless its transaction has already ended.
     *
     * @param keys the partition keys of the parked rows
     * @param write the write that parked them
     */
    public void add(Collection<String> keys, OutboxWrite write) {
        if (write.settled()) {
            return;
        }
        for (String key : keys) {
            byKey.compute(key, (k, writes) -> {
                List<OutboxWrite> next = writes == null ? new ArrayList<>(1) : writes;
                if (!next.contains(write)) {
                    next.add(write);
                }
                return next;
            });
        }
    }

    /**
     * @param key a partition key
     * @return whether a row of the key parked here may still commit
     */
    public boolean holds(String key) {
        return byKey.computeIfPresent(key, (k, writes) -> {
            writes.removeIf(OutboxWrite::settled);
            return writes.isEmpty() ? null : writes;
        }) != null;
    }

    /** @return whether any row parked here may still commit; drops every settled write on the way */
    public boolean any() {
        boolean any = false;
        for (String key : byKey.keySet()) {
            any |= holds(key);
        }
        return any;
    }
}
