package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.EntityManager;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.ErrorCode;
import studio.lerian.streaming.StreamingErrors;
import studio.lerian.streaming.StreamingException;
import studio.lerian.streaming.spi.OutboxBacklog;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.wire.OutboxEnvelope;

/**
 * What every database must do with the shipped DDL, the mapping file and Hibernate: the writer's transaction
 * semantics and errors, and the store's claims, state changes and questions. Subclasses bring the database, and with
 * it how its tables are made: the shipped DDL, or the shipped migrations ({@link TestDatabase#withTables}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a claim waiting on a lock fails, not hangs
abstract class AbstractOutboxStoreContractTest {

    static final Instant T0 = Instant.parse("2026-04-18T10:00:00Z");

    TestDatabase db;
    EntityManagerFactory emf;
    final TestClock clock = new TestClock(T0);
    static final ThreadLocal<EntityManager> callersEntityManager = new ThreadLocal<>();
    JpaOutboxWriter writer;
    JpaOutboxStore store;

    /** The database of this test class, empty; skips or fails the class when it is unavailable. */
    abstract TestDatabase openDatabase();

    @BeforeAll
    void start() {
        db = openDatabase();
        db.createTables();
        emf = db.factory();
        writer = new JpaOutboxWriter(emf, callersEntityManager::get, clock);
        store = new JpaOutboxStore(emf, clock);
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
    void emptyTable() throws SQLException {
        clock.set(T0);
        callersEntityManager.remove();
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM lerian_streaming_outbox");
        }
    }

    // ---------------------------------------------------------------- writer

    @Test
    void writerInCallersResourceLocalTransactionRollsBackWithIt() throws SQLException {
        EntityManager em = emf.createEntityManager();
        try {
            callersEntityManager.set(em);
            em.getTransaction().begin();
            writer.write(Envelopes.of("t-1"));
            assertEquals(0, count(), "the row is in the caller's uncommitted transaction, not committed on its own");
            em.getTransaction().rollback();
        } finally {
            em.close();
        }
        assertEquals(0, count());
    }

    @Test
    void writerInCallersResourceLocalTransactionCommitsWithIt() throws SQLException {
        OutboxEnvelope envelope = Envelopes.of("t-1");
        EntityManager em = emf.createEntityManager();
        try {
            callersEntityManager.set(em);
            em.getTransaction().begin();
            writer.write(envelope);
            assertEquals(0, count());
            em.getTransaction().commit();
        } finally {
            em.close();
        }
        List<DbRow> rows = rows();
        assertEquals(1, rows.size());
        DbRow row = rows.get(0);
        assertArrayEquals(envelope.toJson(), row.envelope());
        assertEquals(OutboxStatus.PENDING.name(), row.status());
        assertEquals(OutboxEnvelope.RELAY_TYPE, row.relayType());
        assertEquals(envelope.aggregateId().toString(), row.aggregateId());
        assertEquals("t-1", row.partitionKey());
        assertEquals(envelope.topic(), row.topic());
        assertEquals(0, row.attempts());
        assertEquals(T0, row.createdAt());
        assertEquals(T0, row.nextAttemptAt());
        assertNull(row.claimedBy());
        assertNull(row.publishedAt());
        assertEquals(7, UUID.fromString(row.id()).version(), "row ids are UUIDv7");
        assertEquals(36, row.id().length());
        assertTrue(row.seq() > 0);
    }

    @Test
    void writerWithoutCallersTransactionCommitsItsOwn() throws SQLException {
        writer.write(Envelopes.of("t-1"));
        assertEquals(1, count());

        EntityManager idle = emf.createEntityManager();
        try {
            callersEntityManager.set(idle);
            writer.write(Envelopes.of("t-1"));
        } finally {
            idle.close();
        }
        assertEquals(2, count(), "a caller's entity manager without an active transaction is not joined");
    }

    @Test
    void oversizedEnvelopeIsTheCallersError() throws SQLException {
        String big = "\"" + "a".repeat(JpaOutboxWriter.MAX_ENVELOPE_BYTES) + "\"";
        StreamingException e = assertThrows(StreamingException.class, () -> writer.write(Envelopes.of("t-1", big)));
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, e.code());
        assertTrue(StreamingErrors.isCallerError(e));
        assertEquals(0, count());
    }

    @Test
    void tamperedEnvelopeIsRefused() throws SQLException {
        OutboxEnvelope good = Envelopes.of("t-1");
        OutboxEnvelope tampered = OutboxEnvelope.read(1, "lerian.streaming.somewhere.else", "", good.aggregateId(),
                DeliveryPolicy.defaults(), good.event());
        StreamingException e = assertThrows(StreamingException.class, () -> writer.write(tampered));
        assertEquals(ErrorCode.INVALID_OUTBOX_ENVELOPE, e.code());
        assertEquals(0, count());
    }

    @Test
    void databaseFailureIsAnInfrastructureError() throws SQLException {
        exec("ALTER TABLE lerian_streaming_outbox RENAME TO lerian_streaming_outbox_away");
        try {
            StreamingException e = assertThrows(StreamingException.class, () -> writer.write(Envelopes.of("t-1")));
            assertEquals(ErrorCode.OUTBOX_WRITE_FAILED, e.code());
            assertFalse(StreamingErrors.isCallerError(e));
            assertNotNull(e.getCause(), "the database's failure is kept as cause");
            assertTrue(e.getMessage().startsWith("streaming: outbox write: "), e.getMessage());
        } finally {
            exec("ALTER TABLE lerian_streaming_outbox_away RENAME TO lerian_streaming_outbox");
        }
    }

    // ---------------------------------------------------------------- batch writer

    @Test
    void writeAllCommitsItsRowsInListOrderInOneTransactionOfItsOwn() throws SQLException {
        List<OutboxEnvelope> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(Envelopes.of("t-" + (i % 3), "{\"n\":" + i + "}"));
        }
        writer.writeAll(batch);
        List<DbRow> rows = rows();
        assertEquals(30, rows.size());
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(batch.get(i).toJson(), rows.get(i).envelope(), "row #" + i + " in seq order");
            assertEquals(OutboxStatus.PENDING.name(), rows.get(i).status());
        }
        writer.writeAll(List.of());
        assertEquals(30, count(), "an empty batch writes nothing");
    }

    @Test
    void writeAllInCallersResourceLocalTransactionRollsBackOrCommitsWithIt() throws SQLException {
        for (boolean commit : new boolean[] {false, true}) {
            EntityManager em = emf.createEntityManager();
            try {
                callersEntityManager.set(em);
                em.getTransaction().begin();
                writer.writeAll(List.of(Envelopes.of("t-1"), Envelopes.of("t-2"), Envelopes.of("t-1")));
                assertEquals(0, count(), "the rows are in the caller's uncommitted transaction");
                if (commit) {
                    em.getTransaction().commit();
                } else {
                    em.getTransaction().rollback();
                }
            } finally {
                callersEntityManager.remove();
                em.close();
            }
            assertEquals(commit ? 3 : 0, count(), commit ? "committed with the caller" : "rolled back with the caller");
        }
    }

    @Test
    void aRowTheDatabaseRefusesLeavesNoRowOfTheBatch() throws SQLException {
        exec("ALTER TABLE lerian_streaming_outbox ADD CONSTRAINT batch_poison CHECK (partition_key <> 't-poison')");
        try {
            List<OutboxEnvelope> batch = List.of(Envelopes.of("t-1"), Envelopes.of("t-1"), Envelopes.of("t-poison"),
                    Envelopes.of("t-1"));
            StreamingException own = assertThrows(StreamingException.class, () -> writer.writeAll(batch));
            assertEquals(ErrorCode.OUTBOX_WRITE_FAILED, own.code(), own.getMessage());
            assertFalse(StreamingErrors.isCallerError(own));
            assertEquals(0, count(), "its own transaction rolled back: not even the rows before the refused one");

            EntityManager em = emf.createEntityManager();
            try {
                callersEntityManager.set(em);
                em.getTransaction().begin();
                writer.write(Envelopes.of("t-before"));
                StreamingException joined = assertThrows(StreamingException.class, () -> writer.writeAll(batch));
                assertEquals(ErrorCode.OUTBOX_WRITE_FAILED, joined.code(), joined.getMessage());
                assertTrue(em.getTransaction().getRollbackOnly(),
                        "the caller's transaction holds part of the batch: it can only roll back");
                try {
                    em.getTransaction().commit(); // rolls back instead (Hibernate throws only with JPA compliance on)
                } catch (RuntimeException rolledBack) {
                    // RollbackException: what a JPA-compliant provider reports
                }
            } finally {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
                callersEntityManager.remove();
                em.close();
            }
            assertEquals(0, count());
        } finally {
            exec("ALTER TABLE lerian_streaming_outbox DROP CONSTRAINT batch_poison");
        }
    }

    @Test
    void anOversizedEnvelopeRefusesTheBatchBeforeAnyRowIsWrittenAndIsNamed() throws SQLException {
        String big = "\"" + "a".repeat(JpaOutboxWriter.MAX_ENVELOPE_BYTES) + "\"";
        StreamingException e = assertThrows(StreamingException.class,
                () -> writer.writeAll(List.of(Envelopes.of("t-1"), Envelopes.of("t-1", big))));
        assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("outbox envelope #1 of 2 is "), e.getMessage());
        assertEquals(0, count());
    }

    // ---------------------------------------------------------------- relaxed claims

    @Test
    void relaxedClaimTakesTheOldestDueRowsOnce() throws SQLException {
        List<String> ids = write("a", "b", "a", "c", "b");

        List<OutboxRow> first = store.claim(3, false, "relay-1");
        assertEquals(Set.copyOf(ids.subList(0, 3)), ids(first).stream().collect(Collectors.toSet()));
        assertEquals(List.of(ids.get(0), ids.get(2), ids.get(1)), ids(first), "grouped by key, seq order within");
        for (String id : ids(first)) {
            DbRow row = row(id);
            assertEquals("PROCESSING", row.status());
            assertEquals("relay-1", row.claimedBy());
            assertEquals(T0.plusMillis(5), row.claimedAt());
        }
        OutboxRow a = first.get(0);
        assertEquals("a", a.partitionKey());
        assertEquals(Envelopes.of("a").topic(), a.topic());
        assertArrayEquals(row(a.id()).envelope(), a.envelope());
        assertEquals(T0, a.createdAt());

        assertEquals(ids.subList(3, 5), ids(store.claim(10, false, "relay-2")));
        assertEquals(List.of(), store.claim(10, false, "relay-3"));
    }

    @Test
    void relaxedClaimersInFlightNeverShareARow() throws Exception {
        List<String> ids = write("a", "a", "b", "b");
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<OutboxRow>> holder = pool.submit(() -> store.claim(2, false, "relay-1", () -> {
                claimed.countDown();
                await(proceed);
            }));
            assertTrue(claimed.await(10, TimeUnit.SECONDS));
            Future<List<OutboxRow>> other = pool.submit(() -> store.claim(10, false, "relay-2"));
            List<OutboxRow> second = resultWhileFirstHolds(other, proceed);
            assertEquals(ids.subList(0, 2), ids(holder.get(10, TimeUnit.SECONDS)));
            assertTrue(Collections.disjoint(ids.subList(0, 2), ids(second)), "relay-2 got a row relay-1 holds");
        } finally {
            proceed.countDown();
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- strict claims

    @Test
    void strictClaimTakesEachKeysRowsAsOneConsecutiveRun() throws SQLException {
        List<String> ids = write("a", "b", "a", "c", "a", "b");
        String a1 = ids.get(0);
        String b1 = ids.get(1);
        String a2 = ids.get(2);
        String c1 = ids.get(3);
        String a3 = ids.get(4);
        String b2 = ids.get(5);

        assertEquals(List.of(a1, a2, a3, b1, b2, c1), ids(store.claim(10, true, "relay-1")));
        store.release(List.of(a1, a2, a3, b1, b2, c1));

        // Three heads, then the one row left goes to the first key's run.
        assertEquals(List.of(a1, a2, b1, c1), ids(store.claim(4, true, "relay-1")));
        assertEquals(List.of(), store.claim(10, true, "relay-2"),
                "a3 waits behind a2 and b2 behind b1, both held by relay-1");

        store.markPublished(List.of(a1, a2));
        assertEquals(List.of(a3), ids(store.claim(10, true, "relay-2")));
        store.release(List.of(b1));
        assertEquals(List.of(b1, b2), ids(store.claim(10, true, "relay-2")));
    }

    @Test
    void strictClaimWaitsForAnEarlierRowThatIsNotDueYet() throws SQLException {
        List<String> ids = write("a", "a");
        assertEquals(List.of(ids.get(0)), ids(store.claim(1, true, "relay-1")));
        store.retryLater(ids.get(0), 1, clock.instant().plusSeconds(60), "broker down");

        assertEquals(List.of(), store.claim(10, true, "relay-1"), "a2 must not overtake a1");
        clock.advance(Duration.ofSeconds(60));
        List<OutboxRow> run = store.claim(10, true, "relay-1");
        assertEquals(ids, ids(run));
        assertEquals(1, run.get(0).attempts());
        assertEquals(0, run.get(1).attempts());
    }

    @Test
    void strictClaimFindsAHeadBehindMoreRowsWaitingForARetryThanItLooksAtOnce() throws SQLException {
        String a1 = write("a").get(0);
        assertEquals(List.of(a1), ids(store.claim(1, true, "relay-1")));
        store.retryLater(a1, 1, clock.instant().plusSeconds(60), "broker down");
        write(repeat("a", 300)); // due, but every one waits behind a1
        String b1 = write("b").get(0);

        assertEquals(List.of(b1), ids(store.claim(1, true, "relay-1")),
                "b's head comes after 300 blocked rows of a, more than one search window");
    }

    @Test
    void strictClaimFindsAHeadBehindMoreRowsOfAKeyHeldByAnotherRelayThanItLooksAtOnce() throws SQLException {
        String a1 = write("a").get(0);
        assertEquals(List.of(a1), ids(store.claim(1, true, "relay-1")));
        write(repeat("a", 300));
        String b1 = write("b").get(0);

        assertEquals(List.of(b1), ids(store.claim(5, true, "relay-2")));
    }

    @Test
    void strictClaimFindsAHeadBehindMoreRowsOfAKeyInAnotherRelaysOpenBatchThanItLooksAtOnce() throws Exception {
        String a1 = write("a").get(0);
        write(repeat("a", 300));
        String b1 = write("b").get(0);
        try (OutboxBatch first = store.claimBatch(1, true, true, "relay-1")) {
            assertEquals(List.of(a1), ids(first.rows()));
            List<String> second = heldClaimOfAnotherRelay(5, "relay-2");
            assertEquals(List.of(b1), second, "a1 is locked, not marked: the search goes past its key's rows");
        }
    }

    @Test
    void theRoomLeftByHeadsAnotherRelayHoldsGoesToTheNextHeads() throws Exception {
        List<String> ids = write("a", "b", "c", "d");
        try (OutboxBatch first = store.claimBatch(1, true, true, "relay-1")) {
            assertEquals(List.of(ids.get(0)), ids(first.rows()));
            List<String> second = heldClaimOfAnotherRelay(2, "relay-2");
            assertEquals(List.of(ids.get(1), ids.get(2)), second, "a is held: b, then c in its place");
        }
    }

    @Test
    void aClaimWhoseHeadsOtherRelaysHoldLooksOnlyAFewWindowsFurther() throws Exception {
        String a1 = write("a").get(0);
        write(repeat("a", 700)); // more than eight windows of 64 rows
        String b1 = write("b").get(0);
        try (OutboxBatch first = store.claimBatch(1, true, true, "relay-1")) {
            assertEquals(List.of(a1), ids(first.rows()));
            List<String> second = heldClaimOfAnotherRelay(1, "relay-2");
            assertEquals(List.of(), second, "relay-1 is at work on the key: relay-2 does not scan the whole backlog");
        }
        assertEquals(List.of(a1), ids(store.claim(1, true, "relay-2")), "once relay-1 is done, its head is due again");
        store.release(List.of(a1));
        exec("UPDATE lerian_streaming_outbox SET status = 'PUBLISHED' WHERE partition_key = 'a'");
        assertEquals(List.of(b1), ids(store.claim(1, true, "relay-2")));
    }

    @Test
    void strictClaimWithFewerKeysThanRowsTakesEveryKeysHeadThenTheirNextRows() throws SQLException {
        String[] keys = new String[300];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "k" + (i % 3);
        }
        List<String> ids = write(keys);

        List<OutboxRow> claimed = store.claim(30, true, "relay-1");
        assertEquals(30, claimed.size());
        Map<String, List<String>> byKey = new HashMap<>();
        for (OutboxRow row : claimed) {
            byKey.computeIfAbsent(row.partitionKey(), k -> new ArrayList<>()).add(row.id());
        }
        for (int k = 0; k < 3; k++) {
            List<String> keyIds = new ArrayList<>();
            for (int i = k; i < ids.size(); i += 3) {
                keyIds.add(ids.get(i));
            }
            List<String> run = byKey.get("k" + k);
            assertEquals(keyIds.subList(0, run.size()), run, "k" + k + "'s run starts at its head, in order");
        }
        assertEquals(Set.of("k0", "k1", "k2"), byKey.keySet());
    }

    private static String[] repeat(String key, int times) {
        String[] keys = new String[times];
        java.util.Arrays.fill(keys, key);
        return keys;
    }

    @Test
    void finishedRowsDoNotBlockTheirKey() throws SQLException {
        List<String> ids = write("a", "a", "a");
        assertEquals(ids.subList(0, 2), ids(store.claim(2, true, "relay-1")));
        store.markFailed(ids.get(0), 10, "gave up");
        store.markInvalid(ids.get(1), "tampered");
        assertEquals(List.of(ids.get(2)), ids(store.claim(10, true, "relay-1")));
    }

    @Test
    void strictClaimersInFlightNeverShareAKey() throws Exception {
        List<String> ids = write("a", "a", "b", "b");
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // relay-1 claims a's head only and keeps its transaction open.
            Future<List<OutboxRow>> holder = pool.submit(() -> store.claim(1, true, "relay-1", () -> {
                claimed.countDown();
                await(proceed);
            }));
            assertTrue(claimed.await(10, TimeUnit.SECONDS));
            Future<List<OutboxRow>> other = pool.submit(() -> store.claim(10, true, "relay-2"));
            List<OutboxRow> second = resultWhileFirstHolds(other, proceed);
            assertEquals(List.of(ids.get(0)), ids(holder.get(10, TimeUnit.SECONDS)));
            assertFalse(second.stream().anyMatch(r -> r.partitionKey().equals("a")),
                    "relay-2 got a row of key a while relay-1 holds its head: " + second);
            // Once relay-1 committed, a2 still waits behind its a1.
            assertFalse(store.claim(10, true, "relay-3").stream().anyMatch(r -> r.partitionKey().equals("a")));
        } finally {
            proceed.countDown();
            pool.shutdownNow();
        }
    }

    /**
     * The second claimer's result. Databases with SKIP LOCKED answer while the first claim is still open; one that
     * waits for the lock instead (serializing the claims) answers once the first commits, which is let go after a
     * while.
     */
    private static List<OutboxRow> resultWhileFirstHolds(Future<List<OutboxRow>> second, CountDownLatch proceed)
            throws Exception {
        try {
            return second.get(3, TimeUnit.SECONDS);
        } catch (TimeoutException waitedForTheLock) {
            proceed.countDown();
            return second.get(15, TimeUnit.SECONDS);
        } finally {
            proceed.countDown();
        }
    }

    // ---------------------------------------------------------------- state changes

    @Test
    void retryLaterMakesTheRowDueOnlyAtItsNextAttempt() throws SQLException {
        String id = write("a").get(0);
        store.claim(1, false, "relay-1");
        String error = "broker down, password=hunter2 " + "x".repeat(2000);
        store.retryLater(id, 1, T0.plusSeconds(30), error);

        DbRow row = row(id);
        assertEquals("PENDING", row.status());
        assertEquals(1, row.attempts());
        assertEquals(T0.plusSeconds(30), row.nextAttemptAt());
        assertNull(row.claimedBy());
        assertNull(row.claimedAt());
        assertEquals(OutboxEventEntity.MAX_ERROR_LENGTH, row.lastError().length());
        assertFalse(row.lastError().contains("hunter2"), row.lastError());
        assertTrue(row.lastError().startsWith("broker down, password=****"), row.lastError());

        clock.set(T0.plusSeconds(29));
        assertEquals(List.of(), store.claim(10, false, "relay-1"));
        clock.set(T0.plusSeconds(30));
        List<OutboxRow> again = store.claim(10, false, "relay-1");
        assertEquals(List.of(id), ids(again));
        assertEquals(1, again.get(0).attempts());
    }

    @Test
    void releaseReturnsRowsWithoutCountingAnAttempt() throws SQLException {
        List<String> ids = write("a", "b");
        store.claim(10, false, "relay-1");
        store.release(ids);
        for (String id : ids) {
            DbRow row = row(id);
            assertEquals("PENDING", row.status());
            assertEquals(0, row.attempts());
            assertNull(row.claimedBy());
        }
        assertEquals(ids, ids(store.claim(10, false, "relay-2")));
    }

    @Test
    void markPublishedFailedAndInvalidRecordTheOutcome() throws SQLException {
        List<String> ids = write("a", "b", "c");
        store.claim(10, false, "relay-1");
        Instant publishedAt = clock.advance(Duration.ofSeconds(5));
        store.markPublished(List.of(ids.get(0)));
        store.markFailed(ids.get(1), 10, "Authorization: Bearer abc.def");
        store.markInvalid(ids.get(2), "outbox envelope topic mismatch");

        DbRow published = row(ids.get(0));
        assertEquals("PUBLISHED", published.status());
        assertEquals(publishedAt, published.publishedAt());
        DbRow failed = row(ids.get(1));
        assertEquals("FAILED", failed.status());
        assertEquals(10, failed.attempts());
        assertEquals("Authorization: Bearer ****", failed.lastError());
        DbRow invalid = row(ids.get(2));
        assertEquals("INVALID", invalid.status());
        assertEquals("outbox envelope topic mismatch", invalid.lastError());
        assertTrue(invalid.version() > 0, "every change moves the optimistic-lock version");

        store.retryLater(ids.get(0), 1, T0, "late failure report");
        assertEquals("PUBLISHED", row(ids.get(0)).status(), "a finished row is not brought back");
        assertEquals(List.of(), store.claim(10, false, "relay-1"));
    }

    @Test
    void reclaimStuckReturnsRowsOfADeadRelay() throws SQLException {
        List<String> ids = write("a", "b");
        assertEquals(List.of(ids.get(0)), ids(store.claim(1, false, "dead-relay")));
        clock.advance(Duration.ofMinutes(10));
        assertEquals(List.of(ids.get(1)), ids(store.claim(1, false, "live-relay")));

        assertEquals(1, store.reclaimStuck(clock.instant().minus(Duration.ofMinutes(5))));
        DbRow reclaimed = row(ids.get(0));
        assertEquals("PENDING", reclaimed.status());
        assertNull(reclaimed.claimedBy());
        assertEquals(0, reclaimed.attempts());
        assertEquals("PROCESSING", row(ids.get(1)).status());
        assertEquals(List.of(ids.get(0)), ids(store.claim(10, false, "live-relay")));
    }

    // ---------------------------------------------------------------- held batches

    @Test
    void heldBatchLeavesItsRowsPendingUntilItsCommitWritesEachOutcome() throws SQLException {
        List<String> ids = write("a", "b", "c", "d", "e");
        Instant claimedAt = clock.instant();
        try (OutboxBatch batch = store.claimBatch(10, true, true, "relay-1")) {
            assertEquals(ids, ids(batch.rows()));
            for (String id : ids) {
                DbRow row = row(id);
                assertEquals("PENDING", row.status(), "held, not marked");
                assertNull(row.claimedBy());
            }
            Instant decided = clock.advance(Duration.ofSeconds(5));
            batch.published(ids.get(0));
            batch.retryLater(ids.get(1), 1, decided.plusSeconds(30), "broker down, password=hunter2");
            batch.failed(ids.get(2), 10, "Authorization: Bearer abc.def");
            batch.invalid(ids.get(3), "outbox envelope topic mismatch");
            assertEquals("PENDING", row(ids.get(0)).status(), "nothing is written before the commit");
            batch.commit();

            DbRow published = row(ids.get(0));
            assertEquals("PUBLISHED", published.status());
            assertEquals(decided, published.publishedAt());
            assertEquals("relay-1", published.claimedBy(), "who published it stays on the row");
            assertEquals(claimedAt, published.claimedAt());
            DbRow retried = row(ids.get(1));
            assertEquals("PENDING", retried.status());
            assertEquals(1, retried.attempts());
            assertEquals(decided.plusSeconds(30), retried.nextAttemptAt());
            assertEquals("broker down, password=****", retried.lastError());
            DbRow failed = row(ids.get(2));
            assertEquals("FAILED", failed.status());
            assertEquals(10, failed.attempts());
            assertEquals("Authorization: Bearer ****", failed.lastError());
            DbRow invalid = row(ids.get(3));
            assertEquals("INVALID", invalid.status());
            DbRow untried = row(ids.get(4));
            assertEquals("PENDING", untried.status(), "a row given no outcome is due again, untried");
            assertEquals(0, untried.attempts());
            assertNull(untried.claimedBy());
        }
        assertEquals(List.of(ids.get(4)), ids(store.claim(10, true, "relay-2")),
                "after the commit only the untried row is due (the retried one at its next attempt)");
    }

    @Test
    void heldBatchWithoutHistoryDeletesItsPublishedRowsAtCommit() throws SQLException {
        List<String> ids = write("a", "a", "b");
        try (OutboxBatch batch = store.claimBatch(10, true, false, "relay-1")) {
            assertEquals(ids, ids(batch.rows()));
            batch.published(ids.get(0));
            batch.retryLater(ids.get(2), 1, clock.instant().plusSeconds(30), "broker down");
            assertEquals(3, count(), "nothing is written before the commit");
            batch.commit();
        }
        assertEquals(List.of(ids.get(1), ids.get(2)), rows().stream().map(DbRow::id).toList(),
                "the published row is gone; the others are as their outcome says");
        assertEquals("PENDING", row(ids.get(1)).status());
        assertEquals(1, row(ids.get(2)).attempts());
    }

    @Test
    void heldBatchClosedWithoutCommitRecordsNothing() throws SQLException {
        List<String> ids = write("a", "a", "b");
        try (OutboxBatch batch = store.claimBatch(10, true, true, "relay-1")) {
            assertEquals(ids, ids(batch.rows()));
            batch.published(ids.get(0));
            batch.failed(ids.get(2), 1, "gave up");
        }
        for (String id : ids) {
            assertEquals("PENDING", row(id).status());
        }
        try (OutboxBatch again = store.claimBatch(10, true, true, "relay-2")) {
            assertEquals(ids, ids(again.rows()), "every row is claimable again, in key order");
        }
    }

    @Test
    void whileABatchIsHeldOtherRelaysGetNeitherItsRowsNorLaterRowsOfItsKeys() throws Exception {
        List<String> ids = write("a", "a", "b", "b");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (OutboxBatch first = store.claimBatch(1, true, true, "relay-1")) {
            assertEquals(List.of(ids.get(0)), ids(first.rows()));
            // Another relay, on a thread (and so a transaction) of its own, while the first batch is open.
            List<String> second = pool.submit(() -> {
                try (OutboxBatch batch = store.claimBatch(10, true, true, "relay-2")) {
                    List<String> got = ids(batch.rows());
                    got.forEach(batch::published);
                    batch.commit();
                    return got;
                }
            }).get(20, TimeUnit.SECONDS);
            assertEquals(List.of(ids.get(2), ids.get(3)), second, "key b only: a1 is held, a2 waits behind it");
            assertEquals(List.of(), store.claim(10, true, "relay-3"), "a marking claim sees the same");
            first.published(ids.get(0));
            first.commit();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(ids.get(1)), ids(store.claim(10, true, "relay-3")));
    }

    /**
     * What another relay claims now as a held batch, on a thread (and so a transaction) of its own, letting it go at
     * once.
     */
    private List<String> heldClaimOfAnotherRelay(int maxRows, String relayId) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            return pool.submit(() -> {
                try (OutboxBatch batch = store.claimBatch(maxRows, true, true, relayId)) {
                    return ids(batch.rows());
                }
            }).get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- questions

    @Test
    void backlogCountsUnpublishedRowsAndTheOldest() throws SQLException {
        assertSame(OutboxBacklog.EMPTY, store.backlog());
        List<String> ids = write("a", "b", "c");
        store.claim(1, false, "relay-1");
        assertEquals(new OutboxBacklog(3, Optional.of(T0)), store.backlog());
        store.markPublished(List.of(ids.get(0)));
        assertEquals(new OutboxBacklog(2, Optional.of(T0.plusMillis(1))), store.backlog());
        store.claim(10, false, "relay-1");
        store.markFailed(ids.get(1), 3, "gave up");
        store.markPublished(List.of(ids.get(2)));
        assertTrue(store.backlog().isEmpty(), "failed rows are not backlog");
    }

    @Test
    void hasAnyUnpublishedAnswersForTheWholeTable() throws SQLException {
        assertFalse(store.hasAnyUnpublished());
        List<String> ids = write("a", "b");
        assertTrue(store.hasAnyUnpublished());
        store.claim(10, false, "relay-1");
        assertTrue(store.hasAnyUnpublished(), "in flight is unpublished");
        store.markPublished(List.of(ids.get(0)));
        assertTrue(store.hasAnyUnpublished());
        store.markFailed(ids.get(1), 3, "gave up");
        assertFalse(store.hasAnyUnpublished(), "published and failed rows are not backlog");
    }

    @Test
    void hasUnpublishedAnswersPerKey() throws SQLException {
        String a = write("a").get(0);
        String b = write("b").get(0);
        assertTrue(store.hasUnpublished("a"));
        assertFalse(store.hasUnpublished("z"));
        assertTrue(store.hasUnpublished("a", Duration.ofMillis(300)), "with a time limit, the same answers");
        assertFalse(store.hasUnpublished("z", Duration.ofSeconds(2)));
        store.claim(10, false, "relay-1");
        assertTrue(store.hasUnpublished("a"), "in flight is unpublished");
        store.markPublished(List.of(a));
        store.markFailed(b, 3, "gave up");
        assertFalse(store.hasUnpublished("a"));
        assertFalse(store.hasUnpublished("b"));
    }

    @Test
    void purgePublishedDeletesOnlyOldPublishedRows() throws SQLException {
        List<String> ids = write("a", "b", "c");
        store.claim(10, false, "relay-1");
        store.markPublished(List.of(ids.get(0)));
        clock.advance(Duration.ofMinutes(10));
        store.markPublished(List.of(ids.get(1)));

        assertEquals(1, store.purgePublished(T0.plus(Duration.ofMinutes(5))));
        assertEquals(List.of(ids.get(1), ids.get(2)), rows().stream().map(DbRow::id).toList());
    }

    @Test
    void twoClaimersDrainATableEachRowOnceInKeyOrder() throws Exception {
        drain(600, 12, 25);
    }

    @Test
    void twoRelaysHoldingBatchesDrainATableEachRowOnceInKeyOrder() throws Exception {
        drain(600, 12, 25, true);
    }

    // ---------------------------------------------------------------- helpers

    /** {@link #drain(int, int, int, boolean)} with marking claims ({@link JpaOutboxStore#claim}). */
    Map<String, Integer> drain(int rows, int keys, int batch) throws Exception {
        return drain(rows, keys, batch, false);
    }

    /**
     * Two relays drain the table concurrently in strict mode, with marking claims or held batches; every row is
     * claimed exactly once and each key's rows are claimed in seq order.
     *
     * @return how many claims each relay made
     */
    Map<String, Integer> drain(int rows, int keys, int batch, boolean held) throws Exception {
        Map<String, List<String>> expected = bulkInsert(rows, keys);
        Map<String, List<String>> claimedPerKey = new ConcurrentHashMap<>();
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> claims = new ConcurrentHashMap<>();
        AtomicInteger left = new AtomicInteger(rows);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> relays = new ArrayList<>();
            for (String relay : List.of("relay-1", "relay-2")) {
                relays.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                    while (left.get() > 0 && System.nanoTime() < deadline) {
                        OutboxBatch heldBatch = held ? store.claimBatch(batch, true, true, relay) : null;
                        List<OutboxRow> got = held ? heldBatch.rows() : store.claim(batch, true, relay);
                        if (got.isEmpty()) {
                            if (held) {
                                heldBatch.close();
                            }
                            Thread.sleep(5); // a relay's poll interval, much shortened
                            continue;
                        }
                        claims.merge(relay, 1, Integer::sum);
                        for (OutboxRow row : got) {
                            // The key is held by this relay until markPublished, so this append order is claim order.
                            claimedPerKey.computeIfAbsent(row.partitionKey(),
                                    k -> Collections.synchronizedList(new ArrayList<>())).add(row.id());
                            if (!claimed.add(row.id())) {
                                duplicates.add(row.id());
                            }
                        }
                        if (held) {
                            got.forEach(row -> heldBatch.published(row.id()));
                            heldBatch.commit();
                        } else {
                            store.markPublished(got.stream().map(OutboxRow::id).toList());
                        }
                        left.addAndGet(-got.size());
                    }
                    return null;
                }));
            }
            for (Future<?> relay : relays) {
                relay.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), duplicates, "rows claimed twice");
        assertEquals(rows, claimed.size(), "rows never claimed");
        assertEquals(expected, new HashMap<>(claimedPerKey), "a key's rows claimed out of seq order");
        assertTrue(store.backlog().isEmpty());
        return claims;
    }

    /** Rows inserted by JDBC batch, keys round-robin. @return each key's ids in seq order */
    Map<String, List<String>> bulkInsert(int rows, int keys) throws SQLException {
        byte[] envelope = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO lerian_streaming_outbox (id, relay_type,"
                    + " aggregate_id, partition_key, topic, envelope, status, attempts, next_attempt_at, created_at,"
                    + " updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, 0)")) {
                for (int i = 0; i < rows; i++) {
                    ps.setString(1, UUID.randomUUID().toString());
                    ps.setString(2, OutboxEnvelope.RELAY_TYPE);
                    ps.setString(3, UUID.randomUUID().toString());
                    ps.setString(4, "tenant-" + (i % keys));
                    ps.setString(5, "lerian.streaming.transaction.created");
                    ps.setBytes(6, envelope);
                    ps.setObject(7, now);
                    ps.setObject(8, now);
                    ps.setObject(9, now);
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
        db.afterBulkLoad();
        Map<String, List<String>> perKey = new HashMap<>();
        for (DbRow row : rows()) {
            perKey.computeIfAbsent(row.partitionKey(), k -> new ArrayList<>()).add(row.id());
        }
        return perKey;
    }

    /** Writes one row per key through the writer, 1 ms apart. @return their ids in seq order */
    List<String> write(String... keys) throws SQLException {
        Set<String> before = new HashSet<>(rows().stream().map(DbRow::id).toList());
        for (String key : keys) {
            writer.write(Envelopes.of(key));
            clock.advance(Duration.ofMillis(1));
        }
        return rows().stream().map(DbRow::id).filter(id -> !before.contains(id)).toList();
    }

    static List<String> ids(List<OutboxRow> rows) {
        return rows.stream().map(OutboxRow::id).toList();
    }

    long count() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM lerian_streaming_outbox")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void exec(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    DbRow row(String id) throws SQLException {
        return rows().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    /** Every row, read with plain JDBC in seq order. */
    List<DbRow> rows() throws SQLException {
        List<DbRow> out = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM lerian_streaming_outbox ORDER BY seq")) {
            while (rs.next()) {
                out.add(new DbRow(rs.getString("id"), rs.getLong("seq"), rs.getString("relay_type"),
                        rs.getString("aggregate_id"), rs.getString("partition_key"), rs.getString("topic"),
                        rs.getBytes("envelope"), rs.getString("status"), rs.getInt("attempts"),
                        instant(rs, "next_attempt_at"), rs.getString("last_error"), rs.getString("claimed_by"),
                        instant(rs, "claimed_at"), instant(rs, "created_at"), instant(rs, "published_at"),
                        rs.getLong("version")));
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    record DbRow(String id, long seq, String relayType, String aggregateId, String partitionKey, String topic,
            byte[] envelope, String status, int attempts, Instant nextAttemptAt, String lastError, String claimedBy,
            Instant claimedAt, Instant createdAt, Instant publishedAt, long version) {
    }

}
