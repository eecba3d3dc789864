package studio.lerian.streaming.outbox.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.LockModeType;
import jakarta.persistence.QueryTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import static studio.lerian.streaming.outbox.jpa.OutboxEventEntity.utc;

import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.outbox.jpa.internal.UnitOfWork;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.spi.OutboxStore;
import studio.lerian.streaming.wire.Lanes;

/**
 * The relay's view of the outbox table, in JPQL, so that the provider's dialect writes the locking clauses; only the
 * outcome of a batch's published rows is plain SQL (a standard UPDATE or DELETE by primary key, see
 * {@code markPublished}). Every writing method runs in a transaction of its own: an entity manager of its own, an
 * {@code EntityTransaction} on a {@code RESOURCE_LOCAL} unit, {@code java:comp/UserTransaction} on a JTA unit. The
 * read-only questions ({@link #backlog()}, {@link #hasAnyUnpublished()}, {@link #hasUnpublished(String)}) run without
 * a transaction. Database failures surface as {@link jakarta.persistence.PersistenceException}. Times come from the
 * store's clock; all the application's instances should keep their clocks in sync (as for any lease).
 *
 * <h2>Claiming</h2>
 * A row is <em>due</em> when it is {@code PENDING} and its {@code next_attempt_at} has passed. The relay claims with
 * {@link #claimBatch}, which holds the chosen rows' locks in its transaction until the batch's outcomes are written
 * (see there). The marking claim, {@code claim}, makes them {@code PROCESSING} with {@code claimed_by} and
 * {@code claimed_at} set, in the claiming transaction; it is not part of the relay's SPI (which claims only by batch)
 * and is kept package-private, with the row-at-a-time outcome methods, for the store's contract tests, which drive
 * the shared selection queries through it. Either way two relays never hold one row: the candidates are
 * selected first (no lock, with the row limit), then locked ({@code PESSIMISTIC_WRITE}, by id or as a {@code seq}
 * range), keeping those still {@code PENDING}, with a lock timeout of {@code -2} (Hibernate's "skip locked":
 * {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, MySQL 8, MariaDB 10.6+, Oracle and H2; EclipseLink waits for the lock
 * instead). Two statements, because a limit and a lock in one statement is not portable (EclipseLink 4 writes
 * {@code FOR UPDATE LIMIT ?}, which H2 2 refuses). The lock statement reads each row's latest committed state; in a
 * marking claim the update that marks them is also conditional on {@code status = 'PENDING'}: on a database that
 * waits for the lock and returns a row another relay has just claimed, the update touches fewer rows than were
 * selected and the whole claim is rolled back and comes back empty (the next poll tries again). No row is handed out
 * twice either way.
 *
 * <p><b>Relaxed</b> ({@code strictOrder = false}): the oldest due rows by {@code seq}, skipping locked ones.
 *
 * <p><b>Strict</b> ({@code strictOrder = true}): a row is claimable only when no earlier row (lower {@code seq}) of its
 * partition key is {@code PENDING} or {@code PROCESSING}, that is, only the <em>head</em> of a key's open rows, and
 * only when it is due. {@code FAILED}, {@code INVALID} and {@code PUBLISHED} rows are finished and block nothing.
 * The heads are found one window at a time: the oldest {@code PENDING} rows in {@code seq} order (due or not), read
 * without a lock, then the keys that have a {@code PROCESSING} row with their lowest claimed {@code seq} (one small
 * indexed query, read after the window). Every {@code PENDING} row before a window row is in that window or an
 * earlier one, so a key's first row in the window is its head exactly when it is due, the key had no row in an
 * earlier window, and no claimed row of the key comes before it. Then, in the same transaction, each head's key is
 * extended by its next rows of the window, oldest first across the keys, each key's run in {@code seq} order while its
 * rows are due (stopping at the first that is not), until {@code maxRows} rows are chosen; the chosen rows are
 * locked (skipping locked rows, keeping those still {@code PENDING}), each key keeping the prefix of its run that it
 * got. A {@linkplain #claim marking claim} marks them {@code PROCESSING} together; a {@linkplain #claimBatch held
 * batch} keeps them locked instead. The result is grouped by key, heads in {@code seq} order, each key's rows in
 * {@code seq} order: the relay publishes a key's run in order and must stop at the first failure of a key.
 *
 * <p>Why two relays never hold rows of one key at once (PostgreSQL, {@code READ COMMITTED}): a key's rows are
 * claimed only through its head, and only while nothing earlier is open.
 * <ul>
 *   <li>While relay A's claim (or held batch) is uncommitted, A holds the lock on the head {@code h}, and B's window
 *       shows {@code h} as {@code PENDING}: B either takes {@code h} for the key's head and, wanting to lock it,
 *       skips it (it is locked), which drops the key from B's claim; or, reading a later window, finds the key
 *       blocked by {@code h} in an earlier one. B cannot see {@code h} as anything but {@code PENDING} before A
 *       commits, so no later row of the key becomes B's head.</li>
 *   <li>Once a marking claim of A has committed, {@code h} and A's extension rows are {@code PROCESSING}: not in B's
 *       window, and B's claimed-keys query, read after the window, shows the key claimed from {@code h} on, so its
 *       later rows are no heads. (Read before the window, it could miss a claim committed in between, while the
 *       window no longer showed {@code h}.) If B's window predates A's commit but B reaches {@code h}'s lock after
 *       it, PostgreSQL re-checks the locked row's latest version against the {@code WHERE} clause, finds it no
 *       longer {@code PENDING}, and drops it.</li>
 *   <li>The key opens again only when A has finished every row of its run (published, failed, invalid) or returned
 *       it to {@code PENDING}; its new head is then claimable by any relay.</li>
 * </ul>
 * A window that has no head (its rows all wait behind a retry or another relay's claim) moves the search on to the
 * next window, its keys blocked there, so no head hides behind blocked rows. A window whose heads are all locked by
 * other relays' open batches moves it on too, but only {@value #LOOK_AHEAD_WINDOWS} windows further: those relays
 * are at work and free the keys when their batches end, and relays that each scanned the whole backlog on every poll
 * while another held its keys would cost the database more than they could relay.
 *
 * What the order means: {@code seq} is taken when the row is inserted, not when its transaction commits. Rows of one
 * key written by transactions that commit concurrently have no defined order between them (as for two concurrent
 * direct publishes); once a row is visible, no later-{@code seq} row of its key is published before it. All relays of
 * one table must use the same mode. {@link #reclaimStuck(Instant)} returns a dead relay's rows to {@code PENDING}; if
 * that relay was only slow, a row may be published twice (at least once; consumers dedupe on {@code ce-id}).
 *
 * <h2>Lanes</h2>
 * A relay that has {@linkplain #joinLanes joined the lanes} claims only rows of the lanes it holds (see
 * {@link studio.lerian.streaming.wire.Lanes}; membership, fair shares and leases in {@code LaneLeases}), with the same
 * claims as above narrowed to them: {@code mod(key_hash, lanes)} in its lanes (written as ranges, see
 * {@code ClaimScope}), and {@code seq} below the oldest open row that has no key hash yet (a subquery of the claiming
 * statement). Before a claim it hashes up to 1,000 such rows (oldest first, skipping rows locked by others): at its
 * first claim, at each claim while it finds such rows, else once a second, so a row without a hash holds back later
 * rows only until a relay has hashed it, about a second at most. In the claiming
 * transaction the relay first locks its own lane rows, keeping the lanes it still owns at the epoch it took them: the
 * lock lasts until the batch ends, so no other relay can take a lane over while this batch may still commit an outcome
 * for one of its rows, and a lane taken over since the relay's last heartbeat drops out of its claim. As no other
 * relay claims rows of its lanes, the head search and the locks meet no competition: two relays work on disjoint rows.
 * On Hibernate, a strict claim of a relay holding lanes is therefore one locking statement (see {@code laneHeads}):
 * the oldest pending rows of its lanes, locked with a row limit, are their keys' heads and runs.
 *
 * <p>Cost: a strict claim without lanes (or on another provider) reads a window of {@code 2 * maxRows} pending rows
 * (at least 64) in {@code seq} order and the claimed keys, and locks the rows it chose (as one {@code seq} range when
 * they fill most of it): three statements whatever the backlog's length, and a fourth to mark them in a marking claim.
 * With lanes on Hibernate: the lane lock, the locking claim and the claimed keys. Only a backlog whose oldest rows are
 * all blocked (behind a key's head waiting for its retry, or behind another relay's claim) makes a claim read
 * further, window after window. Relaxed claims read {@code maxRows} rows.
 */
