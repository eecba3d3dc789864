package studio.lerian.streaming.outbox.jpa;

import static studio.lerian.streaming.outbox.jpa.OutboxEventEntity.utc;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import studio.lerian.streaming.internal.LogLine;
import studio.lerian.streaming.outbox.jpa.internal.UnitOfWork;
import studio.lerian.streaming.wire.Lanes;

/**
 * One relay's membership in the outbox's lanes: its heartbeat, its fair share of the lanes, and its leases on them.
 *
 * <p>Why a lease table in the outbox's own database, not Kafka's group membership: the relay works exactly when the
 * broker may be away (a group needs its coordinator to form and to rebalance), and only the database can fence a relay
 * that lost a lane: the relay's claiming transaction locks the rows of the lanes it holds until its batch's outcomes
 * are committed, so no other relay can take a lane over (the takeover's update waits for, or skips, that lock) while
 * the old owner still holds rows of it, whether the old owner is alive, slow, or paused. A relay that dies releases
 * its locks with its connection, and its lanes with its lease.
 *
 * <p>The share: the live relays are those whose heartbeat has not expired, sorted by id; the relay of rank {@code r}
 * out of {@code n} is due {@code lanes / n} lanes, plus one when {@code r < lanes % n}, so the shares add up to the
 * lane count and differ by at most one. Each heartbeat renews the relay's leases, gives up lanes beyond its share
 * (the highest numbers first) and takes free or expired lanes up to it, each takeover counting one more epoch of the
 * lane. Lanes move only between batches, so a relay joining, leaving or dying moves as few lanes as the shares
 * demand; a lane given up is free at once, one whose owner died after its lease.
 *
 * <p>Not thread-safe: one relay thread uses it.
 */
final class LaneLeases {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");
    private static final String LANE = OutboxLaneEntity.ENTITY_NAME;
    private static final String RELAY = OutboxRelayEntity.ENTITY_NAME;
    /** The longest time between two heartbeats while the relay polls; shorter for short leases. */
    private static final Duration MAX_BEAT_EVERY = Duration.ofSeconds(1);

    private final UnitOfWork unitOfWork;
    private final Supplier<Instant> clock;
    private final String relayId;
    private final int configuredLanes;
    private final Duration lease;
    private final Duration beatEvery;
    private int lanes;
    private Map<Integer, Long> held = Map.of();
    private Instant lastBeat = Instant.EPOCH;
    private volatile boolean left;

    LaneLeases(UnitOfWork unitOfWork, Supplier<Instant> clock, String relayId, int lanes, Duration lease) {
        if (lanes < 1 || lanes > Lanes.MAX_LANES) {
            throw new IllegalArgumentException("lanes must be from 1 to " + Lanes.MAX_LANES + ", not " + lanes);
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the lane lease must be at least 1 s, not " + lease);
        }
        this.unitOfWork = unitOfWork;
        this.clock = clock;
        this.relayId = Objects.requireNonNull(relayId, "relayId");
        this.configuredLanes = lanes;
        this.lease = lease;
        Duration third = lease.dividedBy(3);
        this.beatEvery = third.compareTo(MAX_BEAT_EVERY) < 0 ? third : MAX_BEAT_EVERY;
    }

    /** @return the table's lane count, once {@link #beat} has run */
    synchronized int lanes() {
        return lanes;
    }

    /** @return the lanes this relay holds as of its last heartbeat, and the epoch it took each at */
    synchronized Map<Integer, Long> held() {
        return held;
    }

    /**
     * Beats, unless the last beat is recent: renews the relay's row and leases and moves lanes toward the fair share.
     * The first beat creates the lanes when the table has none, with the configured count; a table that has lanes
     * keeps its count (the relays of one table must agree on it, and the first one decides).
     */
    synchronized void beat() {
        // One beat at a time per relay: two polls of one relay may run together (its scheduled poll and one run by
        // hand), and two first beats would both insert the relay's membership row.
        Instant now = clock.get();
        if (now.isBefore(lastBeat.plus(beatEvery))) {
            return;
        }
        if (lanes == 0) {
            lanes = ensureLanes();
        }
        held = unitOfWork.inOwnTransaction(em -> rebalance(em, now));
        lastBeat = now;
    }

    private int ensureLanes() {
        int existing = countLanes();
        if (existing == 0) {
            try {
                unitOfWork.inOwnTransaction(em -> {
                    for (int lane = 0; lane < configuredLanes; lane++) {
                        em.persist(new OutboxLaneEntity(lane));
                    }
                    return null;
                });
            } catch (RuntimeException anotherRelayCreatedThem) {
                // Two relays starting together: one insert wins, the other fails on the primary key; both go on with
                // the rows that are there now.
            }
            existing = countLanes();
        }
        if (existing != configuredLanes) {
            int tableLanes = existing;
            LOG.log(Level.WARNING, () -> LogLine.of("streaming: the outbox table's lane count differs from this relay's;"
                    + " the relay uses the table's (see docs/outbox.md on changing the lane count)")
                    .field("relay_id", relayId).field("table_lanes", tableLanes)
                    .field("configured_lanes", configuredLanes).toString());
        }
        return existing;
    }

