package studio.lerian.streaming.outbox.jpa;

import java.util.Collection;
import java.util.TreeSet;

/**
 * Which rows a claim may take: all of them, or those of the lanes a relay holds and, while rows without a key hash are
 * open, only rows older than the oldest of those (a row without a hash has no lane yet, and a later row of its key
 * must not go out before it). That bound is a subquery of the claiming statement itself, so it is read in the same
 * snapshot as the rows (a row parked without a hash just before the claim cannot slip between a separate check and
 * the claim), and costs one probe of the partial index of unhashed open rows, empty as long as every writer stores
 * the hash.
 *
 * <p>The lanes are written into the statement as ranges of literal numbers ({@code mod(e.keyHash, 256) between 0 and
 * 63}), not bound as a list parameter, and not at all when the relay holds every lane: the statement's text then
 * changes only when the relay's lanes change, so the provider translates it once and the database plans it once, and
 * a relay that holds many lanes does not make the database compare each row with every one of them. A fair share is
 * mostly one or a few ranges: lanes are taken and given up lowest and highest number first.
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
    private final TreeSet<Integer> lanes;
    private final String where;

    private ClaimScope(TreeSet<Integer> lanes, int laneCount) {
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
     * The lane condition: rows with a key hash (a row without one has no lane), in one of the ranges of consecutive
     * lanes held; only the first when every lane is held.
     */
    private static String condition(TreeSet<Integer> lanes, int laneCount) {
        StringBuilder sb = new StringBuilder(" and e.keyHash is not null");
        if (lanes.isEmpty() || lanes.size() == laneCount && lanes.first() == 0 && lanes.last() == laneCount - 1) {
            return lanes.isEmpty() ? " and 1 = 0" : sb.toString();
        }
        sb.append(" and (");
        Integer first = null;
        Integer last = null;
        boolean any = false;
        for (int lane : lanes) {
            if (last != null && lane == last + 1) {
                last = lane;
                continue;
            }
            if (first != null) {
                any = range(sb, any, first, last, laneCount);
            }
            first = lane;
            last = lane;
        }
        range(sb, any, first, last, laneCount);
        return sb.append(')').toString();
    }

    private static boolean range(StringBuilder sb, boolean any, int first, int last, int laneCount) {
        if (any) {
            sb.append(" or ");
        }
        sb.append("mod(e.keyHash, ").append(laneCount).append(')');
        if (first == last) {
            sb.append(" = ").append(first);
        } else {
            sb.append(" between ").append(first).append(" and ").append(last);
        }
        return true;
    }
}