public class JpaOutboxStore implements OutboxStore {

    private static final String E = OutboxEventEntity.ENTITY_NAME;
    static final String LOCK_TIMEOUT = "jakarta.persistence.lock.timeout";
    private static final String QUERY_TIMEOUT = "jakarta.persistence.query.timeout";
    /** The SQLSTATE of a statement cancelled at its query timeout (PostgreSQL {@code query_canceled}; H2 too). */
    static final String QUERY_CANCELED = "57014";
    /** Hibernate's lock timeout meaning "skip locked rows" ({@code org.hibernate.Timeouts.SKIP_LOCKED_MILLI}). */
    static final int SKIP_LOCKED = -2;
    private static final int IN_CHUNK = 500;
    /*
     * Statuses are literals in the statements, never parameters: PostgreSQL can then match the partial indexes of the
     * shipped DDL (WHERE status = 'PENDING', ...) in generic plans of prepared statements too.
     */
    private static final String S = OutboxStatus.class.getName() + ".";
    private static final String PENDING = S + "PENDING";
    private static final String PROCESSING = S + "PROCESSING";
    private static final String PUBLISHED = S + "PUBLISHED";
    static final String OPEN = "(" + PENDING + ", " + PROCESSING + ")";

    /*
     * Claims select candidates first, without a lock and with a row limit, then lock the candidates by id (no limit)
     * and keep those still PENDING. One statement with both a limit and FOR UPDATE would be simpler, but EclipseLink 4
     * on H2 2 writes "FOR UPDATE LIMIT ?", which H2 refuses (the limit must come first), and a provider may ignore the
     * skip-locked hint; the lock by id is portable, and the conditional update below still catches any race.
     */
    private static final String DUE = " from " + E + " e where e.status = " + PENDING + " and e.nextAttemptAt <= :now";
    private static final String OLDEST_IDS = "select e.id, e.seq" + DUE;
    private static final String PENDING_AFTER = "select e.id, e.seq, e.partitionKey, e.nextAttemptAt from " + E
            + " e where e.status = " + PENDING + " and e.seq > :after";
    /** Once a claim finds its heads held by other relays, it looks at most this many windows further. */
    private static final int LOOK_AHEAD_WINDOWS = 8;
    /** Keys with a claimed row, and their lowest claimed {@code seq}: later rows of these keys are not heads. */
    private static final String CLAIMED_KEYS = "select e.partitionKey, min(e.seq) from " + E + " e where e.status = "
            + PROCESSING + " group by e.partitionKey";
    /** Strict claims read this many pending rows (times the claim's size, at least {@link #MIN_WINDOW}) at a time. */
    private static final int WINDOW_FACTOR = 2;
    private static final int MIN_WINDOW = 64;
    /**
     * What a claim reads of each row it locks: {@link ClaimedRow}'s columns. A projection, not the entity: the rows are
     * never changed through the persistence context (outcomes are bulk updates), so managing them would only cost the
     * provider's hydration and the snapshot copy of every envelope.
     */
    private static final String CLAIMED_COLUMNS = "select e.id, e.seq, e.partitionKey, e.topic, e.envelope, e.attempts,"
            + " e.createdAt, e.nextAttemptAt from " + E + " e";
    private static final String LOCK_PENDING = CLAIMED_COLUMNS + " where e.status = " + PENDING + " and e.id in ";
    private static final String LOCK_PENDING_RANGE = CLAIMED_COLUMNS + " where e.status = " + PENDING
            + " and e.seq >= :from and e.seq <= :to";
    /** Open rows parked without a key hash, oldest first: hashed by the relays before they claim. */
    private static final String UNHASHED = "select e.id, e.seq from " + E + " e where e.keyHash is null"
            + " and e.status in " + OPEN + " order by e.seq";
    private static final String OLDEST_UNHASHED = "select min(e.seq) from " + E + " e where e.keyHash is null"
            + " and e.status in " + OPEN;
    /** The most rows without a key hash that one claim hashes. */
    private static final int HASH_PER_CLAIM = 1000;
    /** How often a relay that found no row without a key hash looks again. */
    static final Duration HASH_PROBE_EVERY = Duration.ofSeconds(1);
    /** Every lane the relay owns (the lanes it holds and any it took since, which it does not claim from yet). */
    private static final String LOCK_HELD_LANES = "select l.lane, l.epoch from " + OutboxLaneEntity.ENTITY_NAME
            + " l where l.owner = :me";
    /** Strict ordering's lookup, in every emit while a backlog exists: does the key have unpublished rows. */
    private static final String HAS_UNPUBLISHED = "select e.id from " + E + " e where e.partitionKey = :key"
            + " and e.status in " + OPEN;

