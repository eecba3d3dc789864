package studio.lerian.streaming.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.benchmarks.Fixtures;
import studio.lerian.streaming.core.support.BrokerProcess;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * The load harness: the library next to what it wraps and to what users would pick instead, on one broker, in one
 * run, with one table at the end (Markdown and CSV under {@code --out}).
 * <ul>
 *   <li>a) synchronous publish: a plain {@link KafkaProducer} ({@link PlainRecords}: the library's producer
 *       settings, its {@code ce-} headers, the ~1 KiB payload, 100 tenants as keys, {@code send(...).get()}) versus
 *       the library's {@link Emitter#emit} through CDI (Weld SE, SmallRye Config and Fault Tolerance, the streaming
 *       and outbox extensions), per caller thread count;</li>
 *   <li>b) batches: plain asynchronous {@code send} of a batch, then waiting for every acknowledgement, versus the
 *       library's {@link Emitter#emitAll}, per caller thread count;</li>
 *   <li>c) the circuit-open fallback to the outbox versus a bare JPA insert ({@link FallbackScenario});</li>
 *   <li>d) relay drain rate versus a plain JDBC {@code SKIP LOCKED} loop, each drain read back from the topic and
 *       checked for per-key order, on backlogs over many keys and over a few hot keys ({@link RelayDrainScenario});
 *       its cells set against the targets under the table ({@link DrainTargets});</li>
 *   <li>e) the SmallRye Reactive Messaging Kafka connector's {@code @Channel Emitter}, waiting on each ack, in its
 *       own JVM ({@link PeerProcess}), at the thread counts of a.</li>
 * </ul>
 * The broker is a single-node KRaft broker in its own OS process ({@link BrokerProcess}), unless {@code --brokers}
 * or {@code STREAMING_BROKERS} names one. The database is PostgreSQL when it answers at {@code --postgres}, H2
 * otherwise.
 *
 * <p>Arguments, all optional ({@code --name value}): {@code seconds} (measured time per cell, 10), {@code warmup}
 * (3), {@code threads} (1,8,64,256: a and e), {@code batch-threads} (1,16) and {@code batch-size} (100: b),
 * {@code fallback-threads} (1,8: c), {@code relay-rows} (200000), {@code relay-keys} (100,3: d, one backlog of
 * {@code relay-rows} rows over each key count), {@code relays} (1,4), {@code relay-batch} (0 = the
 * library's default), {@code relay-retention-h} (24,0: d, one library drain per value of
 * {@code STREAMING_OUTBOX_RETENTION_H}, 0 deleting rows as they are published), {@code relay-warmup-rows} (20000:
 * d, an untimed drain of that many rows before each measured one), {@code relay-timeout} (900 s: d), {@code scenarios} (a,b,c,d,e), {@code brokers},
 * {@code postgres} (jdbc:postgresql://127.0.0.1:5432/test, or none), {@code postgres-user} (postgres),
 * {@code peer} (streaming-benchmarks-peer/target), {@code out} (streaming-benchmarks/target/load).
 */
public final class LoadHarness {

    static final String TOPIC = "lerian.streaming.payment.captured";
    private static final int TENANTS = 100;
    private static final int PARTITIONS = 6;
    private static final String SYNC = "a) sync publish";
    private static final String BATCH = "b) batch publish (records/s)";
    private static final String PEER = "e) peer, sync publish";
    private static final String PLAIN = "plain KafkaProducer";
    private static final String LIBRARY = "library emit (CDI)";

    private LoadHarness() {
    }

    /**
     * Runs the load.
     *
     * @param args see the class comment
     * @throws Exception when the broker, the database or a client cannot start
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        Duration measure = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("seconds", "10")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("warmup", "3")));
        int[] threadCounts = ints(opts.getOrDefault("threads", "1,8,64,256"));
        int[] batchThreads = ints(opts.getOrDefault("batch-threads", "1,16"));
        int batchSize = Integer.parseInt(opts.getOrDefault("batch-size", "100"));
        int[] fallbackThreads = ints(opts.getOrDefault("fallback-threads", "1,8"));
        int relayRows = Integer.parseInt(opts.getOrDefault("relay-rows", "200000"));
        int[] relayKeys = ints(opts.getOrDefault("relay-keys", "100,3"));
        int[] relays = ints(opts.getOrDefault("relays", "1,4"));
        int relayBatch = Integer.parseInt(opts.getOrDefault("relay-batch", "0"));
        int[] relayRetentions = ints(opts.getOrDefault("relay-retention-h", "24,0"));
        int relayWarmupRows = Integer.parseInt(opts.getOrDefault("relay-warmup-rows", "20000"));
        Duration relayTimeout = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("relay-timeout", "900")));
        Set<String> scenarios = Set.of(opts.getOrDefault("scenarios", "a,b,c,d,e").split(","));
        Path out = Path.of(opts.getOrDefault("out", "streaming-benchmarks/target/load"));
        Path peerTarget = Path.of(opts.getOrDefault("peer", "streaming-benchmarks-peer/target"));
        String brokers = opts.getOrDefault("brokers", System.getenv("STREAMING_BROKERS"));
        Files.createDirectories(out);

        String[] tenants = new String[TENANTS];
        for (int i = 0; i < TENANTS; i++) {
            tenants[i] = String.format(Locale.ROOT, "tenant-%03d", i);
        }
        String started = Instant.now() + ", load average " + loadAverage();
        BrokerProcess broker = null;
        List<Result> results = new ArrayList<>();
        String databaseKind;
        String drainTargets = "";
        try {
            if (brokers == null || brokers.isBlank()) {
                broker = BrokerProcess.singleNode(out.resolve("broker")).start();
                BrokerProcess running = broker;
                Runtime.getRuntime().addShutdownHook(new Thread(running::kill));
                brokers = broker.bootstrap();
                System.out.println("KRaft broker in its own process (pid " + broker.pid() + ") at " + brokers);
            } else {
                System.out.println("external broker " + brokers);
            }
            createTopic(brokers);
            try (BenchDatabase db = BenchDatabase.open(opts.getOrDefault("postgres",
                    "jdbc:postgresql://127.0.0.1:5432/test"), opts.getOrDefault("postgres-user", "postgres"))) {
                databaseKind = db.describe();
                System.out.println("outbox database: " + databaseKind);
                if (scenarios.contains("a") || scenarios.contains("b") || scenarios.contains("e")) {
                    results.addAll(publish(brokers, db, scenarios, threadCounts, batchThreads, batchSize, warmup,
                            measure, tenants, new PeerProcess(peerTarget, out)));
                }
                if (scenarios.contains("c")) {
                    results.addAll(new FallbackScenario(db, tenants, TOPIC).run(fallbackThreads, warmup, measure));
                }
                if (scenarios.contains("d")) {
                    RelayDrainScenario drain = new RelayDrainScenario(db, brokers, TOPIC, relayRows, relayKeys,
                            relays, relayBatch, relayRetentions, relayWarmupRows, relayTimeout);
                    results.addAll(drain.run());
                    drainTargets = drain.targets().markdown();
                }
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        ResultTable table = new ResultTable(results, Map.of(PEER, SYNC));
        String header = String.format(Locale.ROOT, "Run started %s; ended %s, load average %s. %d cores, Java %s,"
                + " broker %s, database %s. Cells: %d s warm-up + %d s measured; relay drain of %,d rows over %s"
                + " keys.%n%n", started, Instant.now(), loadAverage(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), broker != null ? "in its own process" : brokers, databaseKind,
                warmup.toSeconds(), measure.toSeconds(), relayRows, Arrays.stream(relayKeys)
                        .mapToObj(Integer::toString).collect(Collectors.joining(" and ")));
        String markdown = table.markdown() + (drainTargets.isEmpty() ? "" : "\n" + drainTargets);
        System.out.println();
        System.out.print(header);
        System.out.println(markdown);
        Files.writeString(out.resolve("load.md"), header + markdown, StandardCharsets.UTF_8);
        Files.writeString(out.resolve("load.csv"), table.csv(), StandardCharsets.UTF_8);
        System.out.println("written: " + out.resolve("load.md") + ", " + out.resolve("load.csv"));
        System.exit(0);
    }

    /** Scenarios a, b and e, in one CDI container, the broker the same for all. */
    private static List<Result> publish(String brokers, BenchDatabase db, Set<String> scenarios, int[] threadCounts,
            int[] batchThreads, int batchSize, Duration warmup, Duration measure, String[] tenants, PeerProcess peer)
            throws Exception {
        List<Result> results = new ArrayList<>();
        var unit = db.unit(8);
        BenchApplication.unit = unit;
        Map<String, String> props = new HashMap<>();
        props.put("streaming.enabled", "true");
        props.put("streaming.brokers", brokers);
        props.put("streaming.cloudevents.source", Fixtures.SOURCE);
        try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(PlainRecords.producerSettings(brokers));
                StreamingContainer cdi = StreamingContainer.start(props, BenchCatalog.class, BenchApplication.class)) {
            Emitter emitter = cdi.emitter();
            ClosedLoop.Call plainSync = (t, n) -> plain.send(PlainRecords.record(TOPIC, tenant(tenants, t, n))).get();
            ClosedLoop.Call librarySync = (t, n) -> emitter.emit(request(tenant(tenants, t, n)));
            if (scenarios.contains("a") || scenarios.contains("e")) {
                for (int i = 0; i < threadCounts.length; i++) {
                    int threads = threadCounts[i];
                    List<Result> cell = new ArrayList<>();
                    // rotate who goes first, so that no publisher always inherits the others' broker state
                    for (int k = 0; k < 3; k++) {
                        switch ((i + k) % 3) {
                            case 0 -> cell.add(ClosedLoop.run(SYNC, PLAIN, true, threads, 1, warmup, measure,
                                    plainSync));
                            case 1 -> {
                                if (scenarios.contains("a")) {
                                    cell.add(ClosedLoop.run(SYNC, LIBRARY, false, threads, 1, warmup, measure,
                                            librarySync));
                                }
                            }
                            default -> {
                                if (scenarios.contains("e") && peer.available()) {
                                    cell.add(peer.run(PEER, brokers, TOPIC, threads, warmup, measure));
                                } else if (scenarios.contains("e")) {
                                    System.out.println("peer not built (" + PeerProcess.WHO + "): skipped");
                                }
                            }
                        }
                    }
                    cell.sort((x, y) -> Integer.compare(order(x), order(y)));
                    results.addAll(cell);
                }
            }
            if (scenarios.contains("b")) {
                ClosedLoop.Call plainBatch = (t, n) -> {
                    List<Future<RecordMetadata>> acks = new ArrayList<>(batchSize);
                    for (int j = 0; j < batchSize; j++) {
                        acks.add(plain.send(PlainRecords.record(TOPIC, tenant(tenants, t, n * batchSize + j))));
                    }
                    for (Future<RecordMetadata> ack : acks) {
                        ack.get();
                    }
                };
                ClosedLoop.Call libraryBatch = (t, n) -> {
                    List<EmitRequest> batch = new ArrayList<>(batchSize);
                    for (int j = 0; j < batchSize; j++) {
                        batch.add(request(tenant(tenants, t, n * batchSize + j)));
                    }
                    emitter.emitAll(batch);
                };
                for (int i = 0; i < batchThreads.length; i++) {
                    int threads = batchThreads[i];
                    Result plainCell = null;
                    Result libraryCell = null;
                    for (int k = 0; k < 2; k++) {
                        if ((i + k) % 2 == 0) {
                            plainCell = ClosedLoop.run(BATCH, "plain async send + wait all", true, threads,
                                    batchSize, warmup, measure, plainBatch).withNote("batch of " + batchSize);
                        } else {
                            libraryCell = ClosedLoop.run(BATCH, "library emitAll (CDI)", false, threads, batchSize,
                                    warmup, measure, libraryBatch).withNote("batch of " + batchSize);
                        }
                    }
                    results.add(plainCell);
                    results.add(libraryCell);
                }
            }
        } finally {
            BenchApplication.unit = null;
            unit.close();
        }
        db.execute("DELETE FROM lerian_streaming_outbox"); // rows parked by strict ordering, if any
        return results;
    }

    /** Table order within a thread count: plain, library, peer. */
    private static int order(Result r) {
        return r.baseline() ? 0 : LIBRARY.equals(r.who()) ? 1 : 2;
    }

    private static String tenant(String[] tenants, int thread, long n) {
        return tenants[(int) ((thread + n) % tenants.length)];
    }

    private static EmitRequest request(String tenant) {
        return EmitRequest.builder(Fixtures.KEY).tenantId(tenant).subject("pay_8f3a2c").payload(Fixtures.KIB_JSON)
                .build();
    }

    private static void createTopic(String brokers) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            try {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all()
                        .get(30, TimeUnit.SECONDS);
                System.out.println("topic " + TOPIC + " created with " + PARTITIONS + " partitions");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                System.out.println("topic " + TOPIC + " exists");
            }
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ", -1);
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception notLinux) {
            return "unknown";
        }
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("expected --name value pairs, got a lone " + args[args.length - 1]);
        }
        return opts;
    }
}
