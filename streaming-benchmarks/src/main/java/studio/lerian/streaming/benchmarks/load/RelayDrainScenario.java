package studio.lerian.streaming.benchmarks.load;

import static org.awaitility.Awaitility.await;

import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.core.ConditionTimeoutException;
import studio.lerian.streaming.Catalog;
import studio.lerian.streaming.DeliveryPolicy;
import studio.lerian.streaming.benchmarks.Fixtures;
import studio.lerian.streaming.core.internal.EmitterFactory;
import studio.lerian.streaming.core.internal.KafkaEmitter;
import studio.lerian.streaming.core.internal.config.StreamingConfig;
import studio.lerian.streaming.core.internal.config.StreamingConfigLoader;
import studio.lerian.streaming.outbox.jpa.JpaOutboxStore;
import studio.lerian.streaming.wire.Lanes;
import studio.lerian.streaming.wire.OutboxEnvelope;
import studio.lerian.streaming.wire.ResolvedEvent;

/**
 * Scenario d: draining a backlog. The outbox table is filled with {@code rows} due rows (the ~1 KiB payload, the keys
 * round robin, each row's key hash stored as the library's writer stores it), then drained to the broker, timed from
 * the start of the relays to the moment no row is open, once per backlog shape (as many rows over 100 keys, over 3
 * hot keys: {@code keyCounts}):
 * <ul>
 *   <li>by 1 and by N instances of the library's relay (one {@code KafkaEmitter} each, as N application instances,
 *       strict per-key order, the library's default relay settings unless the harness was told otherwise);</li>
 *   <li>by a hand-written JDBC loop of 1 and of N workers on the same table and the same producer settings: claim
 *       the oldest pending rows {@code FOR UPDATE SKIP LOCKED}, send each row's stored bytes with its key, wait for
 *       the acknowledgements, delete the rows, commit. It neither decodes the envelope nor frames CloudEvents headers,
 *       so it is the floor of what any relay costs. It sends a whole claim at once, so it keeps per-key order only
 *       while no send fails (a failed record may then arrive after the ones sent behind it), and with several
 *       workers not even then;</li>
 *   <li>by the same loop keeping per-key order the way the library's strict relay did before it sent a key's rows
 *       back to back: a claim's rows go out in rounds, the n-th row of every key in round n, each round flushed and
 *       acknowledged before the next. The gap between the two loops is the price of that way of keeping the
 *       order.</li>
 * </ul>
 * The rows of each backlog shape are generated once into a staging table and copied into the outbox table before each
 * drain. After each measured drain a consumer reads the topic from the end offsets at the drain's start to its end
 * ({@link DrainReader}) and checks every key's first deliveries against the key's creation order ({@link OrderCheck}):
 * the library must show no violation; the loop sending each claim at once, with several workers, may.
 */
final class RelayDrainScenario {

    private static final String STAGING = "bench_outbox_rows";
    /** How often a drain vacuums the table when the server's autovacuum is off. */
    private static final Duration VACUUM_EVERY = Duration.ofSeconds(10);
    private static final String OPEN_ROWS = "SELECT COUNT(*) FROM lerian_streaming_outbox WHERE status IN "
            + "('PENDING', 'PROCESSING')";

    private final BenchDatabase db;
    private final String brokers;
    private final String topic;
    private final int rows;
    private final int[] keyCounts;
    private final int[] instanceCounts;
    private final int relayBatch;
    private final int[] retentions;
    private final int warmupRows;
    private final Duration timeout;
    private final DrainTargets targets;
    /** The backlog being drained: its key count, and each staged event's key and place in its key's order. */
    private int keys;
    private Map<String, OrderCheck.Staged> staged = Map.of();
    private DrainReader reader;

    /**
     * @param topic the topic the staged events go to, which the consumer reads back
     * @param keyCounts the backlog shapes: how many keys the same {@code rows} are spread over, one drain set each
     * @param instanceCounts relay instances (and JDBC workers), one drain set each
     */
    RelayDrainScenario(BenchDatabase db, String brokers, String topic, int rows, int[] keyCounts,
            int[] instanceCounts, int relayBatch, int[] retentions, int warmupRows, Duration timeout) {
        this.db = db;
        this.brokers = brokers;
        this.topic = topic;
        this.rows = rows;
        this.keyCounts = keyCounts.clone();
        this.instanceCounts = instanceCounts.clone();
        this.relayBatch = relayBatch;
        this.retentions = retentions.clone();
        this.warmupRows = Math.min(warmupRows, rows);
        this.timeout = timeout;
        this.targets = new DrainTargets(keyCounts, instanceCounts, retentions);
    }

    /** The label of the cells of a backlog over {@code keys} keys. */
    static String scenario(int keys) {
        return "d) relay drain, " + keys + " keys (rows/s)";
    }