    /** The backlog probe of every instance, at each poll interval: is any row open. */
    private static final String ANY_UNPUBLISHED = "select e.id from " + E + " e where e.status in " + OPEN;

    private final UnitOfWork unitOfWork;
    private final Clock clock;
    private final Map<String, LaneLeases> leases = new ConcurrentHashMap<>();
    /** When each relay next looks for rows parked without a key hash. */
    private final Map<String, Instant> hashingDue = new ConcurrentHashMap<>();
    private final boolean lockWithALimit;

    /**
     * @param factory the persistence unit holding the outbox table; must not be {@code null}
     */
    public JpaOutboxStore(EntityManagerFactory factory) {
        this(factory, Clock.systemUTC());
    }

    /**
     * @param factory the persistence unit holding the outbox table; must not be {@code null}
     * @param clock the clock of due times, claims and publications; must not be {@code null}
     */
    public JpaOutboxStore(EntityManagerFactory factory, Clock clock) {
        this(factory, clock, rendersALockWithALimit(factory), OutboxTransactions.lookup());
    }

    /**
     * A store that runs its transactions with the given container objects (Quarkus: its Narayana beans), for a
     * container without {@code java:comp}.
     *
     * @param factory the persistence unit holding the outbox table; must not be {@code null}
     * @param transactions where the JTA transactions are found; must not be {@code null}
     */
    public JpaOutboxStore(EntityManagerFactory factory, OutboxTransactions transactions) {
        this(factory, Clock.systemUTC(), rendersALockWithALimit(factory), transactions);
    }

    /**
     * @param lockWithALimit whether claims may lock rows in a statement with a row limit (see {@link #laneHeads});
     *        tests choose, to run the claims of lanes both ways on one provider
     */
    JpaOutboxStore(EntityManagerFactory factory, Clock clock, boolean lockWithALimit) {
        this(factory, clock, lockWithALimit, OutboxTransactions.lookup());
    }

    private JpaOutboxStore(EntityManagerFactory factory, Clock clock, boolean lockWithALimit,
            OutboxTransactions transactions) {
        this.unitOfWork = new UnitOfWork(Objects.requireNonNull(factory, "factory"),
                Objects.requireNonNull(transactions, "transactions").jta());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lockWithALimit = lockWithALimit;
        prepareLookup(factory);
    }

    /**
     * Whether the provider writes a row limit and a lock in one statement correctly for every database: Hibernate
     * does (its dialects place the clauses, or lock in a second statement where a database cannot combine them);
     * EclipseLink 4 writes {@code FOR UPDATE LIMIT ?}, which H2 refuses. Decided once, from the factory: other
     * providers get the two-statement claim, which every provider writes correctly.
     */
    static boolean rendersALockWithALimit(EntityManagerFactory factory) {
        for (ClassLoader loader : new ClassLoader[] {factory.getClass().getClassLoader(),
                Thread.currentThread().getContextClassLoader()}) {
            try {
                factory.unwrap(Class.forName("org.hibernate.SessionFactory", false, loader));
                return true;
            } catch (ClassNotFoundException | RuntimeException | LinkageError notHibernate) {
                // try the next loader, then give up: the two-statement claim is always correct
            }
        }
        return false;
    }

    /**
     * Has the provider parse the strict-ordering lookup now (creating a query parses it; nothing is executed and no
     * connection is needed). Otherwise the first backlog after start has every caller thread parse it at once, in the
     * middle of their emits: on a machine short of CPU that took the emits of the network-fault chaos test 10 to 20 s.
     * A failure here is left to the first real lookup to report.
     */
    private static void prepareLookup(EntityManagerFactory factory) {
        try {
            EntityManager em = factory.createEntityManager();
            try {
                em.createQuery(HAS_UNPUBLISHED, String.class);
            } finally {
                em.close();
            }
        } catch (RuntimeException reportedByTheFirstLookup) {
            // The lookup itself throws the same failure, where the caller sees it.
        }
    }

    /** The marking claim (see the class description); for the contract tests. */
    List<OutboxRow> claim(int maxRows, boolean strictOrder, String relayId) {
        return claim(maxRows, strictOrder, relayId, () -> { });
    }

    /** {@code claim} with a hook that runs before the claim commits (tests). */
    List<OutboxRow> claim(int maxRows, boolean strictOrder, String relayId, Runnable beforeCommit) {
        Objects.requireNonNull(relayId, "relayId");
        if (maxRows <= 0) {
            return List.of();
        }
        Instant now = now();
        try {
            return inTransaction(em -> {
                List<ClaimedRow> rows = strictOrder ? heads(em, maxRows, now, ClaimScope.ALL)
                        : oldest(em, maxRows, now, ClaimScope.ALL);
                if (rows.isEmpty()) {
                    return List.of();
                }
                List<String> ids = rows.stream().map(ClaimedRow::id).toList();
                int marked = 0;
                for (List<String> chunk : IdList.chunks(ids)) {
                    marked += IdList.bind(em.createQuery("update " + E + " e set e.status = " + PROCESSING + ","
                            + " e.claimedBy = :relay, e.claimedAt = :now, e.updatedAt = :now,"
                            + " e.version = e.version + 1 where e.status = " + PENDING + " and e.id in "
                            + IdList.placeholders(chunk)), chunk)
                            .setParameter("relay", relayId).setParameter("now", utc(now)).executeUpdate();
                }
                if (marked != ids.size()) {
                    throw new ClaimLost();
                }
                beforeCommit.run();
                return grouped(rows);
            });
        } catch (ClaimLost lost) {
            return List.of();
        }
    }