    private int countLanes() {
        return unitOfWork.inOwnTransaction(em -> em.createQuery("select count(l) from " + LANE + " l", Long.class)
                .getSingleResult().intValue());
    }

    private Map<Integer, Long> rebalance(EntityManager em, Instant now) {
        Instant expires = now.plus(lease);
        int renewed = em.createQuery("update " + RELAY + " r set r.heartbeatAt = :now, r.expiresAt = :expires"
                + " where r.relayId = :me").setParameter("now", utc(now)).setParameter("expires", utc(expires))
                .setParameter("me", relayId).executeUpdate();
        if (renewed == 0) {
            em.persist(new OutboxRelayEntity(relayId, now, expires));
            em.flush();
        }
        em.createQuery("delete from " + RELAY + " r where r.expiresAt < :now").setParameter("now", utc(now))
                .executeUpdate();
        List<String> live = em.createQuery("select r.relayId from " + RELAY + " r order by r.relayId", String.class)
                .getResultList();
        int rank = Math.max(0, live.indexOf(relayId));
        int members = Math.max(1, live.size());
        int share = lanes / members + (rank < lanes % members ? 1 : 0);

        em.createQuery("update " + LANE + " l set l.expiresAt = :expires where l.owner = :me")
                .setParameter("expires", utc(expires)).setParameter("me", relayId).executeUpdate();
        Map<Integer, Long> mine = new TreeMap<>();
        for (Object[] l : em.createQuery("select l.lane, l.epoch from " + LANE + " l where l.owner = :me",
                Object[].class).setParameter("me", relayId).getResultList()) {
            mine.put((Integer) l[0], (Long) l[1]);
        }
        if (mine.size() > share) {
            List<Integer> excess = new ArrayList<>(mine.keySet()).subList(share, mine.size());
            em.createQuery("update " + LANE + " l set l.owner = null, l.expiresAt = null"
                    + " where l.lane in :lanes and l.owner = :me").setParameter("lanes", List.copyOf(excess))
                    .setParameter("me", relayId).executeUpdate();
            mine.keySet().removeAll(List.copyOf(excess));
        } else if (mine.size() < share) {
            // Free lanes, or lanes whose owner's lease ran out. A lane another relay's batch still holds is locked:
            // skipped here (or waited for, on a provider that does not skip locked rows), taken at a later beat.
            // (Candidates first, then locked by number: a limit beside a lock is not portable across providers.)
            List<Integer> candidates = em.createQuery("select l.lane from " + LANE + " l where l.owner is null"
                    + " or l.expiresAt < :now order by l.lane", Integer.class).setParameter("now", utc(now))
                    .getResultList();
            List<OutboxLaneEntity> free = candidates.isEmpty() ? List.of()
                    : em.createQuery("select l from " + LANE + " l where l.lane in :lanes and (l.owner is null"
                            + " or l.expiresAt < :now) order by l.lane", OutboxLaneEntity.class)
                            .setParameter("lanes", candidates.subList(0, Math.min(candidates.size(),
                                    2 * (share - mine.size()))))
                            .setParameter("now", utc(now)).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                            .setHint(JpaOutboxStore.LOCK_TIMEOUT, JpaOutboxStore.SKIP_LOCKED).getResultList();
            for (OutboxLaneEntity lane : free) {
                if (mine.size() == share) {
                    break;
                }
                int taken = em.createQuery("update " + LANE + " l set l.owner = :me, l.epoch = l.epoch + 1,"
                        + " l.expiresAt = :expires where l.lane = :lane and (l.owner is null or l.expiresAt < :now)")
                        .setParameter("me", relayId).setParameter("expires", utc(expires))
                        .setParameter("lane", lane.getLane()).setParameter("now", utc(now)).executeUpdate();
                if (taken == 1) {
                    mine.put(lane.getLane(), lane.getEpoch() + 1);
                }
            }
        }
        return Map.copyOf(mine);
    }

    /** @return whether the relay has {@linkplain #leave left}: it claims nothing any more */
    boolean hasLeft() {
        return left;
    }

    /** Gives up every lane and the relay's row, so that the others take its share at once. */
    synchronized void leave() {
        left = true;
        unitOfWork.inOwnTransaction(em -> {
            em.createQuery("update " + LANE + " l set l.owner = null, l.expiresAt = null where l.owner = :me")
                    .setParameter("me", relayId).executeUpdate();
            em.createQuery("delete from " + RELAY + " r where r.relayId = :me").setParameter("me", relayId)
                    .executeUpdate();
            return null;
        });
        held = Map.of();
        lastBeat = Instant.EPOCH;
    }

    /** Forces the next {@link #beat} to run (tests). */
    synchronized void beatNextTime() {
        lastBeat = Instant.EPOCH;
    }
}