    /** @return the measured drains set against the targets, filled by {@link #run()} */
    DrainTargets targets() {
        return targets;
    }

    List<Result> run() throws Exception {
        List<Result> results = new ArrayList<>();
        try (DrainReader consumer = new DrainReader(brokers, topic)) {
            reader = consumer;
            for (int k : keyCounts) {
                stage(k);
                for (int n : instanceCounts) {
                    // Each drain is measured after an untimed one of the first warmupRows rows, so that the JIT has
                    // compiled the claim, publish and commit paths before the clock runs (a short drain otherwise
                    // spends a good part of its CPU in the compiler).
                    if (warmupRows > 0) {
                        jdbcLoop(n, warmupRows, false, false);
                    }
                    results.add(jdbcLoop(n, rows, true, false));
                    if (warmupRows > 0) {
                        jdbcLoop(n, warmupRows, false, true);
                    }
                    results.add(jdbcLoop(n, rows, true, true));
                    for (int retentionHours : retentions) {
                        if (warmupRows > 0) {
                            libraryRelays(n, retentionHours, warmupRows, false);
                        }
                        results.add(libraryRelays(n, retentionHours, rows, true));
                    }
                }
                db.execute("DROP TABLE " + STAGING);
            }
        } finally {
            reader = null;
        }
        return results;
    }

