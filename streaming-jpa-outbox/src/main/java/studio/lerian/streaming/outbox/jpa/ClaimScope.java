package studio.lerian.streaming.outbox.jpa;

import java.util.Collection;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Which rows a claim may take: all of them, or those of the lanes a relay holds and, while rows without a key hash are
 * open, only rows older than the oldest of those (a row without a hash has no lane yet, and a later row of its key
 * must not go out before it). That bound is a subquery of the claiming statement itself, so it is read in the same
 * snapshot as the rows (a row parked without a hash just before the claim cannot slip between a separate check and
 * the claim), and costs one probe of the partial index of unhashed open rows, empty as long as every writer stores
 * the hash.
 *
 * <p>The lanes are written into the statement as a list of literal numbers ({@code mod(e.keyHash, 256) in (0, 1, ...,
 * 63)}), not bound as a list parameter, and not at all when the relay holds every lane: the statement's text then
 * changes only when the relay's lanes change, so the provider translates it once. A list, not ranges ({@code between
 * 0 and 63}), for the database's planner: PostgreSQL estimates a range over an expression it has no statistics for at
 * half a percent of the rows whatever its width, and with that estimate it read and sorted every pending row of the
 * table for each claim (150 ms on 100,000 rows, where walking the pending index in {@code seq} order takes under
 * 1 ms); a list it estimates by its length, close to the lanes' true share, and walks the index.
 */
final class ClaimScope {

    /** Every row: the claims of a relay that holds no lanes (stores used without lanes, marking claims). */
    static final ClaimScope ALL = new ClaimScope(null, 0);

    /**
     * Below the oldest open row without a key hash, or below every {@code seq} when there is none. The fallback is a
     * literal: with a parameter there, Hibernate translated the statement anew on every run (twice the CPU per claim).
     */
    private static final String BEFORE_UNHASHED = " and e.seq < coalesce((select min(u.seq) from "
            + OutboxEventEntity.ENTITY_NAME + " u where u.keyHash is null and u.status in " + JpaOutboxStore.OPEN
            + "), " + Long.MAX_VALUE + "L)";

    /** The lanes held, or {@code null} for every row. */
    private final NavigableSet<Integer> lanes;
    private final String where;

    private ClaimScope(NavigableSet<Integer> lanes, int laneCount) {
        this.lanes = lanes;
        this.where = lanes == null ? "" : condition(lanes, laneCount) + BEFORE_UNHASHED;
    }

    /**
     * @param lanes the lanes held
     * @param laneCount the table's lane count
     * @return the scope of a relay holding these lanes
     */
    static ClaimScope lanes(Collection<Integer> lanes, int laneCount) {
        return new ClaimScope(new TreeSet<>(lanes), laneCount);
    }

    /** @return whether no row can be in scope */
    boolean isEmpty() {
        return lanes != null && lanes.isEmpty();
    }

    /**
     * @return the condition on the row {@code e}, to append to a {@code where} clause (no parameters); empty for every
     *         row
     */
    String where() {
        return where;
    }

    /**
     * The lane condition: rows with a key hash (a row without one has no lane), in one of the lanes held; only the
     * first when every lane is held.
     */
    private static String condition(NavigableSet<Integer> lanes, int laneCount) {
        StringBuilder sb = new StringBuilder(" and e.keyHash is not null");
        if (lanes.isEmpty() || (lanes.size() == laneCount && lanes.first() == 0 && lanes.last() == laneCount - 1)) {
            return lanes.isEmpty() ? " and 1 = 0" : sb.toString();
        }
        sb.append(" and mod(e.keyHash, ").append(laneCount).append(") in (");
        boolean first = true;
        for (int lane : lanes) {
            sb.append(first ? "" : ", ").append(lane);
            first = false;
        }
        return sb.append(')').toString();
    }
}
