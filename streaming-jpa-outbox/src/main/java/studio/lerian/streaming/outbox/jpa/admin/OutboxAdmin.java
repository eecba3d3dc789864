package studio.lerian.streaming.outbox.jpa.admin;

import static studio.lerian.streaming.outbox.jpa.OutboxEventEntity.utc;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import studio.lerian.streaming.internal.LogLine;
import studio.lerian.streaming.internal.Sanitizer;
import studio.lerian.streaming.outbox.jpa.OutboxEventEntity;
import studio.lerian.streaming.outbox.jpa.OutboxLaneEntity;
import studio.lerian.streaming.outbox.jpa.OutboxStatus;
import studio.lerian.streaming.outbox.jpa.OutboxTransactions;
import studio.lerian.streaming.outbox.jpa.internal.UnitOfWork;
import studio.lerian.streaming.wire.Lanes;

/**
 * Operating the outbox table: how many rows are in each state, which rows failed and why, returning failed rows to
 * the relay, and deleting finished rows. Every operation names its operator and writes one audit line to the
 * {@code studio.lerian.streaming} logger: {@code INFO} for the operations that change rows and for {@link #problems}
 * (it shows rows' keys and errors), {@code DEBUG} for {@link #counts} (numbers only, and dashboards poll it); a failed
 * operation logs a {@code WARNING} with what it had done so far.
 *
 * <p>In a CDI application the outbox's extension registers this class as an {@code @ApplicationScoped} bean over the
 * application's {@code @StreamingOutbox} persistence unit: {@code @Inject OutboxAdmin admin;}. Without CDI, build one
 * from the persistence unit. Each changing step runs in a transaction of its own, as the relay's do (a JTA unit
 * through {@code java:comp/UserTransaction}, a resource-local one through its {@code EntityTransaction}); never in
 * the caller's transaction. Reads run without a transaction.
 *
 * <p>Large selections are worked through {@value #CHUNK} rows per transaction, in {@code seq} order: an operation cut
 * short by a failure keeps the chunks it committed, and its audit line says how far it got.
 */
public class OutboxAdmin {

    private static final System.Logger LOG = System.getLogger("studio.lerian.streaming");
    private static final String E = OutboxEventEntity.ENTITY_NAME;
    private static final String LANE = OutboxLaneEntity.ENTITY_NAME;
    /** Rows per transaction for requeue and purge. */
    static final int CHUNK = 500;
    private static final String S = OutboxStatus.class.getName() + ".";
    private static final String OPEN = "(" + S + "PENDING, " + S + "PROCESSING)";
    private static final String AHEAD = "(" + S + "PUBLISHED, " + S + "PROCESSING)";

    private final UnitOfWork unitOfWork;
    private final Clock clock;

    /**
     * An admin over the persistence unit that holds the outbox table, on the system clock.
     *
     * @param factory the persistence unit; must not be {@code null}
     */
    public OutboxAdmin(EntityManagerFactory factory) {
        this(factory, Clock.systemUTC());
    }

    /**
     * @param factory the persistence unit; must not be {@code null}
     * @param clock the clock of ages, due times and the purge's cut-off; must not be {@code null}
     */
    public OutboxAdmin(EntityManagerFactory factory, Clock clock) {
        this(factory, clock, OutboxTransactions.lookup());
    }

