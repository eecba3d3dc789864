package studio.lerian.streaming.core.internal.outbox;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import studio.lerian.streaming.spi.OutboxWrite;

/**
 * This instance's parks whose caller's transaction has not ended yet, by partition key. Their rows may still commit,
 * and until then no other connection can see them: not the backlog probe (so the {@link BacklogFlag} must not come
 * down meanwhile), and not the strict-ordering lookup of a later emit of the key (so that emit must follow them without
 * asking, even in the same transaction). Settled writes are dropped as they are found: by an emit of the key up to the
 * first write still open (so that a transaction parking many events of one key costs each emit little), by the probe
 * all of them. Thread-safe.
 */
public final class OpenParks {

    private final ConcurrentHashMap<String, ArrayDeque<OutboxWrite>> byKey = new ConcurrentHashMap<>();

    /**
     * Records a park, unless its transaction has already ended.
     *
     * @param keys the distinct partition keys of the parked rows
     * @param write the write that parked them
     */
    public void add(Collection<String> keys, OutboxWrite write) {
        if (write.settled()) {
            return;
        }
        for (String key : keys) {
            byKey.compute(key, (k, writes) -> {
                ArrayDeque<OutboxWrite> next = writes == null ? new ArrayDeque<>(2) : writes;
                next.addLast(write);
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
            while (!writes.isEmpty() && writes.peekFirst().settled()) {
                writes.pollFirst();
            }
            return writes.isEmpty() ? null : writes;
        }) != null;
    }

    /** @return whether any row parked here may still commit; drops every settled write on the way */
    public boolean any() {
        boolean any = false;
        for (String key : byKey.keySet()) {
            any |= byKey.computeIfPresent(key, (k, writes) -> {
                writes.removeIf(OutboxWrite::settled);
                return writes.isEmpty() ? null : writes;
            }) != null;
        }
        return any;
    }
}