    /**
     * Claims as {@code claim} chooses, but marks nothing: the chosen rows stay {@code PENDING},
     * locked by the claiming transaction, which stays open until the batch is committed or closed. The commit writes
     * each row's outcome (one update per row instead of three: no {@code PROCESSING} mark, no release) and ends the
     * transaction; a relay that dies leaves nothing to reclaim, as its transaction ends with its connection.
     *
     * <p>Why the claim's guarantees hold while the rows are only locked: other relays skip locked rows, and with
     * strict order they see the held rows as {@code PENDING}, so a held key's later rows fail their head check exactly
     * as they do behind a {@code PROCESSING} row. On a provider that waits for locks instead of skipping them
     * (EclipseLink), another relay's claim waits for this batch to end and then drops the rows it has finished
     * (PostgreSQL re-checks a waited-for row's status).
     *
     * <p>Without {@code keepPublished}, published rows are deleted at the commit instead of marked.
     *
     * <p>The transaction stays open while the relay publishes, at most the relay's batch budget
     * ({@code STREAMING_OUTBOX_BATCH_TIMEOUT_S}); on an application server its transaction timeout must allow that, or
     * the commit fails and the batch's rows are published again later.
     */
    @Override
    public OutboxBatch claimBatch(int maxRows, boolean strictOrder, boolean keepPublished, String relayId) {
        Objects.requireNonNull(relayId, "relayId");
        if (maxRows <= 0) {
            return HeldBatch.EMPTY;
        }
        LaneLeases lanes = leases.get(relayId);
        ClaimScope scope = ClaimScope.ALL;
        if (lanes != null) {
            if (lanes.hasLeft()) {
                return HeldBatch.EMPTY;
            }
            lanes.beat();
            if (lanes.held().isEmpty()) {
                return HeldBatch.EMPTY;
            }
        }
        if (lanes != null) {
            hashIfDue(relayId);
        }
        Instant now = now();
        UnitOfWork.OwnTransaction tx = unitOfWork.begin();
        try {
            EntityManager em = tx.entityManager();
            if (lanes != null) {
                scope = lockHeldLanes(em, lanes, relayId);
            }
            List<ClaimedRow> rows = scope.isEmpty() ? List.of()
                    : strictOrder ? lanes != null && lockWithALimit ? laneHeads(em, maxRows, now, scope)
                            : heads(em, maxRows, now, scope)
                    : oldest(em, maxRows, now, scope);
            if (rows.isEmpty()) {
                tx.commit();
                tx.close();
                return HeldBatch.EMPTY;
            }
            List<OutboxRow> claimed = grouped(rows);
            return new HeldBatch(this, tx, claimed, keepPublished, relayId, now);
        } catch (RuntimeException e) {
            tx.close();
            throw e;
        }
    }

    /**
     * From now on, the claims of this relay take rows of its lanes only (see the class description). The first claim
     * creates the lanes if the table has none, and each claim beats at most once a second (more often for leases
     * under three seconds).
     */
    @Override
    public void joinLanes(String relayId, int lanes, Duration lease) {
        Objects.requireNonNull(relayId, "relayId");
        Objects.requireNonNull(lease, "lease");
        leases.put(relayId, new LaneLeases(unitOfWork, this::now, relayId, lanes, lease));
        hashingDue.remove(relayId);
    }

    @Override
    public void leaveLanes(String relayId) {
        // Kept in the map, marked as left: a poll of the relay still running claims nothing more, rather than claiming
        // as a relay without lanes would.
        LaneLeases lanes = leases.get(Objects.requireNonNull(relayId, "relayId"));
        if (lanes != null && !lanes.hasLeft()) {
            lanes.leave();
        }
    }

    /** @return the lanes the relay holds as of its last heartbeat (lane and epoch); empty when it holds none */
    public Map<Integer, Long> heldLanes(String relayId) {
        LaneLeases lanes = leases.get(relayId);
        return lanes == null ? Map.of() : lanes.held();
    }

    /**
     * Hashes rows parked without a key hash when it is time to look for them: at a relay's first claim, at every claim
     * while such rows are found, and otherwise once every {@link #HASH_PROBE_EVERY} (a statement and a transaction
     * that would cost every batch a round trip to find nothing, as long as every writer stores the hash). Claims never
     * take a row after an unhashed one meanwhile ({@link ClaimScope}), so a row parked without a hash holds its lanes
     * back for at most that long before it is hashed.
     */
    private void hashIfDue(String relayId) {
        Instant now = clock.instant();
        Instant due = hashingDue.get(relayId);
        if (due != null && now.isBefore(due)) {
            return;
        }
        hashingDue.put(relayId, hashUnhashed() == null ? now.plus(HASH_PROBE_EVERY) : now);
    }

    /**
     * Hashes the partition keys of the oldest open rows parked without a hash (by a writer that predates lanes, or by
     * another library sharing the table), in a transaction of its own, skipping rows another relay holds.
     *
     * @return the {@code seq} of the oldest open row still without a hash, or {@code null} when there is none
     */
    private Long hashUnhashed() {
        return inTransaction(em -> {
            List<Object[]> unhashed = em.createQuery(UNHASHED, Object[].class).setMaxResults(HASH_PER_CLAIM)
                    .getResultList();
            if (unhashed.isEmpty()) {
                return null;
            }
            // Locked first (skipping rows another relay holds), then updated per hash: one statement per key.
            Map<Long, List<String>> byHash = new HashMap<>();
            for (ClaimedRow row : lock(em, CLAIMED_COLUMNS + " where e.keyHash is null and e.id in ", ids(unhashed))) {
                byHash.computeIfAbsent(Lanes.keyHash(row.partitionKey()), h -> new ArrayList<>()).add(row.id());
            }
            byHash.forEach((hash, ids) -> {
                for (List<String> chunk : IdList.chunks(ids)) {
                    IdList.bind(em.createQuery("update " + E + " e set e.keyHash = :hash where e.id in "
                            + IdList.placeholders(chunk)), chunk).setParameter("hash", hash).executeUpdate();
                }
            });
            return em.createQuery(OLDEST_UNHASHED, Long.class).getSingleResult();
        });
    }