    /**
     * An admin that runs its transactions with the given container objects (Quarkus: its Narayana beans), for a
     * container without {@code java:comp}.
     *
     * @param factory the persistence unit; must not be {@code null}
     * @param clock the clock of ages, due times and the purge's cut-off; must not be {@code null}
     * @param transactions where the JTA transactions are found; must not be {@code null}
     */
    public OutboxAdmin(EntityManagerFactory factory, Clock clock, OutboxTransactions transactions) {
        this.unitOfWork = new UnitOfWork(Objects.requireNonNull(factory, "factory"),
                Objects.requireNonNull(transactions, "transactions").jta());
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** For the CDI container's client proxy of the {@code @ApplicationScoped} bean; not for use. */
    protected OutboxAdmin() {
        this.unitOfWork = null;
        this.clock = null;
    }

    // ---- counts ----

    /**
     * Rows by status, by topic and status, and the age of each status's oldest row: one aggregate query over the
     * table (a full scan; its cost grows with the published history kept). Audited at {@code DEBUG}.
     *
     * @param operator who asks; not blank
     * @return the counts
     * @throws studio.lerian.streaming.StreamingException {@code INVALID_ADMIN_REQUEST} without an operator
     */
    public OutboxCounts counts(String operator) {
        String who = operator(operator);
        Instant now = now();
        return audited(Level.DEBUG, "counts", who, LogLine.of(""), () -> read(em -> {
            Map<OutboxStatus, Long> byStatus = new EnumMap<>(OutboxStatus.class);
            Map<String, Map<OutboxStatus, Long>> byTopic = new TreeMap<>();
            Map<OutboxStatus, Instant> oldest = new EnumMap<>(OutboxStatus.class);
            for (Object[] r : em.createQuery("select e.status, e.topic, count(e), min(e.createdAt) from " + E
                    + " e group by e.status, e.topic", Object[].class).getResultList()) {
                OutboxStatus status = (OutboxStatus) r[0];
                long n = ((Number) r[2]).longValue();
                Instant created = instant(r[3]);
                byStatus.merge(status, n, Long::sum);
                byTopic.computeIfAbsent((String) r[1], t -> new EnumMap<>(OutboxStatus.class)).put(status, n);
                if (created != null) {
                    oldest.merge(status, created, (a, b) -> a.isBefore(b) ? a : b);
                }
            }
            Map<OutboxStatus, Duration> ages = new EnumMap<>(OutboxStatus.class);
            oldest.forEach((status, created) -> ages.put(status,
                    created.isAfter(now) ? Duration.ZERO : Duration.between(created, now)));
            Map<String, Map<OutboxStatus, Long>> topics = new TreeMap<>();
            byTopic.forEach((t, m) -> topics.put(t, Map.copyOf(m)));
            return new OutboxCounts(now, byStatus, topics, ages);
        }), counts -> LogLine.of("").field("rows", counts.total())
                .field("pending", counts.count(OutboxStatus.PENDING))
                .field("processing", counts.count(OutboxStatus.PROCESSING))
                .field("published", counts.count(OutboxStatus.PUBLISHED))
                .field("failed", counts.count(OutboxStatus.FAILED))
                .field("invalid", counts.count(OutboxStatus.INVALID)));
    }

    // ---- problems ----

    /**
     * One page of {@code FAILED} and/or {@code INVALID} rows, in {@code seq} order after the query's cursor, without
     * their envelopes. Audited at {@code INFO}.
     *
     * @param operator who asks; not blank
     * @param query which rows, and the page
     * @return the page, and the cursor of the next one
     * @throws studio.lerian.streaming.StreamingException {@code INVALID_ADMIN_REQUEST} without an operator
     */
    public ProblemPage problems(String operator, ProblemQuery query) {
        String who = operator(operator);
        Objects.requireNonNull(query, "query");
        LogLine selection = LogLine.of("").field("statuses", names(query.statuses()));
        present(selection, "topic", query.topic()).field("after_seq", query.afterSeq()).field("limit", query.limit());
        return audited(Level.INFO, "problems", who, selection, () -> read(em -> {
            TypedQuery<Object[]> q = em.createQuery("select e.id, e.seq, e.topic, e.partitionKey, e.status,"
                    + " e.attempts, e.lastError, e.createdAt, e.updatedAt from " + E + " e where e.status in :statuses"
                    + " and e.seq > :after" + (query.topic() == null ? "" : " and e.topic = :topic")
                    + " order by e.seq", Object[].class).setParameter("statuses", List.copyOf(query.statuses()))
                    .setParameter("after", query.afterSeq()).setMaxResults(query.limit() + 1);
            if (query.topic() != null) {
                q.setParameter("topic", query.topic());
            }
            List<ProblemRow> rows = new ArrayList<>();
            for (Object[] r : q.getResultList()) {
                rows.add(new ProblemRow((String) r[0], ((Number) r[1]).longValue(), (String) r[2], (String) r[3],
                        (OutboxStatus) r[4], ((Number) r[5]).intValue(), (String) r[6], instant(r[7]),
                        instant(r[8])));
            }
            boolean more = rows.size() > query.limit();
            if (more) {
                rows = rows.subList(0, query.limit());
            }
            return new ProblemPage(rows, more ? rows.get(rows.size() - 1).seq() : null);
        }), page -> present(LogLine.of("").field("rows", page.rows().size()), "next_after_seq",
                page.nextAfterSeq()));
    }

    // ---- requeue ----

    /**
     * Returns the selected finished rows to the relay: each becomes {@code PENDING}, due now, with no attempts and no
     * claim, its {@code seq} and key hash kept, and its {@code last_error} prefixed with
     * {@code requeued by <operator> at <time>:}. Audited at {@code INFO}.
     *
     * <p><b>Order.</b> A requeued row keeps its place ({@code seq}) in its key's order: it goes ahead of the key's
     * newer {@code PENDING} rows, which the relay then publishes after it, in order. But when its key already has a
     * newer row that is {@code PUBLISHED} or {@code PROCESSING}, the relay would publish the requeued row after that
     * newer one: consumers would see the key's events out of order. Such a row is <em>skipped</em> and reported with
     * the newer row's id, unless the selection {@linkplain RequeueSelection.Builder#allowOutOfOrder allows it}, in
     * which case it is requeued and counted in {@link RequeueResult#outOfOrder()}. The rule sees only the rows in the
     * table: a published row already deleted (retention, purge) and an event of the key published directly after the
     * row failed leave no trace (see {@code docs/outbox-operations.md}).
     *
     * <p><b>Running relays.</b> In each chunk's transaction, before it looks for newer rows, the requeue locks the
     * lanes ({@code lerian_streaming_outbox_lane}) of the chunk's keys, which a relay that holds lanes keeps locked
     * from its claim until its batch's outcomes commit; then the chunk's rows; then the open rows of their keys, which
     * a relay without lanes keeps locked while it publishes them. So the check cannot run while a batch of one of
     * those keys is open (it waits for the batch to end), and no relay claims a newer row of those keys until the
     * requeue commits, after which the requeued row is its key's first open row. A table without lane rows (no relay
     * ever used lanes) has no lane to lock.
     *
     * @param operator who asks; not blank
     * @param selection which rows
     * @return how many rows were requeued, how many of them out of order, and those skipped
     * @throws studio.lerian.streaming.StreamingException {@code INVALID_ADMIN_REQUEST} without an operator
     */
    public RequeueResult requeue(String operator, RequeueSelection selection) {
        String who = operator(operator);
        Objects.requireNonNull(selection, "selection");
        LogLine what = LogLine.of("");
        present(what, "ids", selection.ids() == null ? null : selection.ids().size());
        present(what, "topic", selection.topic());
        present(what, "created_from", selection.createdFrom());
        present(what, "created_to", selection.createdTo());
        what.field("statuses", names(selection.statuses())).field("allow_out_of_order", selection.allowOutOfOrder());
        Progress progress = new Progress();
        return audited(Level.INFO, "requeue", who, what, () -> {
            List<List<String>> idChunks = new ArrayList<>();
            if (selection.ids() == null) {
                idChunks.add(null);
            } else {
                List<String> ids = List.copyOf(selection.ids());
                for (int i = 0; i < ids.size(); i += CHUNK) {
                    idChunks.add(ids.subList(i, Math.min(ids.size(), i + CHUNK)));
                }
            }
            for (List<String> ids : idChunks) {
                long after = 0;
                while (true) {
                    long from = after;
                    Long last = unitOfWork.inOwnTransaction(em -> requeueChunk(em, who, selection, ids, from,
                            progress));
                    if (last == null) {
                        break;
                    }
                    after = last;
                }
            }
            return progress.result();
        }, r -> LogLine.of("").field("requeued", r.requeued()).field("skipped", r.skippedCount())
                .field("out_of_order", r.outOfOrder()), () -> progress.soFar());
    }

    /**
     * Requeues the next chunk of the selection after {@code after} (by {@code seq}).
     *
     * @return the chunk's last {@code seq}, or {@code null} when there was nothing left
     */
    private Long requeueChunk(EntityManager em, String operator, RequeueSelection selection, List<String> ids,
            long after, Progress progress) {
        String statuses = " and e.status in :statuses";
        StringBuilder where = new StringBuilder(" where e.seq > :after").append(statuses);
        if (ids != null) {
            where.append(" and e.id in :ids");
        }
        if (selection.topic() != null) {
            where.append(" and e.topic = :topic");
        }
        if (selection.createdFrom() != null) {
            where.append(" and e.createdAt >= :from");
        }
        if (selection.createdTo() != null) {
            where.append(" and e.createdAt < :to");
        }
        TypedQuery<Object[]> find = em.createQuery("select e.id, e.seq, e.partitionKey from " + E + " e" + where
                + " order by e.seq", Object[].class).setParameter("after", after)
                .setParameter("statuses", List.copyOf(selection.statuses())).setMaxResults(CHUNK);
        if (ids != null) {
            find.setParameter("ids", ids);
        }
        if (selection.topic() != null) {
            find.setParameter("topic", selection.topic());
        }
        if (selection.createdFrom() != null) {
            find.setParameter("from", utc(selection.createdFrom()));
        }
        if (selection.createdTo() != null) {
            find.setParameter("to", utc(selection.createdTo()));
        }
        List<Object[]> found = find.getResultList();
        if (found.isEmpty()) {
            return null;
        }
        long lastSeq = ((Number) found.get(found.size() - 1)[1]).longValue();
        Set<String> keys = new TreeSet<>();
        for (Object[] r : found) {
            keys.add((String) r[2]);
        }
        lockLanes(em, keys);
        // The chosen rows themselves, waiting for any other admin working on them, keeping those still selectable.
        List<Object[]> rows = em.createQuery("select e.id, e.seq, e.partitionKey from " + E + " e where e.id in :ids"
                + statuses + " order by e.seq", Object[].class)
                .setParameter("ids", found.stream().map(r -> (String) r[0]).toList())
                .setParameter("statuses", List.copyOf(selection.statuses()))
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        if (rows.isEmpty()) {
            return lastSeq;
        }
        List<String> rowKeys = rows.stream().map(r -> (String) r[2]).distinct().toList();
        // The keys' open rows: a relay without lanes holds those of its batch locked while it publishes them; waiting
        // here lets that batch end first, and holding them keeps any relay from claiming a newer row of the keys
        // before this transaction commits.
        em.createQuery("select e.id from " + E + " e where e.partitionKey in :keys and e.status in " + OPEN,
                String.class).setParameter("keys", rowKeys).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList();
        Map<String, Newer> newest = newestAhead(em, rowKeys);
        List<String> requeue = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            String id = (String) r[0];
            long seq = ((Number) r[1]).longValue();
            String key = (String) r[2];
            Newer newer = newest.get(key);
            if (newer != null && newer.seq > seq) {
                if (!selection.allowOutOfOrder()) {
                    progress.skip(new RequeueResult.Skipped(id, key, "a newer row of the key is "
                            + newer.status.name(), newer.id));
                    continue;
                }
                progress.outOfOrder++;
            }
            requeue.add(id);
        }
        if (!requeue.isEmpty()) {
            Instant now = now();
            String prefix = Sanitizer.sanitize("requeued by " + operator + " at " + now + ": ").replace('\0', '?');
            int updated = em.createQuery("update " + E + " e set e.status = " + S + "PENDING, e.attempts = 0,"
                    + " e.nextAttemptAt = :now, e.claimedBy = null, e.claimedAt = null, e.updatedAt = :now,"
                    + " e.lastError = substring(concat(:prefix, coalesce(e.lastError, '')), 1, "
                    + OutboxEventEntity.MAX_ERROR_LENGTH + "), e.version = e.version + 1"
                    + " where e.id in :ids" + statuses).setParameter("now", utc(now)).setParameter("prefix", prefix)
                    .setParameter("ids", requeue).setParameter("statuses", List.copyOf(selection.statuses()))
                    .executeUpdate();
            progress.requeued += updated;
        }
        return lastSeq;
    }

