package studio.lerian.streaming.outbox.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import studio.lerian.streaming.spi.OutboxBatch;
import studio.lerian.streaming.spi.OutboxRow;
import studio.lerian.streaming.wire.Lanes;
import studio.lerian.streaming.wire.OutboxEnvelope;

/**
 * Relay lanes on a real database: rows carry their key's hash, relays share the lanes fairly and take over the lanes of
 * relays that leave or die, a lane never changes hands while its owner's batch is open, and a relay claims only its
 * lanes' rows, each key in order, rows parked without a hash included. Subclasses bring the database, and with it how
 * its tables are made: the shipped DDL, or the shipped migrations ({@link TestDatabase#withTables}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a relay waiting for a lock fails, not hangs
abstract class AbstractLaneContractTest {

    static final Instant T0 = Instant.parse("2026-04-18T10:00:00Z");
    static final int LANES = 8;
    static final Duration LEASE = Duration.ofSeconds(10);

    TestDatabase db;
    EntityManagerFactory emf;
    final TestClock clock = new TestClock(T0);
    JpaOutboxWriter writer;
    final Map<String, JpaOutboxStore> relays = new LinkedHashMap<>();

    abstract TestDatabase openDatabase();

    @BeforeAll
    void start() {
        db = openDatabase();
        db.createTables();
        emf = db.factory();
        writer = new JpaOutboxWriter(emf, () -> null, clock);
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
        relays.clear();
        exec("DELETE FROM lerian_streaming_outbox");
        exec("DELETE FROM lerian_streaming_outbox_lane");
        exec("DELETE FROM lerian_streaming_outbox_relay");
    }

    /** A relay instance: a store of its own (as each application instance has), joined to the lanes. */
    JpaOutboxStore relay(String id) {
        return relays.computeIfAbsent(id, k -> {
            JpaOutboxStore store = newStore();
            store.joinLanes(k, LANES, LEASE);
            return store;
        });
    }

    /** A store as an application instance makes it: claims in one statement where the provider allows it. */
    JpaOutboxStore newStore() {
        return new JpaOutboxStore(emf, clock);
    }

    /** One claim of the relay, committed with every row published. @return the rows' keys, in claim order */
    List<OutboxRow> publishAll(String relay) {
        try (OutboxBatch batch = relay(relay).claimBatch(200, true, true, relay)) {
            batch.rows().forEach(r -> batch.published(r.id()));
            batch.commit();
            return batch.rows();
        }
    }

    Set<Integer> held(String relay) {
        return new TreeSet<>(relay(relay).heldLanes(relay).keySet());
    }

    /** Moves the clock on by a heartbeat and has each relay beat, by claiming (with nothing to claim, or rows). */
    void beatAll(String... ids) {
        clock.advance(Duration.ofMillis(1_100));
        for (String id : ids) {
            publishAll(id);
        }
    }

    // ---------------------------------------------------------------- rows

    @Test
    void writtenRowsCarryTheHashOfTheirPartitionKey() throws SQLException {
        writer.write(Envelopes.of("tenant-42"));
        assertEquals(List.of(Lanes.keyHash("tenant-42")), keyHashes());
    }

    // ---------------------------------------------------------------- membership

    @Test
    void twoPollsOfOneRelayAtOnceShareItsHeartbeat() throws Exception {
        // A relay's scheduled poll and a poll run by hand (a drain, a test) may run together: each beats, and the
        // first beat of a relay inserts its membership row. Both polls must go on; neither may insert the row twice.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String id = "relay-" + round;
                JpaOutboxStore store = relay(id);
                CyclicBarrier together = new CyclicBarrier(2);
                Callable<Void> poll = () -> {
                    together.await();
                    try (OutboxBatch batch = store.claimBatch(200, true, true, id)) {
                        batch.commit();
                    }
                    return null;
                };
                for (Future<Void> done : pool.invokeAll(List.of(poll, poll))) {
                    done.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(20, relayRows(), "one membership row per relay");
    }

    @Test
    void theFirstRelayCreatesTheLanesAndHoldsThemAll() throws SQLException {
        publishAll("relay-a");
        assertEquals(LANES, laneRows());
        assertEquals(all(), held("relay-a"));
    }

    @Test
    void aTableKeepsTheLaneCountItWasCreatedWith() throws SQLException {
        publishAll("relay-a");
        JpaOutboxStore other = new JpaOutboxStore(emf, clock);
        other.joinLanes("relay-b", 3, LEASE);
        try (OutboxBatch batch = other.claimBatch(10, true, true, "relay-b")) {
            batch.commit();
        }
        assertEquals(LANES, laneRows(), "a relay configured with another count does not change the table's");
    }

    @Test
    void relaysThatJoinShareTheLanesFairlyAndDisjointly() {
        publishAll("relay-a");
        publishAll("relay-b");
        publishAll("relay-c");
        for (int round = 0; round < 3; round++) {
            beatAll("relay-a", "relay-b", "relay-c");
        }
        List<Set<Integer>> shares = List.of(held("relay-a"), held("relay-b"), held("relay-c"));
        Set<Integer> union = new TreeSet<>();
        int total = 0;
        for (Set<Integer> share : shares) {
            assertTrue(share.size() == 2 || share.size() == 3, "8 lanes over 3 relays: 3, 3 and 2, got " + shares);
            union.addAll(share);
            total += share.size();
        }
        assertEquals(all(), union, "every lane is held: " + shares);
        assertEquals(LANES, total, "no lane is held twice: " + shares);
    }

    @Test
    void aLeavingRelaysLanesGoToTheOthersAtTheirNextHeartbeat() {
        publishAll("relay-a");
        publishAll("relay-b");
        beatAll("relay-a", "relay-b");
        beatAll("relay-a", "relay-b");
        assertEquals(4, held("relay-b").size());
        relay("relay-a").leaveLanes("relay-a");
        beatAll("relay-b");
        assertEquals(all(), held("relay-b"), "relay-a left: relay-b holds every lane without waiting for a lease");
        assertTrue(publishAll("relay-a").isEmpty() && held("relay-a").isEmpty(), "a relay that left claims nothing");
    }

    @Test
    void aDeadRelaysLanesAreTakenOverOnceItsLeaseHasRunOut() throws SQLException {
        publishAll("relay-a");
        publishAll("relay-b");
        beatAll("relay-a", "relay-b");
        beatAll("relay-a", "relay-b");
        Set<Integer> ofA = held("relay-a");
        assertEquals(4, ofA.size());
        Map<Integer, Long> epochs = epochs();

        clock.advance(LEASE.minusSeconds(3)); // relay-a stops beating; its lease still runs
        publishAll("relay-b");
        assertEquals(4, held("relay-b").size(), "relay-a's lease has not run out yet");

        clock.advance(Duration.ofSeconds(4)); // past relay-a's lease
        publishAll("relay-b");
        assertEquals(all(), held("relay-b"));
        Map<Integer, Long> after = epochs();
        for (int lane : ofA) {
            assertEquals(epochs.get(lane) + 1, after.get(lane), "a takeover counts one epoch of lane " + lane);
        }
    }

    // ---------------------------------------------------------------- claims

    @Test
    void aRelayClaimsOnlyTheRowsOfItsLanes() throws SQLException {
        publishAll("relay-a");
        publishAll("relay-b");
        beatAll("relay-a", "relay-b");
        beatAll("relay-a", "relay-b");
        for (int i = 0; i < 40; i++) {
            writer.write(Envelopes.of("tenant-" + i));
        }
        Set<Integer> ofA = held("relay-a");
        clock.advance(Duration.ofMillis(100)); // no heartbeat: both keep their lanes
        List<OutboxRow> a = publishAll("relay-a");
        List<OutboxRow> b = publishAll("relay-b");
        assertFalse(a.isEmpty());
        assertFalse(b.isEmpty());
        for (OutboxRow row : a) {
            assertTrue(ofA.contains(Lanes.lane(Lanes.keyHash(row.partitionKey()), LANES)), row.partitionKey());
        }
        for (OutboxRow row : b) {
            assertFalse(ofA.contains(Lanes.lane(Lanes.keyHash(row.partitionKey()), LANES)), row.partitionKey());
        }
        assertEquals(40, a.size() + b.size());
    }

    @Test
    void aLaneDoesNotChangeHandsWhileItsOwnersBatchIsOpenAndItsKeysStayInOrder() throws SQLException {
        publishAll("relay-a"); // relay-a holds every lane
        List<String> ids = write("t-1", "t-1", "t-1");
        try (OutboxBatch open = relay("relay-a").claimBatch(200, true, true, "relay-a")) {
            assertEquals(ids, ids(open.rows()));

            clock.advance(LEASE.plusSeconds(5)); // relay-a's lease runs out while its batch is open
            assertTrue(publishAll("relay-b").isEmpty(), "relay-b cannot claim rows relay-a's open batch holds");
            assertFalse(held("relay-b").contains(laneOf("t-1")),
                    "relay-b cannot take the lane over while relay-a's batch may still commit outcomes for it");

            open.published(ids.get(0)); // the second and third rows get no outcome: due again, in order
            open.commit();
        }
        clock.advance(Duration.ofMillis(1_100));
        List<OutboxRow> next = publishAll("relay-b");
        assertTrue(held("relay-b").contains(laneOf("t-1")), "the lane is free once the batch has ended");
        assertEquals(ids.subList(1, 3), ids(next), "the new owner goes on in the key's order");
    }

    @Test
    void aRelayWhoseLaneWasTakenOverClaimsNoneOfItsRowsEvenBeforeItsNextHeartbeat() throws SQLException {
        publishAll("relay-a");
        write("t-1", "t-2");
        int lane = laneOf("t-1");
        // Another relay took the lane over (relay-a's lease ran out unnoticed); relay-a has not beaten since.
        exec("UPDATE lerian_streaming_outbox_lane SET owner = 'relay-b', epoch = epoch + 1 WHERE lane = " + lane);
        clock.advance(Duration.ofMillis(100));
        for (OutboxRow row : publishAll("relay-a")) {
            assertFalse(laneOf(row.partitionKey()) == lane, "claimed a row of a lane it no longer holds: " + row);
        }
    }

    @Test
    void rowsParkedWithoutAHashAreHashedAndClaimedInKeyOrder() throws SQLException {
        publishAll("relay-a");
        Map<String, List<String>> expected = insertWithoutHash(60, 6);
        Map<String, List<String>> claimed = new HashMap<>();
        for (int i = 0; i < 10 && claimed.values().stream().mapToInt(List::size).sum() < 60; i++) {
            clock.advance(JpaOutboxStore.HASH_PROBE_EVERY); // a relay that found no such rows looks again this often
            for (OutboxRow row : publishAll("relay-a")) {
                claimed.computeIfAbsent(row.partitionKey(), k -> new ArrayList<>()).add(row.id());
            }
        }
        assertEquals(expected, claimed);
        assertFalse(keyHashes().contains(null), "every row was hashed");
    }

    @Test
    void noRowAfterAnOpenRowWithoutAHashIsClaimedWhileItCannotBeHashed() throws Exception {
        publishAll("relay-a");
        Map<String, List<String>> unhashed = insertWithoutHash(1, 1); // tenant-0, no hash
        List<String> later = write("tenant-0", "t-other");
        try (Connection locker = db.connect()) {
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                // Another relay (one that predates lanes) holds the unhashed row: it cannot be hashed now.
                st.executeQuery("SELECT id FROM lerian_streaming_outbox WHERE key_hash IS NULL FOR UPDATE").close();
            }
            clock.advance(Duration.ofMillis(10));
            assertEquals(List.of(), publishAll("relay-a"),
                    "rows after an unhashed one wait: a later row of its key must not go out first");
            locker.rollback();
        }
        clock.advance(JpaOutboxStore.HASH_PROBE_EVERY);
        List<String> all = new ArrayList<>(unhashed.get("tenant-0"));
        all.addAll(later);
        List<OutboxRow> claimed = publishAll("relay-a");
        assertEquals(new HashSet<>(all), new HashSet<>(ids(claimed)));
        List<String> ofTenant0 = claimed.stream().filter(r -> r.partitionKey().equals("tenant-0"))
                .map(OutboxRow::id).toList();
        assertEquals(List.of(all.get(0), all.get(1)), ofTenant0, "the unhashed row goes first");
    }

    @Test
    void aRowParkedWithoutAHashAfterTheRelayLastLookedHoldsBackLaterRowsUntilItIsHashed() throws SQLException {
        publishAll("relay-a"); // found no row without a hash: looks again after HASH_PROBE_EVERY
        Map<String, List<String>> unhashed = insertWithoutHash(1, 1); // tenant-0, no hash
        List<String> later = write("tenant-0", "t-other");
        clock.advance(Duration.ofMillis(10));
        assertEquals(List.of(), publishAll("relay-a"),
                "the claim itself stops at the unhashed row, whether or not the relay has looked for it yet");

        clock.advance(JpaOutboxStore.HASH_PROBE_EVERY);
        List<OutboxRow> claimed = publishAll("relay-a");
        List<String> all = new ArrayList<>(unhashed.get("tenant-0"));
        all.addAll(later);
        assertEquals(new HashSet<>(all), new HashSet<>(ids(claimed)));
        assertEquals(List.of(all.get(0), all.get(1)), claimed.stream()
                .filter(r -> r.partitionKey().equals("tenant-0")).map(OutboxRow::id).toList(),
                "the unhashed row goes first");
    }

    @Test
    void aKeyWhoseHeadWaitsForItsRetryKeepsItsLaterRowsBackAndOtherKeysGoOn() throws SQLException {
        List<String> ids = write("tenant-0", "tenant-0", "tenant-1");
        exec("UPDATE lerian_streaming_outbox SET next_attempt_at = next_attempt_at + INTERVAL '1' HOUR"
                + " WHERE id = '" + ids.get(0) + "'");
        clock.advance(Duration.ofMillis(10));
        assertEquals(List.of(ids.get(2)), ids(publishAll("relay-a")),
                "tenant-0's second row waits behind its first; tenant-1 goes on");
    }

    @Test
    @Timeout(30)
    void aRowThatARelayWithoutLanesHoldsKeepsItsKeysLaterRowsBack() throws Exception {
        List<String> ids = write("tenant-0", "tenant-0", "tenant-1");
        clock.advance(Duration.ofMillis(10));
        relay("relay-a"); // joined, with every lane, before the other relay holds its row
        var claims = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Connection other = db.connect()) {
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                // A relay of an older version, without lanes, holds tenant-0's first row in its open batch.
                st.executeQuery("SELECT id FROM lerian_streaming_outbox WHERE id = '" + ids.get(0) + "' FOR UPDATE")
                        .close();
                var claim = claims.submit(() -> publishAll("relay-a"));
                List<OutboxRow> whileHeld = null;
                try {
                    whileHeld = claim.get(1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException waitsForTheLock) {
                    // the one-statement claim waits for the row; the two-statement one skips its key
                }
                if (whileHeld != null) {
                    assertFalse(ids(whileHeld).contains(ids.get(1)),
                            "a key's second row was claimed while its first was held by another relay");
                }
                st.executeUpdate("UPDATE lerian_streaming_outbox SET status = 'PUBLISHED' WHERE id = '"
                        + ids.get(0) + "'");
                other.commit();
                List<OutboxRow> claimed = new ArrayList<>(claim.get());
                clock.advance(Duration.ofMillis(10));
                claimed.addAll(publishAll("relay-a"));
                assertEquals(Set.of(ids.get(1), ids.get(2)), new HashSet<>(ids(claimed)),
                        "once the other relay published it, the key's second row goes, and once only");
            }
        } finally {
            claims.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- helpers

    Set<Integer> all() {
        Set<Integer> all = new TreeSet<>();
        for (int i = 0; i < LANES; i++) {
            all.add(i);
        }
        return all;
    }

    static int laneOf(String key) {
        return Lanes.lane(Lanes.keyHash(key), LANES);
    }

    static List<String> ids(List<OutboxRow> rows) {
        return rows.stream().map(OutboxRow::id).toList();
    }

    List<String> write(String... keys) throws SQLException {
        Set<String> before = new HashSet<>(idsInSeqOrder());
        for (String key : keys) {
            writer.write(Envelopes.of(key));
            clock.advance(Duration.ofMillis(1));
        }
        return idsInSeqOrder().stream().filter(id -> !before.contains(id)).toList();
    }

    /** Rows as a writer that predates lanes (or a Go service) parks them: no key hash. @return ids per key */
    Map<String, List<String>> insertWithoutHash(int rows, int keys) throws SQLException {
        byte[] envelope = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, List<String>> perKey = new HashMap<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO"
                + " lerian_streaming_outbox (id, relay_type, aggregate_id, partition_key, topic, envelope, status,"
                + " attempts, next_attempt_at, created_at, updated_at, version)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?, 0)")) {
            for (int i = 0; i < rows; i++) {
                String id = UUID.randomUUID().toString();
                String key = "tenant-" + (i % keys);
                ps.setString(1, id);
                ps.setString(2, OutboxEnvelope.RELAY_TYPE);
                ps.setString(3, UUID.randomUUID().toString());
                ps.setString(4, key);
                ps.setString(5, "lerian.streaming.transaction.created");
                ps.setBytes(6, envelope);
                ps.setObject(7, now);
                ps.setObject(8, now);
                ps.setObject(9, now);
                ps.executeUpdate();
                perKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
            }
        }
        return perKey;
    }

    List<String> idsInSeqOrder() throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM lerian_streaming_outbox ORDER BY seq")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    List<Long> keyHashes() throws SQLException {
        List<Long> hashes = new ArrayList<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT key_hash FROM lerian_streaming_outbox ORDER BY seq")) {
            while (rs.next()) {
                long h = rs.getLong(1);
                hashes.add(rs.wasNull() ? null : h);
            }
        }
        return hashes;
    }

    int relayRows() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM lerian_streaming_outbox_relay")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    int laneRows() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM lerian_streaming_outbox_lane")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    Map<Integer, Long> epochs() throws SQLException {
        Map<Integer, Long> epochs = new HashMap<>();
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT lane, epoch FROM lerian_streaming_outbox_lane")) {
            while (rs.next()) {
                epochs.put(rs.getInt(1), rs.getLong(2));
            }
        }
        assertNotNull(epochs);
        return epochs;
    }

    void exec(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