    /**
     * Locks the relay's lanes in the claiming transaction, until its batch ends, keeping those it still owns at the
     * epoch it took them: no other relay can take one over (its update waits for, or skips, the lock) while this
     * relay's batch may still commit outcomes for its rows. A lane lost since the last heartbeat drops out.
     */
    private static ClaimScope lockHeldLanes(EntityManager em, LaneLeases lanes, String relayId) {
        Map<Integer, Long> held = lanes.held();
        List<Integer> locked = new ArrayList<>(held.size());
        for (Object[] lane : em.createQuery(LOCK_HELD_LANES, Object[].class).setParameter("me", relayId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList()) {
            if (Objects.equals(held.get((Integer) lane[0]), lane[1])) {
                locked.add((Integer) lane[0]);
            }
        }
        return ClaimScope.lanes(locked, lanes.lanes());
    }

    private static List<ClaimedRow> oldest(EntityManager em, int maxRows, Instant now, ClaimScope scope) {
        List<String> ids = ids(em.createQuery(OLDEST_IDS + scope.where() + " order by e.seq",
                Object[].class).setParameter("now", utc(now)).setMaxResults(maxRows).getResultList());
        return lock(em, LOCK_PENDING, ids);
    }

    /**
     * A strict claim, window by window: a window is the next {@code WINDOW_FACTOR * maxRows} {@code PENDING} rows in
     * {@code seq} order (due or not), read once; its heads are each key's first row there, when due, when the key had
     * no row in an earlier window, and when no claimed ({@code PROCESSING}) row of the key comes before it; each
     * head's key is extended by its next rows of the window, oldest first across the keys, each key's run while its
     * rows are due (stopping at the first that is not), until {@code maxRows} rows are chosen. Breadth-first matters:
     * the relay publishes a key's run one row per broker round trip, so the longest run sets a poll's duration.
     *
     * <p>The window bounds the search when there are fewer keys than {@code maxRows}. A window without a head moves
     * the search on to the next window, so no head hides behind blocked rows; one whose heads are all locked by other
     * relays moves it on at most {@value #LOOK_AHEAD_WINDOWS} windows further. The first window that yields rows is
     * the answer, and heads beyond it wait until its rows are published.
     *
     * <p>The chosen rows are then locked ({@code PESSIMISTIC_WRITE}, skipping locked rows, keeping those still
     * {@code PENDING}) and each key keeps the prefix of its run that was locked and is still due: a key whose head
     * another relay holds or has claimed since drops out of this claim.
     */
    private static List<ClaimedRow> heads(EntityManager em, int maxRows, Instant now, ClaimScope scope) {
        int window = Math.max(MIN_WINDOW, WINDOW_FACTOR * maxRows);
        OffsetDateTime due = utc(now);
        Set<String> blocked = new HashSet<>(); // keys with an open row in an earlier window
        long after = Long.MIN_VALUE;
        long until = Long.MAX_VALUE; // bounded once other relays turn out to hold this claim's heads
        while (true) {
            List<Object[]> pending = pendingAfter(em, after, until, blocked, window, scope);
            if (pending.isEmpty()) {
                return List.of();
            }
            // Read after the window, never before: a head claimed (marked) in between is then either still PENDING
            // in the window, where the lock refuses it, or PROCESSING here, which blocks its key's later rows.
            Map<String, Long> claimed = claimedKeys(em);
            Set<String> seen = new HashSet<>();
            List<Object[]> candidates = new ArrayList<>(); // the window's heads, oldest first
            for (Object[] r : pending) {
                String key = (String) r[2];
                if (seen.add(key) && !blocked.contains(key) && isDue(r, due)) {
                    Long claimedFrom = claimed.get(key);
                    if (claimedFrom == null || claimedFrom > (Long) r[1]) {
                        candidates.add(r);
                    }
                }
            }
            // Heads are tried oldest first, as many as the claim has room for; those another relay's open batch
            // holds drop out, and the room they leave goes to the window's next heads.
            List<ClaimedRow> rows = new ArrayList<>();
            int next = 0;
            while (rows.size() < maxRows && next < candidates.size()) {
                int take = Math.min(maxRows - rows.size(), candidates.size() - next);
                List<Object[]> heads = candidates.subList(next, next + take);
                next += take;
                rows.addAll(lockedPrefixes(em, pending, runs(pending, heads, maxRows - rows.size(), due), now, scope));
            }
            if (!rows.isEmpty()) {
                return rows;
            }
            long last = (Long) pending.get(pending.size() - 1)[1];
            if (!candidates.isEmpty() && until == Long.MAX_VALUE) {
                // Every head is held by another relay's open batch, or was finished since the window was read. Those
                // relays are at work and free the keys when their batches end: look a little further for keys nobody
                // holds, not through the whole backlog (each relay polling a backlog that another one holds would
                // otherwise scan all of it on every poll).
                until = last + (long) LOOK_AHEAD_WINDOWS * window;
            }
            if (pending.size() < window || last >= until) {
                return List.of();
            }
            blocked.addAll(seen);
            after = last;
        }
    }

    /**
     * The strict claim of a relay that holds lanes, in one statement: lock the oldest {@code maxRows} pending rows of
     * its lanes ({@code PESSIMISTIC_WRITE} with a row limit, waiting for a lock rather than skipping the row), then
     * keep each key's rows from its first one on while they are due, leaving out keys with a claimed
     * ({@code PROCESSING}) row before them, read after the lock as in {@link #heads}. The window walk of
     * {@link #heads} takes over when every locked row waits behind a row that is not due yet.
     *
     * <p>Why one statement is enough here: no other relay claims rows of these lanes (it would need to hold them, and
     * the lanes are locked by this transaction), so every pending row of the lanes older than the locked ones is one
     * of them, and a key's first locked row is its head. The lock waits instead of skipping, because a relay that
     * does not use lanes (an older version during a rolling upgrade) may hold a key's earlier row: skipping it would
     * make the key's next row look like its head; waiting lets that batch end first, and the database then reads the
     * row's committed state (gone, or no longer {@code PENDING}). Saves the window read of {@link #heads}: one
     * statement and one pass over the rows fewer per batch.
     */
    private static List<ClaimedRow> laneHeads(EntityManager em, int maxRows, Instant now, ClaimScope scope) {
        List<ClaimedRow> locked = claimed(em.createQuery(CLAIMED_COLUMNS + " where e.status = " + PENDING
                + scope.where() + " order by e.seq", Object[].class).setMaxResults(maxRows)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList());
        if (locked.isEmpty()) {
            return List.of();
        }
        Map<String, Long> claimedFrom = claimedKeys(em);
        Set<String> stopped = new HashSet<>();
        List<ClaimedRow> rows = new ArrayList<>(locked.size());
        for (ClaimedRow row : locked) {
            String key = row.partitionKey();
            if (stopped.contains(key)) {
                continue;
            }
            Long claimed = claimedFrom.get(key);
            if ((claimed != null && claimed < row.seq()) || row.nextAttemptAt().isAfter(now)) {
                stopped.add(key); // its later rows wait behind a claimed row, or behind this one's retry
                continue;
            }
            rows.add(row);
        }
        return rows.isEmpty() && locked.size() == maxRows ? heads(em, maxRows, now, scope) : rows;
    }

    /** @return the keys that have a claimed ({@code PROCESSING}) row, each with its lowest claimed {@code seq} */
    private static Map<String, Long> claimedKeys(EntityManager em) {
        Map<String, Long> claimed = new HashMap<>();
        for (Object[] k : em.createQuery(CLAIMED_KEYS, Object[].class).getResultList()) {
            claimed.put((String) k[0], (Long) k[1]);
        }
        return claimed;
    }

    /**
     * The next window: pending rows after {@code after} (and up to {@code until}), in {@code seq} order. Rows of keys
     * blocked in earlier windows are left out in the statement (when there are not too many of them for one parameter
     * list), so that a backlog whose oldest rows all belong to blocked keys (behind a retry, or held by other relays)
     * is skipped in one scan instead of window after window.
     */
    private static List<Object[]> pendingAfter(EntityManager em, long after, long until, Set<String> blocked,
            int window, ClaimScope scope) {
        boolean bounded = until != Long.MAX_VALUE;
        boolean except = !blocked.isEmpty() && blocked.size() <= IN_CHUNK;
        var query = em.createQuery(PENDING_AFTER + (bounded ? " and e.seq <= :until" : "")
                + (except ? " and e.partitionKey not in :blocked" : "") + scope.where() + " order by e.seq",
                Object[].class).setParameter("after", after);
        if (bounded) {
            query.setParameter("until", until);
        }
        if (except) {
            query.setParameter("blocked", blocked);
        }
        return query.setMaxResults(window).getResultList();
    }

    /**
     * The runs to claim: each head's key with its next due rows of the window ({@code id, seq, partitionKey,
     * nextAttemptAt}, in {@code seq} order), breadth-first across keys, {@code maxRows} rows in all; by key in head
     * order.
     */
    private static Map<String, List<String>> runs(List<Object[]> pending, List<Object[]> heads, int maxRows,
            OffsetDateTime due) {
        Map<String, List<String>> runs = new LinkedHashMap<>();
        Map<String, Long> headSeqs = new HashMap<>();
        for (Object[] h : heads) {
            runs.put((String) h[2], new ArrayList<>(List.of((String) h[0])));
            headSeqs.put((String) h[2], (Long) h[1]);
        }
        int chosen = runs.size();
        Set<String> stopped = new HashSet<>();
        for (Object[] r : pending) {
            if (chosen == maxRows) {
                break;
            }
            String key = (String) r[2];
            Long headSeq = headSeqs.get(key);
            if (headSeq == null || (Long) r[1] <= headSeq || stopped.contains(key)) {
                continue;
            }
            if (isDue(r, due)) {
                runs.get(key).add((String) r[0]);
                chosen++;
            } else {
                stopped.add(key); // its later rows wait behind this one
            }
        }
        return runs;
    }

    private static boolean isDue(Object[] pendingRow, OffsetDateTime due) {
        return !((OffsetDateTime) pendingRow[3]).isAfter(due);
    }

    /**
     * Locks the runs' rows and keeps, for each key, the prefix of its run that was locked, still pending and due.
     *
     * <p>When the chosen rows make up most of the window's rows between the first and the last of them (the usual
     * case: many keys, each run a stretch of consecutive rows), they are locked as that {@code seq} range, one
     * statement that walks the pending index, instead of by id (a parameter per row, in chunks). The range's other
     * rows are then locked too, until the batch ends: rows of keys this claim could not take now, which other relays
     * could not take either.
     */
    private static List<ClaimedRow> lockedPrefixes(EntityManager em, List<Object[]> pending,
            Map<String, List<String>> runs, Instant now, ClaimScope scope) {
        Set<String> ids = new HashSet<>();
        runs.values().forEach(ids::addAll);
        int first = -1;
        int last = -1;
        for (int i = 0; i < pending.size(); i++) {
            if (ids.contains((String) pending.get(i)[0])) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        int inRange = last - first + 1; // the window is in seq order
        List<ClaimedRow> lockedRows = inRange <= ids.size() + ids.size() / 4
                ? lockRange(em, (Long) pending.get(first)[1], (Long) pending.get(last)[1], scope)
                : lock(em, LOCK_PENDING, List.copyOf(ids));
        Map<String, ClaimedRow> locked = new HashMap<>();
        for (ClaimedRow row : lockedRows) {
            locked.put(row.id(), row);
        }
        List<ClaimedRow> claimed = new ArrayList<>(ids.size());
        for (List<String> run : runs.values()) {
            for (String id : run) {
                ClaimedRow row = locked.get(id);
                if (row == null || row.nextAttemptAt().isAfter(now)) {
                    break;
                }
                claimed.add(row);
            }
        }
        return claimed;
    }

    /** Locks the pending rows of a {@code seq} range ({@code PESSIMISTIC_WRITE}, skipping locked ones). */
    private static List<ClaimedRow> lockRange(EntityManager em, long from, long to, ClaimScope scope) {
        return claimed(em.createQuery(LOCK_PENDING_RANGE + scope.where() + " order by e.seq",
                Object[].class).setParameter("from", from)
                .setParameter("to", to).setLockMode(LockModeType.PESSIMISTIC_WRITE).setHint(LOCK_TIMEOUT, SKIP_LOCKED)
                .getResultList());
    }

    private static List<ClaimedRow> claimed(List<Object[]> rows) {
        List<ClaimedRow> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(ClaimedRow.of(r));
        }
        return out;
    }

    /** The first column of each result row: the ids of {@code select e.id, e.seq ...}. */
    private static List<String> ids(List<Object[]> rows) {
        List<String> ids = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            ids.add((String) r[0]);
        }
        return ids;
    }