    /**
     * Locks the lane rows of these keys' lanes (lane = the key's hash modulo the table's lane count, as the relays
     * compute it, so a row still without a stored hash is covered too), in lane order, waiting for a relay's batch
     * that holds one. Nothing when the table has no lanes.
     */
    private static void lockLanes(EntityManager em, Set<String> keys) {
        int lanes = em.createQuery("select count(l) from " + LANE + " l", Long.class).getSingleResult().intValue();
        if (lanes == 0) {
            return;
        }
        Set<Integer> mine = new TreeSet<>();
        for (String key : keys) {
            mine.add(Lanes.lane(Lanes.keyHash(key), lanes));
        }
        em.createQuery("select l.lane from " + LANE + " l where l.lane in :lanes order by l.lane", Integer.class)
                .setParameter("lanes", List.copyOf(mine)).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
    }

    /** Per key, its newest row that is published or claimed (the row a requeued row must not go behind). */
    private static Map<String, Newer> newestAhead(EntityManager em, List<String> keys) {
        Map<Long, String> seqs = new HashMap<>();
        for (Object[] r : em.createQuery("select e.partitionKey, max(e.seq) from " + E + " e where e.partitionKey"
                + " in :keys and e.status in " + AHEAD + " group by e.partitionKey", Object[].class)
                .setParameter("keys", keys).getResultList()) {
            seqs.put(((Number) r[1]).longValue(), (String) r[0]);
        }
        Map<String, Newer> newest = new HashMap<>();
        if (seqs.isEmpty()) {
            return newest;
        }
        for (Object[] r : em.createQuery("select e.id, e.seq, e.status from " + E + " e where e.seq in :seqs",
                Object[].class).setParameter("seqs", List.copyOf(seqs.keySet())).getResultList()) {
            long seq = ((Number) r[1]).longValue();
            newest.put(seqs.get(seq), new Newer((String) r[0], seq, (OutboxStatus) r[2]));
        }
        return newest;
    }