    /**
     * Generates the rows of a backlog over {@code keyCount} keys: envelopes and key hashes as the library writes them,
     * the keys round robin, so each key's rows are in creation order; remembers each event's key and place in it.
     */
    private void stage(int keyCount) throws SQLException {
        System.out.printf(Locale.ROOT, "%s: generating %,d rows%n", scenario(keyCount), rows);
        String[] keyNames = new String[keyCount];
        for (int k = 0; k < keyCount; k++) {
            keyNames[k] = String.format(Locale.ROOT, "tenant-%03d", k);
        }
        Map<String, OrderCheck.Staged> events = new HashMap<>(rows * 2);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO lerian_streaming_outbox (id, relay_type,"
                    + " aggregate_id, partition_key, key_hash, topic, envelope, status, attempts, next_attempt_at,"
                    + " created_at, updated_at, version) VALUES (?, 'lerian.streaming.publish', ?, ?, ?, ?, ?,"
                    + " 'PENDING', 0, ?, ?, ?, 0)")) {
                for (int i = 0; i < rows; i++) {
                    String key = keyNames[i % keyCount];
                    String eventId = UUID.randomUUID().toString();
                    ResolvedEvent event = ResolvedEvent.builder().tenantId(key).resourceType("payment")
                            .eventType("captured").eventId(eventId).schemaVersion("1.0.0")
                            .timestamp(now).source(Fixtures.SOURCE).subject("pay_8f3a2c")
                            .dataContentType("application/json").payload(Fixtures.KIB_JSON).build();
                    OutboxEnvelope envelope = OutboxEnvelope.of(Fixtures.KEY, DeliveryPolicy.defaults(), event);
                    events.put(eventId, new OrderCheck.Staged(key, i / keyCount));
                    ps.setString(1, UUID.randomUUID().toString());
                    ps.setString(2, envelope.aggregateId().toString());
                    ps.setString(3, key);
                    ps.setLong(4, Lanes.keyHash(envelope.partitionKey()));
                    ps.setString(5, envelope.topic());
                    ps.setBytes(6, envelope.toJson());
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
        db.execute("CREATE TABLE " + STAGING + " AS SELECT * FROM lerian_streaming_outbox");
        db.execute("DELETE FROM lerian_streaming_outbox");
        keys = keyCount;
        staged = events;
    }

    /** Copies the first staged rows into the (empty) outbox table, in their original order, all due now. */
    private void refill(int count) throws SQLException {
        db.execute("DELETE FROM lerian_streaming_outbox");
        db.execute("INSERT INTO lerian_streaming_outbox (id, relay_type, aggregate_id, partition_key, key_hash, topic,"
                + " envelope, status, attempts, next_attempt_at, created_at, updated_at, version) SELECT id,"
                + " relay_type, aggregate_id, partition_key, key_hash, topic, envelope, 'PENDING', 0,"
                + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0 FROM " + STAGING + " ORDER BY seq LIMIT "
                + count);
        db.vacuum(); // the deleted rows of the previous drain would otherwise weigh on every claim of the next one
    }

    /**
     * The library's relays, with the given {@code STREAMING_OUTBOX_RETENTION_H} (0: published rows deleted), draining
     * the first {@code count} staged rows; when measured, read back, printed and recorded.
     */
    private Result libraryRelays(int instances, int retentionHours, int count, boolean measured) throws Exception {
        refill(count);
        String who = "library relay, strict order";
        System.out.printf(Locale.ROOT, "%-34s %-34s %3d instances: %,d rows%s%n", scenario(keys), who, instances,
                count, measured ? "" : " (warm-up)");
        Map<String, String> props = new HashMap<>();
        props.put("streaming.enabled", "true");
        props.put("streaming.brokers", brokers);
        props.put("streaming.cloudevents.source", Fixtures.SOURCE);
        props.put("streaming.outbox.ordering", "strict");
        props.put("streaming.outbox.retention.h", Integer.toString(retentionHours));
        if (relayBatch > 0) {
            props.put("streaming.outbox.batch.size", Integer.toString(relayBatch));
        }
        StreamingConfig config = StreamingConfigLoader.load(props::get);
        Catalog catalog = Catalog.of(Fixtures.definition());
        EntityManagerFactory unit = db.unit(2 * instances + 2);
        List<KafkaEmitter> relays = new ArrayList<>();
        Map<TopicPartition, Long> from = measured ? reader.mark() : Map.of();
        long start = System.nanoTime();
        Runnable stopVacuums = standInForAutovacuum();
        Result r;
        try {
            for (int i = 0; i < instances; i++) {
                relays.add(EmitterFactory.create(config, catalog, null, null, new JpaOutboxStore(unit)));
            }
            long open = waitUntilDrained(start);
            long elapsed = System.nanoTime() - start;
            r = new Result(scenario(keys), instances, who, false, count - open, elapsed / 1e9, -1, -1, 0,
                    (open == 0 ? "" : String.format(Locale.ROOT, "timed out, %,d rows left; ", open))
                            + "batch " + config.outbox().batchSize() + ", " + config.outbox().lanes() + " lanes"
                            + (retentionHours == 0 ? ", published rows deleted (retention 0)"
                                    : ", published rows kept " + retentionHours + " h"));
        } finally {
            stopVacuums.run();
            relays.forEach(KafkaEmitter::close);
            unit.close();
        }
        return measured ? readBack(r, from, DrainTargets.Drainer.LIBRARY, retentionHours) : r;
    }

    /**
     * A measured drain, its relays or workers stopped: reads what it published back from the topic, checks it against
     * the staged rows, prints and records the cell.
     */
    private Result readBack(Result drained, Map<TopicPartition, Long> from, DrainTargets.Drainer drainer,
            int retentionHours) {
        OrderCheck.Report d = reader.read(from, new OrderCheck(staged));
        // Rows missing from the topic or records nobody staged say the cell is not what it claims: the table says so.
        String anomalies = ((d.missing() == 0 ? "" : String.format(Locale.ROOT, "; %,d staged rows not read back",
                d.missing())) + (d.unexpected() == 0 ? "" : String.format(Locale.ROOT,
                        "; %,d records read back that were not staged", d.unexpected()))).replaceFirst("^; ", "");
        Result r = anomalies.isEmpty() ? drained.withDelivery(d) : drained.withDelivery(d).withNote(anomalies);
        ClosedLoop.print(r);
        System.out.printf(Locale.ROOT, "    read back %,d records, %,d distinct ce-ids, %,d duplicates, order"
                + " violations %s%n", d.read(), d.distinct(), d.duplicates(), d.violationsText());
        targets.add(keys, r.threads(), drainer, retentionHours, r);
        return r;
    }

    /**
     * On a server whose autovacuum is off, runs {@code VACUUM ANALYZE} on the table every {@link #VACUUM_EVERY} until
     * the returned action stops it, standing in for the autovacuum a production server runs: without it every claim, the library's and the
     * JDBC loop's alike, walks all the row versions the drain has left behind. Does nothing when autovacuum is on.
     */
    private Runnable standInForAutovacuum() throws SQLException {
        if (!db.autovacuumOff()) {
            return () -> { };
        }
        ScheduledExecutorService vacuums = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vacuum");
            t.setDaemon(true);
            return t;
        });
        ScheduledFuture<?> vacuuming = vacuums.scheduleWithFixedDelay(() -> {
            try {
                db.vacuum();
            } catch (SQLException e) {
                System.out.println("vacuum failed: " + ClosedLoop.oneLine(e));
            }
        }, VACUUM_EVERY.toMillis(), VACUUM_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return () -> {
            vacuuming.cancel(false);
            vacuums.shutdownNow();
        };
    }