    /**
     * Locks the rows with these ids ({@code PESSIMISTIC_WRITE}, skipping locked ones), in {@code seq} order.
     *
     * @param query the claim's projection up to {@code ... and e.id in }
     */
    private static List<ClaimedRow> lock(EntityManager em, String query, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<ClaimedRow> rows = new ArrayList<>(ids.size());
        for (List<String> chunk : IdList.chunks(ids)) {
            rows.addAll(claimed(IdList.bind(em.createQuery(query + IdList.placeholders(chunk) + " order by e.seq",
                    Object[].class), chunk).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .setHint(LOCK_TIMEOUT, SKIP_LOCKED).getResultList()));
        }
        if (rows.size() > 1) {
            rows.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        }
        return rows;
    }

    /** Rows grouped by partition key (keys in order of their first row), each key's rows in {@code seq} order. */
    private static List<OutboxRow> grouped(List<ClaimedRow> rows) {
        Map<String, List<ClaimedRow>> byKey = new LinkedHashMap<>();
        for (ClaimedRow row : rows) {
            byKey.computeIfAbsent(row.partitionKey(), k -> new ArrayList<>()).add(row);
        }
        List<OutboxRow> out = new ArrayList<>(rows.size());
        for (List<ClaimedRow> run : byKey.values()) {
            run.sort((a, b) -> Long.compare(a.seq(), b.seq()));
            for (ClaimedRow row : run) {
                out.add(row.toOutboxRow());
            }
        }
        return out;
    }

