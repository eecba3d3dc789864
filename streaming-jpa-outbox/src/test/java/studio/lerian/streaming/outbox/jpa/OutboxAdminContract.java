package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.outbox.jpa.admin.OutboxAdmin;
import studio.lerian.streaming.outbox.jpa.admin.OutboxCounts;
import studio.lerian.streaming.outbox.jpa.admin.ProblemPage;
import studio.lerian.streaming.outbox.jpa.admin.ProblemQuery;
import studio.lerian.streaming.outbox.jpa.admin.ProblemRow;
import studio.lerian.streaming.outbox.jpa.admin.PurgeRequest;
import studio.lerian.streaming.outbox.jpa.admin.PurgeResult;
import studio.lerian.streaming.outbox.jpa.admin.RequeueResult;
import studio.lerian.streaming.outbox.jpa.admin.RequeueSelection;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.wire.Lanes;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * Operating the outbox on a real database: counts, the failed rows, requeueing them without breaking a key's order
 * (also while a relay's batch of the key is open), purging finished rows, and the audit line of each operation.
 * Subclasses bring the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a requeue waiting for a lock fails, not hangs
abstract class OutboxAdminContract {

    static final Instant T0 = Instant.parse("2026-04-18T10:00:00Z");
    static final String CREATED = "created";
    static final String UPDATED = "updated";

    TestDatabase db;
    EntityManagerFactory emf;
    final TestClock clock = new TestClock(T0);
    JpaOutboxWriter writer;
    OutboxAdmin admin;
    final List<LogRecord> log = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (log) {
                log.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;

    abstract TestDatabase openDatabase();

    @BeforeAll
    void start() {
        db = openDatabase();
        db.createTables();
        emf = db.factory();
        writer = new JpaOutboxWriter(emf, () -> null, clock);
        admin = new OutboxAdmin(emf, clock);
    }

    @AfterAll
    void stop() throws Exception {
        if (emf != null) {
            emf.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        clock.set(T0);
        exec("DELETE FROM lerian_streaming_outbox");
        exec("DELETE FROM lerian_streaming_outbox_lane");
        exec("DELETE FROM lerian_streaming_outbox_relay");
        Logger logger = Logger.getLogger("studio.lerian.streaming");
        previousLevel = logger.getLevel();
        logger.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
        synchronized (log) {
            log.clear();
        }
    }

    @AfterEach
    void stopCapture() {
        Logger logger = Logger.getLogger("studio.lerian.streaming");
        logger.removeHandler(capture);
        logger.setLevel(previousLevel);
    }

    // ---- counts and problems ----

    @Test
    void countsRowsByStatusAndTopicWithTheAgeOfEachStatusOldestRow() throws SQLException {
        String a = write("k1", CREATED);
        clock.advance(Duration.ofMinutes(10));
        String b = write("k2", UPDATED);
        String c = write("k3", UPDATED);
        write("k4", CREATED);
        fail(a, "broker said no");
        fail(b, "broker said no");
        invalid(c, "unreadable envelope");
        clock.advance(Duration.ofMinutes(5));

        OutboxCounts counts = admin.counts("alice");

        assertEquals(Map.of(OutboxStatus.FAILED, 2L, OutboxStatus.INVALID, 1L, OutboxStatus.PENDING, 1L),
                counts.byStatus());
        assertEquals(Map.of(OutboxStatus.FAILED, 1L, OutboxStatus.PENDING, 1L), counts.byTopic().get(topic(CREATED)));
        assertEquals(Map.of(OutboxStatus.FAILED, 1L, OutboxStatus.INVALID, 1L), counts.byTopic().get(topic(UPDATED)));
        assertEquals(Duration.ofMinutes(15), counts.oldestAge().get(OutboxStatus.FAILED), "a, created first");
        assertEquals(Duration.ofMinutes(5), counts.oldestAge().get(OutboxStatus.PENDING));
        assertEquals(4, counts.total());
        assertEquals(clock.instant(), counts.at());
    }

    @Test
    void problemsArePagedInSeqOrderWithTheirErrorAndNeverTheirPayload() throws SQLException {
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = write("k" + i, i % 2 == 0 ? CREATED : UPDATED);
            fail(id, "error " + i);
            failed.add(id);
        }
        String invalid = write("k9", CREATED);
        invalid(invalid, "unreadable");
        write("k10", CREATED);

        ProblemPage first = admin.problems("alice", ProblemQuery.builder().limit(4).build());
        ProblemPage second = admin.problems("alice", ProblemQuery.builder().limit(4)
                .afterSeq(first.nextAfterSeq()).build());

        List<String> all = new ArrayList<>(failed);
        all.add(invalid);
        assertEquals(all.subList(0, 4), first.rows().stream().map(ProblemRow::id).toList());
        assertEquals(all.subList(4, 6), second.rows().stream().map(ProblemRow::id).toList());
        assertNull(second.nextAfterSeq(), "the last page says so");
        ProblemRow row = first.rows().get(1);
        assertEquals("k1", row.partitionKey());
        assertEquals(topic(UPDATED), row.topic());
        assertEquals(OutboxStatus.FAILED, row.status());
        assertEquals(7, row.attempts());
        assertEquals("error 1", row.lastError());
        assertEquals(T0, row.createdAt());
        assertTrue(List.of(ProblemRow.class.getRecordComponents()).stream()
                .noneMatch(c -> c.getName().contains("envelope") || c.getName().contains("payload")));

        assertEquals(List.of(invalid), admin.problems("alice", ProblemQuery.builder()
                .statuses(OutboxStatus.INVALID).build()).rows().stream().map(ProblemRow::id).toList());
        assertEquals(List.of(failed.get(1), failed.get(3)), admin.problems("alice", ProblemQuery.builder()
                .topic(topic(UPDATED)).build()).rows().stream().map(ProblemRow::id).toList());
    }

    // ---- requeue ----

    @Test
    void requeueByIdMakesTheRowPendingDueNowWithItsHistoryKept() throws SQLException {
        String a = write("k1", CREATED);
        String b = write("k2", CREATED);
        fail(a, "broker said no");
        fail(b, "broker said no");
        clock.advance(Duration.ofHours(1));

        RequeueResult result = admin.requeue("alice", RequeueSelection.builder().ids(a).build());

        assertEquals(1, result.requeued());
        assertEquals(0, result.skippedCount());
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT status, attempts,"
                + " next_attempt_at, claimed_by, claimed_at, last_error, key_hash, updated_at"
                + " FROM lerian_streaming_outbox WHERE id = ?")) {
            ps.setString(1, a);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("PENDING", rs.getString(1));
                assertEquals(0, rs.getInt(2));
                assertEquals(clock.instant(), rs.getObject(3, OffsetDateTime.class).toInstant());
                assertNull(rs.getString(4));
                assertNull(rs.getObject(5));
                assertEquals("requeued by alice at " + clock.instant() + ": broker said no", rs.getString(6));
                assertEquals(Lanes.keyHash("k1"), rs.getLong(7));
                assertEquals(clock.instant(), rs.getObject(8, OffsetDateTime.class).toInstant());
            }
        }
        assertEquals("FAILED", status(b), "not selected");
    }

    @Test
    void requeueByTopicAndTimeRangeTakesTheRowsMatchingBoth() throws SQLException {
        String early = write("k1", CREATED);
        clock.advance(Duration.ofMinutes(10));
        String inRange = write("k2", CREATED);
        String otherTopic = write("k3", UPDATED);
        clock.advance(Duration.ofMinutes(10));
        String late = write("k4", CREATED);
        for (String id : List.of(early, inRange, otherTopic, late)) {
            fail(id, "broker said no");
        }

        RequeueResult result = admin.requeue("alice", RequeueSelection.builder().topic(topic(CREATED))
                .createdBetween(T0.plus(Duration.ofMinutes(5)), T0.plus(Duration.ofMinutes(20))).build());

        assertEquals(1, result.requeued());
        assertEquals(List.of("FAILED", "PENDING", "FAILED", "FAILED"),
                List.of(status(early), status(inRange), status(otherTopic), status(late)));

        assertEquals(2, admin.requeue("alice", RequeueSelection.builder().topic(topic(CREATED)).build()).requeued(),
                "by topic alone: the two still failed");
        assertEquals("FAILED", status(otherTopic));
    }

    @Test
    void invalidRowsAreRequeuedOnlyWhenAskedFor() throws SQLException {
        String failed = write("k1", CREATED);
        String invalid = write("k2", CREATED);
        fail(failed, "broker said no");
        invalid(invalid, "unreadable");

        assertEquals(1, admin.requeue("alice", RequeueSelection.builder().ids(failed, invalid).build()).requeued());
        assertEquals("INVALID", status(invalid));

        assertEquals(1, admin.requeue("alice", RequeueSelection.builder().ids(invalid)
                .statuses(OutboxStatus.FAILED, OutboxStatus.INVALID).build()).requeued());
        assertEquals("PENDING", status(invalid));
    }

    @Test
    void rowWithANewerPublishedRowOfItsKeyIsSkippedUnlessOutOfOrderIsAllowed() throws SQLException {
        String old = write("k1", CREATED);
        String newer = write("k1", UPDATED);
        String otherKey = write("k2", CREATED);
        fail(old, "broker said no");
        fail(otherKey, "broker said no");
        set(newer, "PUBLISHED", "published_at");

        RequeueResult kept = admin.requeue("alice", RequeueSelection.builder().ids(old, otherKey).build());

        assertEquals(1, kept.requeued());
        assertEquals(1, kept.skippedCount());
        assertEquals(List.of(new RequeueResult.Skipped(old, "k1", "a newer row of the key is PUBLISHED", newer)),
                kept.skipped());
        assertEquals("FAILED", status(old));

        RequeueResult forced = admin.requeue("alice", RequeueSelection.builder().ids(old).allowOutOfOrder(true)
                .build());

        assertEquals(1, forced.requeued());
        assertEquals(1, forced.outOfOrder());
        assertEquals("PENDING", status(old));
    }

    @Test
    void rowWithANewerClaimedRowOfItsKeyIsSkippedToo() throws SQLException {
        String old = write("k1", CREATED);
        String newer = write("k1", UPDATED);
        fail(old, "broker said no");
        List<OutboxRow> claimed = new JpaOutboxStore(emf, clock).claim(10, true, "relay-1");
        assertEquals(List.of(newer), claimed.stream().map(OutboxRow::id).toList());

        RequeueResult result = admin.requeue("alice", RequeueSelection.builder().ids(old).build());

        assertEquals(0, result.requeued());
        assertEquals("a newer row of the key is PROCESSING", result.skipped().get(0).reason());
    }

    @Test
    void requeuedRowGoesAheadOfItsKeysPendingRowsAndIsClaimedFirst() throws SQLException {
        String first = write("k1", CREATED);
        fail(first, "broker said no");
        String second = write("k1", UPDATED);
        String third = write("k1", CREATED);

        assertEquals(1, admin.requeue("alice", RequeueSelection.builder().ids(first).build()).requeued());

        List<OutboxRow> claimed = new JpaOutboxStore(emf, clock).claim(10, true, "relay-1");
        assertEquals(List.of(first, second, third), claimed.stream().map(OutboxRow::id).toList());
    }

    @Test
    void requeueWorksThroughSelectionsLargerThanAChunk() throws SQLException {
        List<String> ids = insertFailedRows(1_203);

        RequeueResult result = admin.requeue("alice", RequeueSelection.builder().createdBetween(Instant.EPOCH, null)
                .build());

        assertEquals(1_203, result.requeued());
        assertEquals(1_203, db.count("SELECT count(*) FROM lerian_streaming_outbox WHERE status = 'PENDING'"));
        exec("UPDATE lerian_streaming_outbox SET status = 'FAILED'");
        assertEquals(1_203, admin.requeue("alice", RequeueSelection.builder().ids(ids).build()).requeued(),
                "by id, over several chunks of ids");
    }

    /**
     * A relay that holds lanes keeps its lanes locked from its claim until its batch's outcomes commit. A requeue of
     * an older failed row of a key in that batch waits for the batch, then sees its newer row published and skips.
     */
    @Test
    void requeueWaitsForAnOpenRelayBatchOfTheKeysLaneAndThenSeesItsOutcome() throws Exception {
        JpaOutboxStore relay = new JpaOutboxStore(emf, clock);
        relay.joinLanes("relay-1", 8, Duration.ofSeconds(30));
        requeueWaitsForTheBatch(relay);
    }

    /** A relay without lanes keeps the rows of its batch locked until it ends: the requeue waits all the same. */
    @Test
    void requeueWaitsForAnOpenRelayBatchOfTheKeyWithoutLanes() throws Exception {
        requeueWaitsForTheBatch(new JpaOutboxStore(emf, clock));
    }

    /**
     * The lane lock alone: the relay's open batch holds another key of the same lane, no row of the requeued key.
     * The requeue still waits, since a relay holding lanes claims with a statement that waits for row locks, and must
     * not claim a newer row of the key from a snapshot taken before the requeue commits.
     */
    @Test
    void requeueWaitsForAnOpenRelayBatchOfAnotherKeyOfTheSameLane() throws Exception {
        String key = "k1";
        int lane = Lanes.lane(Lanes.keyHash(key), 8);
        String neighbour = null;
        for (int i = 2; neighbour == null; i++) {
            if (Lanes.lane(Lanes.keyHash("k" + i), 8) == lane) {
                neighbour = "k" + i;
            }
        }
        String failed = write(key, CREATED);
        fail(failed, "broker said no");
        String other = write(neighbour, CREATED);
        JpaOutboxStore relay = new JpaOutboxStore(emf, clock);
        relay.joinLanes("relay-1", 8, Duration.ofSeconds(30));
        try (OutboxBatch batch = relay.claimBatch(10, true, true, "relay-1")) {
            assertEquals(List.of(other), batch.rows().stream().map(OutboxRow::id).toList());

            CompletableFuture<RequeueResult> requeue = CompletableFuture.supplyAsync(
                    () -> admin.requeue("alice", RequeueSelection.builder().ids(failed).build()));
            assertThrows(TimeoutException.class, () -> requeue.get(1, TimeUnit.SECONDS),
                    "the requeue must wait while a batch of the key's lane is open");

            batch.published(other);
            batch.commit();
            assertEquals(1, requeue.get(20, TimeUnit.SECONDS).requeued());
        }
        assertEquals("PENDING", status(failed));
    }

    private void requeueWaitsForTheBatch(JpaOutboxStore relay) throws Exception {
        String old = write("k1", CREATED);
        fail(old, "broker said no");
        String newer = write("k1", UPDATED);
        // Keeping published rows (the relay's default retention): a row deleted as it is published leaves no trace.
        try (OutboxBatch batch = relay.claimBatch(10, true, true, "relay-1")) {
            assertEquals(List.of(newer), batch.rows().stream().map(OutboxRow::id).toList());

            CompletableFuture<RequeueResult> requeue = CompletableFuture.supplyAsync(
                    () -> admin.requeue("alice", RequeueSelection.builder().ids(old).build()));
            assertThrows(TimeoutException.class, () -> requeue.get(1, TimeUnit.SECONDS),
                    "the requeue must wait while the batch holding the key is open");

            batch.published(newer);
            batch.commit();

            RequeueResult result = requeue.get(20, TimeUnit.SECONDS);
            assertEquals(0, result.requeued(), "the newer row went out meanwhile: the old one would follow it");
            assertEquals(newer, result.skipped().get(0).newerId());
        }
        assertEquals("FAILED", status(old));
    }

    // ---- purge ----

    @Test
    void purgeDeletesFinishedRowsOlderThanTheDurationAndNeverOpenOnes() throws SQLException {
        String published = write("k1", CREATED);
        String failed = write("k2", CREATED);
        String invalid = write("k3", CREATED);
        String pending = write("k4", CREATED);
        String processing = write("k5", CREATED);
        set(published, "PUBLISHED", "published_at");
        fail(failed, "broker said no");
        invalid(invalid, "unreadable");
        set(processing, "PROCESSING", "claimed_at");
        String recentPublished = write("k6", CREATED);
        String recentFailed = write("k7", CREATED);
        clock.advance(Duration.ofHours(2));
        set(recentPublished, "PUBLISHED", "published_at"); // created long ago, finished recently
        fail(recentFailed, "broker said no");
        clock.advance(Duration.ofMinutes(30));

        PurgeResult onlyFailed = admin.purge("alice", PurgeRequest.olderThan(Duration.ofHours(1),
                OutboxStatus.FAILED));
        assertEquals(Map.of(OutboxStatus.FAILED, 1L), onlyFailed.deleted());

        PurgeResult all = admin.purge("alice", PurgeRequest.olderThan(Duration.ofHours(1)));

        assertEquals(Map.of(OutboxStatus.PUBLISHED, 1L, OutboxStatus.FAILED, 0L, OutboxStatus.INVALID, 1L),
                all.deleted());
        assertEquals(List.of(pending, processing, recentPublished, recentFailed), remaining());
        assertEquals(2, all.total());
    }

    @Test
    void purgeWorksThroughMoreRowsThanAChunk() throws SQLException {
        insertFailedRows(1_203);
        clock.advance(Duration.ofDays(2));

        assertEquals(1_203, admin.purge("alice", PurgeRequest.olderThan(Duration.ofDays(1))).total());
        assertEquals(0, db.count("SELECT count(*) FROM lerian_streaming_outbox"));
    }

    // ---- refusals ----

    @Test
    void malformedRequestsAreRefusedAsTheCallersToCorrect() {
        List<Runnable> refused = List.of(
                () -> PurgeRequest.olderThan(Duration.ZERO),
                () -> PurgeRequest.olderThan(Duration.ofHours(-1)),
                () -> PurgeRequest.olderThan(Duration.ofHours(1), OutboxStatus.PENDING),
                () -> PurgeRequest.olderThan(Duration.ofHours(1), OutboxStatus.PROCESSING),
                () -> RequeueSelection.builder().build(),
                () -> RequeueSelection.builder().ids(List.of()).build(),
                () -> RequeueSelection.builder().topic("t").statuses(OutboxStatus.PUBLISHED).build(),
                () -> RequeueSelection.builder().createdBetween(T0, T0).build(),
                () -> ProblemQuery.builder().limit(ProblemQuery.MAX_LIMIT + 1).build(),
                () -> ProblemQuery.builder().limit(0).build(),
                () -> ProblemQuery.builder().statuses(OutboxStatus.PENDING).build(),
                () -> admin.counts(" "),
                () -> admin.purge(null, PurgeRequest.olderThan(Duration.ofHours(1))));
        for (Runnable request : refused) {
            StreamingException e = assertThrows(StreamingException.class, request::run);
            assertEquals(ErrorCode.INVALID_ADMIN_REQUEST, e.code());
            assertTrue(StreamingErrors.isCallerError(e));
        }
    }

    // ---- audit ----

    @Test
    void everyOperationWritesOneAuditLineWithItsOperatorSelectionAndOutcome() throws SQLException {
        String old = write("k1", CREATED);
        String newer = write("k1", UPDATED);
        String other = write("k2", CREATED);
        fail(old, "broker said no");
        fail(other, "broker said no");
        set(newer, "PUBLISHED", "published_at");

        admin.requeue("alice", RequeueSelection.builder().ids(old, other).build());
        admin.problems("bob", ProblemQuery.builder().topic(topic(CREATED)).build());
        admin.counts("carol");
        clock.advance(Duration.ofDays(1));
        admin.purge("dave smith", PurgeRequest.olderThan(Duration.ofHours(1), OutboxStatus.PUBLISHED));

        assertEquals(List.of(
                "INFO streaming: outbox admin requeue operator=alice ids=2 statuses=FAILED"
                        + " allow_out_of_order=false requeued=1 skipped=1 out_of_order=0",
                "INFO streaming: outbox admin problems operator=bob statuses=FAILED,INVALID topic=" + topic(CREATED)
                        + " after_seq=0 limit=100 rows=1",
                "FINE streaming: outbox admin counts operator=carol rows=3 pending=1 processing=0 published=1"
                        + " failed=1 invalid=0",
                "INFO streaming: outbox admin purge operator=\"dave smith\" older_than=PT1H before="
                        + clock.instant().minus(Duration.ofHours(1)) + " statuses=PUBLISHED deleted_published=1"),
                auditLines());
    }

    @Test
    void aFailedOperationIsAuditedWithItsError() throws SQLException {
        exec("ALTER TABLE lerian_streaming_outbox RENAME TO lerian_streaming_outbox_away");
        try {
            assertThrows(RuntimeException.class, () -> admin.purge("alice",
                    PurgeRequest.olderThan(Duration.ofHours(1), OutboxStatus.FAILED)));
        } finally {
            exec("ALTER TABLE lerian_streaming_outbox_away RENAME TO lerian_streaming_outbox");
        }
        List<String> lines = auditLines();
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("WARNING streaming: outbox admin purge failed operator=alice"
                + " older_than=PT1H"), lines.get(0));
        assertTrue(lines.get(0).contains(" deleted_failed=0 error="), lines.get(0));
    }

    // ---- helpers ----

    private List<String> auditLines() {
        synchronized (log) {
            return log.stream().filter(r -> r.getMessage().startsWith("streaming: outbox admin"))
                    .map(r -> r.getLevel() + " " + r.getMessage()).toList();
        }
    }

    static String topic(String eventType) {
        return envelope("any", eventType).topic();
    }

    static OutboxEnvelope envelope(String key, String eventType) {
        ResolvedEvent event = ResolvedEvent.builder()
                .tenantId(key).resourceType("transaction").eventType(eventType)
                .eventId(UUID.randomUUID().toString()).schemaVersion("1.0.0")
                .timestamp(OffsetDateTime.parse("2026-04-18T10:00:00Z"))
                .source("//lerian.midaz/transaction-service").subject("tx-123")
                .dataContentType("application/json").payload("{\"amount\":100}".getBytes(StandardCharsets.UTF_8))
                .build();
        return OutboxEnvelope.of("transaction." + eventType, DeliveryPolicy.defaults(), event);
    }

    /** Parks an event of the key. @return its row's id */
    String write(String key, String eventType) throws SQLException {
        writer.write(envelope(key, eventType));
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM lerian_streaming_outbox ORDER BY seq DESC")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    /** Inserts failed rows of distinct keys in one batch, created and failed at the clock's time. @return their ids */
    List<String> insertFailedRows(int n) throws SQLException {
        List<String> ids = new ArrayList<>();
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        byte[] envelope = envelope("k", CREATED).toJson();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(TestDatabase.INSERT_PENDING_ROW)) {
            for (int i = 0; i < n; i++) {
                String id = UUID.randomUUID().toString();
                TestDatabase.bindPendingRow(ps, id, UUID.randomUUID().toString(), "k" + i, topic(CREATED), envelope,
                        now);
                ps.addBatch();
                ids.add(id);
            }
            ps.executeBatch();
        }
        exec("UPDATE lerian_streaming_outbox SET status = 'FAILED'");
        return ids;
    }

    /** As the relay leaves a row whose attempts ran out, at the clock's time. */
    void fail(String id, String error) throws SQLException {
        update(id, "UPDATE lerian_streaming_outbox SET status = 'FAILED', attempts = 7, last_error = ?,"
                + " updated_at = ? WHERE id = ?", error);
    }

    /** As the relay leaves a row it cannot replay, at the clock's time. */
    void invalid(String id, String error) throws SQLException {
        update(id, "UPDATE lerian_streaming_outbox SET status = 'INVALID', last_error = ?, updated_at = ?"
                + " WHERE id = ?", error);
    }

    /** Sets the row's status, and the given time column and updated_at to the clock's time. */
    void set(String id, String status, String timeColumn) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("UPDATE lerian_streaming_outbox"
                + " SET status = ?, " + timeColumn + " = ?, updated_at = ? WHERE id = ?")) {
            OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
            ps.setString(1, status);
            ps.setObject(2, now);
            ps.setObject(3, now);
            ps.setString(4, id);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private void update(String id, String sql, String error) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, error);
            ps.setObject(2, clock.instant().atOffset(ZoneOffset.UTC));
            ps.setString(3, id);
            assertEquals(1, ps.executeUpdate());
        }
    }

    String status(String id) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT status FROM lerian_streaming_outbox WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row " + id);
                return rs.getString(1);
            }
        }
    }

    List<String> remaining() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM lerian_streaming_outbox ORDER BY seq")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    void exec(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