    /** Polls the open-row count every 100 ms (a cheap indexed count) until it is 0 or the timeout passed. */
    private long waitUntilDrained(long start) throws SQLException {
        AtomicLong open = new AtomicLong(db.count(OPEN_ROWS));
        try {
            await().atMost(Duration.ofNanos(Math.max(1, start + timeout.toNanos() - System.nanoTime())))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        open.set(db.count(OPEN_ROWS));
                        return open.get() == 0;
                    });
        } catch (ConditionTimeoutException timedOut) {
            // reported as a partial drain
        }
        return open.get();
    }

    /**
     * The plain JDBC loop draining the first {@code count} staged rows, each claim sent at once or in per-key
     * rounds; when measured, read back, printed and recorded.
     */
    private Result jdbcLoop(int workers, int count, boolean measured, boolean inRounds) throws Exception {
        refill(count);
        String who = inRounds ? "plain JDBC loop, per-key rounds" : "plain JDBC SKIP LOCKED loop";
        System.out.printf(Locale.ROOT, "%-34s %-34s %3d workers: %,d rows%s%n", scenario(keys), who, workers,
                count, measured ? "" : " (warm-up)");
        int batch = relayBatch > 0 ? relayBatch : 200;
        AtomicLong published = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(workers);
        Map<TopicPartition, Long> from = measured ? reader.mark() : Map.of();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Runnable stopVacuums = standInForAutovacuum();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(PlainRecords.producerSettings(brokers))) {
            for (int w = 0; w < workers; w++) {
                Thread worker = new Thread(() -> {
                    try (Connection c = db.connect()) {
                        c.setAutoCommit(false);
                        while (System.nanoTime() < deadline) {
                            int n = claimPublishDelete(c, producer, batch, inRounds);
                            if (n == 0) {
                                break;
                            }
                            published.addAndGet(n);
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                }, "jdbc-relay-" + w);
                worker.setDaemon(true);
                worker.start();
            }
            done.await();
        } finally {
            stopVacuums.run();
        }
        long elapsed = System.nanoTime() - start;
        long open = db.count(OPEN_ROWS);
        String note = (open == 0 ? "" : String.format(Locale.ROOT, "; %,d rows left", open))
                + (failure.get() == null ? "" : "; error: " + ClosedLoop.oneLine(failure.get()));
        // The loop sending each claim at once is the baseline; the one in rounds is compared with it too.
        Result r = new Result(scenario(keys), workers, who, !inRounds, published.get(), elapsed / 1e9, -1, -1,
                failure.get() == null ? 0 : 1, note.replaceFirst("^; ", ""));
        return measured ? readBack(r, from, inRounds ? DrainTargets.Drainer.JDBC_ROUNDS
                : DrainTargets.Drainer.JDBC_LOOP, -1) : r;
    }

    /**
     * One transaction: claim up to {@code batch} rows, publish them (all at once, or in per-key rounds), wait for every
     * ack, delete them.
     */
    private static int claimPublishDelete(Connection c, KafkaProducer<byte[], byte[]> producer, int batch,
            boolean inRounds) throws Exception {
        List<String> ids = new ArrayList<>(batch);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(batch);
        Map<String, List<ProducerRecord<byte[], byte[]>>> byKey = new LinkedHashMap<>();
        try (PreparedStatement claim = c.prepareStatement("SELECT id, partition_key, topic, envelope FROM"
                + " lerian_streaming_outbox WHERE status = 'PENDING' AND next_attempt_at <= CURRENT_TIMESTAMP"
                + " ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED")) {
            claim.setInt(1, batch);
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    String key = rs.getString(2);
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(rs.getString(3),
                            PlainRecords.utf8(key), rs.getBytes(4));
                    records.add(record);
                    byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(record);
                }
            }
        }
        if (ids.isEmpty()) {
            c.commit();
            return 0;
        }
        for (List<ProducerRecord<byte[], byte[]>> round : inRounds ? perKeyRounds(byKey) : List.of(records)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(round.size());
            round.forEach(record -> acks.add(producer.send(record)));
            if (inRounds) {
                producer.flush(); // no linger between rounds, as in the library's relay
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM lerian_streaming_outbox WHERE id = ?")) {
            for (String id : ids) {
                delete.setString(1, id);
                delete.addBatch();
            }
            delete.executeBatch();
        }
        c.commit();
        return ids.size();
    }

    /** Round n holds the n-th record of every key that has one, keys in the order of their first record. */
    private static List<List<ProducerRecord<byte[], byte[]>>> perKeyRounds(
            Map<String, List<ProducerRecord<byte[], byte[]>>> byKey) {
        List<List<ProducerRecord<byte[], byte[]>>> rounds = new ArrayList<>();
        for (List<ProducerRecord<byte[], byte[]>> run : byKey.values()) {
            for (int n = 0; n < run.size(); n++) {
                if (rounds.size() == n) {
                    rounds.add(new ArrayList<>());
                }
                rounds.get(n).add(run.get(n));
            }
        }
        return rounds;
    }
}