    void markPublished(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Instant now = now();
        inTransaction(em -> markPublished(em, List.copyOf(ids), now, null, null));
    }

    /*
     * The outcome of a batch's published rows, once per batch, is written in SQL rather than JPQL: Hibernate caches
     * its translation of queries but not of JPQL updates and deletes, which it translates anew on every run. These are
     * a plain UPDATE and DELETE by primary key of the table the shipped DDL creates, as every database runs them; the
     * statuses are the literals of the DDL's check constraint and partial indexes.
     */
    private static final String OPEN_SQL = "('PENDING', 'PROCESSING')";

    /** Deletes open rows (published ones, when no history is kept). */
    static void deleteOpen(EntityManager em, List<String> ids) {
        for (List<String> chunk : IdList.chunks(ids)) {
            IdList.bindPositional(em.createNativeQuery("delete from " + OutboxEventEntity.TABLE + " where status in "
                    + OPEN_SQL + " and id in " + IdList.positional(chunk, 1)), chunk, 1).executeUpdate();
        }
    }

    /** Marks open rows published; with a relay id, also records who claimed them and when (held batches). */
    static int markPublished(EntityManager em, List<String> ids, Instant now, String relayId, Instant claimedAt) {
        int marked = 0;
        int first = relayId == null ? 2 : 4;
        for (List<String> chunk : IdList.chunks(ids)) {
            var update = IdList.bindPositional(em.createNativeQuery("update " + OutboxEventEntity.TABLE
                    + " set status = 'PUBLISHED', published_at = ?1, updated_at = ?1,"
                    + (relayId == null ? "" : " claimed_by = ?2, claimed_at = ?3,")
                    + " version = version + 1 where status in " + OPEN_SQL + " and id in "
                    + IdList.positional(chunk, first)), chunk, first).setParameter(1, utc(now));
            if (relayId != null) {
                update.setParameter(2, relayId).setParameter(3, utc(claimedAt));
            }
            marked += update.executeUpdate();
        }
        return marked;
    }

    void release(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Instant now = now();
        inTransaction(em -> {
            for (List<String> chunk : IdList.chunks(List.copyOf(ids))) {
                IdList.bind(em.createQuery("update " + E + " e set e.status = " + PENDING + ", e.claimedBy = null,"
                        + " e.claimedAt = null, e.updatedAt = :now, e.version = e.version + 1"
                        + " where e.status = " + PROCESSING + " and e.id in " + IdList.placeholders(chunk)), chunk)
                        .setParameter("now", utc(now)).executeUpdate();
            }
            return null;
        });
    }