    private record Newer(String id, long seq, OutboxStatus status) {
    }

    /** A requeue's counts so far, kept across its chunks. */
    private static final class Progress {
        long requeued;
        long outOfOrder;
        long skippedCount;
        final List<RequeueResult.Skipped> skipped = new ArrayList<>();

        void skip(RequeueResult.Skipped row) {
            skippedCount++;
            if (skipped.size() < RequeueResult.MAX_LISTED) {
                skipped.add(row);
            }
        }

        RequeueResult result() {
            return new RequeueResult(requeued, outOfOrder, skippedCount, skipped);
        }

        LogLine soFar() {
            return LogLine.of("").field("requeued", requeued).field("skipped", skippedCount)
                    .field("out_of_order", outOfOrder);
        }
    }

    // ---- purge ----

    /**
     * Deletes finished rows of the request's statuses that finished longer ago than its duration: {@code PUBLISHED}
     * rows by {@code published_at}, {@code FAILED} and {@code INVALID} rows by {@code updated_at}. Never an open row
     * ({@code PENDING}, {@code PROCESSING}); a row requeued meanwhile is open again and stays. Audited at {@code INFO}.
     *
     * @param operator who asks; not blank
     * @param request the statuses and the age
     * @return rows deleted per status
     * @throws studio.lerian.streaming.StreamingException {@code INVALID_ADMIN_REQUEST} without an operator
     */
    public PurgeResult purge(String operator, PurgeRequest request) {
        String who = operator(operator);
        Objects.requireNonNull(request, "request");
        Instant cutoff = now().minus(request.olderThan());
        LogLine what = LogLine.of("").field("older_than", request.olderThan()).field("before", cutoff)
                .field("statuses", names(request.statuses()));
        Map<OutboxStatus, Long> deleted = new EnumMap<>(OutboxStatus.class);
        return audited(Level.INFO, "purge", who, what, () -> {
            for (OutboxStatus status : new TreeSet<>(request.statuses())) {
                String finishedAt = status == OutboxStatus.PUBLISHED ? "e.publishedAt" : "e.updatedAt";
                String where = " where e.status = " + S + status.name() + " and " + finishedAt + " < :before";
                deleted.put(status, 0L);
                while (true) {
                    int n = unitOfWork.inOwnTransaction(em -> {
                        List<String> ids = em.createQuery("select e.id from " + E + " e" + where + " order by e.seq",
                                String.class).setParameter("before", utc(cutoff)).setMaxResults(CHUNK)
                                .getResultList();
                        return ids.isEmpty() ? 0 : em.createQuery("delete from " + E + " e" + where
                                + " and e.id in :ids").setParameter("before", utc(cutoff)).setParameter("ids", ids)
                                .executeUpdate();
                    });
                    deleted.merge(status, (long) n, Long::sum);
                    if (n == 0) {
                        break;
                    }
                }
            }
            return new PurgeResult(deleted);
        }, r -> deletedFields(r.deleted()), () -> deletedFields(deleted));
    }

