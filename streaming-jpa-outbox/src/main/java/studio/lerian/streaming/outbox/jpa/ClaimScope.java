package studio.lerian.streaming.outbox.jpa;

import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which rows a claim may take: all of them, or those of the lanes a relay holds and, while rows without a key hash are
 * open, only rows older than the oldest of those (a row without a hash has no lane yet, and a later row of its key
 * must not go out before it).
 */
final class ClaimScope {

    /** Every row: the claims of a relay that holds no lanes (stores used without lanes, marking claims). */
    static final ClaimScope ALL = new ClaimScope(null, 0, null);

    private final List<Long> lanes;
    private final long laneCount;
    private final Long before;

    private ClaimScope(List<Long> lanes, long laneCount, Long before) {
        this.lanes = lanes;
        this.laneCount = laneCount;
        this.before = before;
    }

    /**
     * @param lanes the lanes held
     * @param laneCount the table's lane count
     * @param before the {@code seq} of the oldest open row without a key hash, or {@code null} when there is none
     * @return the scope of a relay holding these lanes
     */
    static ClaimScope lanes(Collection<Integer> lanes, int laneCount, Long before) {
        List<Long> held = new ArrayList<>(lanes.size());
        lanes.forEach(l -> held.add(l.longValue()));
        return new ClaimScope(List.copyOf(held), laneCount, before);
    }

    /**
     * @param held the lanes still held, a subset of this scope's
     * @return this scope with only those lanes
     */
    ClaimScope narrowedTo(Collection<Integer> held) {
        List<Long> kept = new ArrayList<>(held.size());
        held.forEach(l -> kept.add(l.longValue()));
        return new ClaimScope(List.copyOf(kept), laneCount, before);
    }

    /** @return whether no row can be in scope */
    boolean isEmpty() {
        return lanes != null && lanes.isEmpty();
    }

    /** @return the condition on the row {@code e}, to append to a {@code where} clause; empty for every row */
    String where() {
        if (lanes == null) {
            return "";
        }
        return " and mod(e.keyHash, :laneCount) in :lanes" + (before == null ? "" : " and e.seq < :before");
    }

    /** Binds the parameters of {@link #where()}. */
    <Q extends Query> Q bind(Q query) {
        if (lanes != null) {
            query.setParameter("laneCount", laneCount).setParameter("lanes", lanes);
            if (before != null) {
                query.setParameter("before", before);
            }
        }
        return query;
    }
}