    void retryLater(String id, int attempts, Instant nextAttemptAt, String lastError) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Instant now = now();
        inTransaction(em -> retryLater(em, id, attempts, nextAttemptAt, lastError, now, PROCESSING));
    }

    /** Returns a row in the given status (a literal of {@link OutboxStatus} or a list of them) to {@code PENDING}. */
    static int retryLater(EntityManager em, String id, int attempts, Instant nextAttemptAt, String lastError,
            Instant now, String inStatus) {
        return em.createQuery("update " + E + " e set e.status = " + PENDING + ", e.attempts = :attempts,"
                + " e.nextAttemptAt = :next, e.lastError = :error, e.claimedBy = null, e.claimedAt = null,"
                + " e.updatedAt = :now, e.version = e.version + 1 where e.id = :id and e.status"
                + (inStatus.startsWith("(") ? " in " : " = ") + inStatus)
                .setParameter("attempts", attempts)
                .setParameter("next", utc(nextAttemptAt.truncatedTo(ChronoUnit.MICROS)))
                .setParameter("error", cleanError(lastError)).setParameter("now", utc(now)).setParameter("id", id)
                .executeUpdate();
    }

    void markFailed(String id, int attempts, String lastError) {
        finish(id, OutboxStatus.FAILED, attempts, lastError);
    }

    void markInvalid(String id, String lastError) {
        finish(id, OutboxStatus.INVALID, null, lastError);
    }

    private void finish(String id, OutboxStatus status, Integer attempts, String lastError) {
        Objects.requireNonNull(id, "id");
        Instant now = now();
        inTransaction(em -> finish(em, id, status, attempts, lastError, now));
    }

    /** Marks an open row finished ({@code FAILED} with its attempts, or {@code INVALID}). */
    static int finish(EntityManager em, String id, OutboxStatus status, Integer attempts, String lastError,
            Instant now) {
        var update = em.createQuery("update " + E + " e set e.status = :status,"
                + (attempts == null ? "" : " e.attempts = :attempts,")
                + " e.lastError = :error, e.updatedAt = :now, e.version = e.version + 1"
                + " where e.id = :id and e.status in " + OPEN)
                .setParameter("status", status).setParameter("error", cleanError(lastError))
                .setParameter("now", utc(now)).setParameter("id", id);
        if (attempts != null) {
            update.setParameter("attempts", attempts);
        }
        return update.executeUpdate();
    }

    @Override
    public int reclaimStuck(Instant claimedBefore) {
        Objects.requireNonNull(claimedBefore, "claimedBefore");
        Instant now = now();
        return inTransaction(em -> em.createQuery("update " + E + " e set e.status = " + PENDING + ","
                + " e.claimedBy = null, e.claimedAt = null, e.updatedAt = :now, e.version = e.version + 1"
                + " where e.status = " + PROCESSING + " and e.claimedAt < :before")
                .setParameter("now", utc(now)).setParameter("before", utc(claimedBefore))
                .executeUpdate());
    }

    @Override
    public OutboxBacklog backlog() {
        return read(em -> {
            Object[] r = em.createQuery("select count(e), min(e.createdAt) from " + E + " e where e.status in " + OPEN,
                    Object[].class).getSingleResult();
            long count = ((Number) r[0]).longValue();
            return count == 0 ? OutboxBacklog.EMPTY
                    : new OutboxBacklog(count, Optional.ofNullable(OutboxEventEntity.instant((OffsetDateTime) r[1])));
        });
    }

    /** One indexed row at most (the partial index of open rows), however long the backlog: no count. */
    @Override
    public boolean hasAnyUnpublished() {
        return read(em -> !em.createQuery(ANY_UNPUBLISHED, String.class).setMaxResults(1).getResultList().isEmpty());
    }

    @Override
    public boolean hasUnpublished(String partitionKey) {
        Objects.requireNonNull(partitionKey, "partitionKey");
        return read(em -> !em.createQuery(HAS_UNPUBLISHED, String.class).setParameter("key", partitionKey)
                .setMaxResults(1).getResultList().isEmpty());
    }

    /**
     * The lookup with a query timeout ({@code jakarta.persistence.query.timeout}): the timeout in whole seconds,
     * rounded down (JDBC counts query timeouts in seconds, and a provider rounds a hint in milliseconds to them), at
     * least one second (0 would mean none). A query cancelled at its timeout (reported by the provider as a
     * {@link QueryTimeoutException}, or by the driver as a {@link SQLTimeoutException} or SQLSTATE
     * {@value #QUERY_CANCELED}) is reported as given up on: a {@link QueryTimeoutException} whose cause is a
     * {@link TimeoutException}. Any other failure (the database unreachable, say) is thrown as it is. The timeout
     * bounds the query, not the wait for a connection from the pool.
     */
    @Override
    public boolean hasUnpublished(String partitionKey, Duration timeout) {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(timeout, "timeout");
        int timeoutMs = queryTimeoutMillis(timeout);
        try {
            return read(em -> !em.createQuery(HAS_UNPUBLISHED, String.class).setParameter("key", partitionKey)
                    .setHint(QUERY_TIMEOUT, timeoutMs).setMaxResults(1).getResultList().isEmpty());
        } catch (RuntimeException e) {
            if (timedOut(e)) {
                TimeoutException gaveUp = new TimeoutException("the backlog lookup of a partition key took longer "
                        + "than its query timeout of " + timeoutMs + " ms");
                gaveUp.initCause(e);
                throw new QueryTimeoutException(gaveUp.getMessage(), gaveUp);
            }
            throw e;
        }
    }

    /** Whether a failed query was cancelled at its query timeout, as the provider or the driver reports it. */
    private static boolean timedOut(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t instanceof QueryTimeoutException || t instanceof SQLTimeoutException
                    || (t instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** A query timeout JDBC can express: whole seconds, rounded down, at least one; in milliseconds for the hint. */
    static int queryTimeoutMillis(Duration timeout) {
        long seconds = Math.min(Math.max(1, timeout.toSeconds()), Integer.MAX_VALUE / 1000);
        return (int) seconds * 1000;
    }

    @Override
    public int purgePublished(Instant publishedBefore) {
        Objects.requireNonNull(publishedBefore, "publishedBefore");
        return inTransaction(em -> em.createQuery("delete from " + E + " e where e.status = " + PUBLISHED
                + " and e.publishedAt < :before").setParameter("before", utc(publishedBefore)).executeUpdate());
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        return unitOfWork.inOwnTransaction(work);
    }

    private <T> T read(Function<EntityManager, T> work) {
        EntityManager em = unitOfWork.factory().createEntityManager();
        try {
            return work.apply(em);
        } finally {
            em.close();
        }
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Credentials masked, NUL characters (which PostgreSQL text refuses) replaced, at most 1024 characters. */
    static String cleanError(String error) {
        if (error == null) {
            return null;
        }
        String clean = Sanitizer.sanitize(error).replace('\0', '?');
        int max = OutboxEventEntity.MAX_ERROR_LENGTH;
        if (clean.length() > max) {
            int end = Character.isHighSurrogate(clean.charAt(max - 1)) ? max - 1 : max;
            clean = clean.substring(0, end);
        }
        return clean;
    }

    /** A concurrent relay claimed a selected row first; the claim is rolled back. */
    private static final class ClaimLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClaimLost() {
            super(null, null, false, false);
        }
    }
}