    private static LogLine deletedFields(Map<OutboxStatus, Long> deleted) {
        LogLine line = LogLine.of("");
        for (OutboxStatus s : new TreeSet<>(deleted.keySet())) {
            line.field("deleted_" + s.name().toLowerCase(java.util.Locale.ROOT), deleted.get(s));
        }
        return line;
    }

    // ---- audit and plumbing ----

    private <T> T audited(Level level, String operation, String operator, LogLine selection,
            java.util.function.Supplier<T> work, Function<T, LogLine> outcome) {
        return audited(level, operation, operator, selection, work, outcome, () -> LogLine.of(""));
    }

    /**
     * Runs an operation and writes its audit line: the operation, the operator, the selection and the outcome, or,
     * when it fails, a {@code WARNING} with the selection, what was done before the failure, and the error.
     */
    private <T> T audited(Level level, String operation, String operator, LogLine selection,
            java.util.function.Supplier<T> work, Function<T, LogLine> outcome,
            java.util.function.Supplier<LogLine> soFar) {
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> "streaming: outbox admin " + operation + " failed operator="
                    + LogLine.value(operator) + selection + soFar.get() + LogLine.of("").field("error",
                            Sanitizer.describe(e)));
            throw e;
        }
        LOG.log(level, () -> "streaming: outbox admin " + operation + " operator=" + LogLine.value(operator)
                + selection + outcome.apply(result));
        return result;
    }

    /** Adds the field when it has a value: an audit line names only the criteria given. */
    private static LogLine present(LogLine line, String name, Object value) {
        return value == null ? line : line.field(name, value);
    }

    private static String operator(String operator) {
        if (operator == null || operator.isBlank()) {
            throw AdminRequests.invalid("an outbox admin operation must name its operator");
        }
        return operator;
    }

    private static String names(Set<OutboxStatus> statuses) {
        return new TreeSet<>(statuses).stream().map(Enum::name).collect(Collectors.joining(","));
    }

    private <T> T read(Function<EntityManager, T> work) {
        EntityManager em = unitOfWork.factory().createEntityManager();
        try {
            return work.apply(em);
        } finally {
            em.close();
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static Instant instant(Object time) {
        return time == null ? null : ((OffsetDateTime) time).toInstant();
    }
}
