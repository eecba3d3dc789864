package studio.lerian.streaming.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import studio.lerian.streaming.EmitRequest;
import studio.lerian.streaming.Emitter;
import studio.lerian.streaming.EventDefinition;
import studio.lerian.streaming.benchmarks.Fixtures;
import studio.lerian.streaming.cdi.support.KafkaBroker;
import studio.lerian.streaming.cdi.support.StreamingContainer;

/**
 * Synchronous publish load, in one run and on one broker: a plain {@link KafkaProducer} with the library's producer
 * settings (acks=all, idempotence, lz4, linger 5 ms, batch 16 KiB, request size 1 MiB, 10 retries) sending records
 * with the library's {@code lerian} headers, versus the library's {@link Emitter#emit} through CDI (Weld SE, SmallRye
 * Config and Fault Tolerance, the streaming extension), both with the ~1 KiB JSON payload and 100 tenants as keys,
 * each call waiting for the broker's acknowledgement. For each thread count, both run for the same bounded time after
 * a short warm-up, plain first at the 1st, 3rd, ... thread count and library first at the others; the table gives
 * throughput, p50 and p99 and the library/plain ratios.
 *
 * <p>Arguments (all optional): {@code --seconds N} (measured time per cell, default 10), {@code --warmup N}
 * (default 3), {@code --threads 1,8,64,256}, {@code --brokers host:port} (default: an in-JVM KRaft broker on
 * 127.0.0.1, started and deleted by the harness), {@code --out file.md} (also write the table there).
 */
public final class LoadHarness {

    private static final String TOPIC = "lerian.streaming.payment.captured";
    private static final int TENANTS = 100;
    private static final int PARTITIONS = 6;
    private static final String PLAIN = "plain KafkaProducer";
    private static final String LIBRARY = "library emit (CDI)";

    private LoadHarness() {
    }

    /** A publisher under test: one synchronous, acknowledged send. */
    private interface Sender {
        void send(String tenant) throws Exception;
    }

    /** One cell of the table. */
    private record Result(String who, int threads, long ops, double seconds, long p50Nanos, long p99Nanos,
            long errors) {
        double throughput() {
            return ops / seconds;
        }
    }

    /**
     * Runs the load.
     *
     * @param args see the class comment
     * @throws Exception when the broker or a client cannot start
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
        int[] threadCounts = Arrays.stream(opts.getOrDefault("threads", "1,8,64,256").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        String brokers = opts.get("brokers");
        String[] tenants = new String[TENANTS];
        for (int i = 0; i < TENANTS; i++) {
            tenants[i] = String.format(Locale.ROOT, "tenant-%03d", i);
        }

        KafkaBroker broker = null;
        if (brokers == null) {
            broker = new KafkaBroker().start();
            brokers = broker.bootstrap();
            broker.createTopic(TOPIC, PARTITIONS, Map.of());
            System.out.println("in-JVM KRaft broker at " + brokers + ", topic " + TOPIC + " with " + PARTITIONS
                    + " partitions");
        } else {
            System.out.println("broker " + brokers + " (topic " + TOPIC + " must exist or be auto-created)");
        }
        List<Result> results = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> plain = new KafkaProducer<>(plainSettings(brokers));
                StreamingContainer cdi = StreamingContainer.start(libraryProperties(brokers), BenchCatalog.class)) {
            Emitter emitter = cdi.emitter();
            Sender plainSender = tenant -> plain.send(plainRecord(tenant)).get();
            Sender librarySender = tenant -> emitter.emit(EmitRequest.builder(Fixtures.KEY)
                    .tenantId(tenant)
                    .subject("pay_8f3a2c")
                    .payload(Fixtures.KIB_JSON)
                    .build());
            for (int i = 0; i < threadCounts.length; i++) {
                // Alternate which one goes first, so that neither always inherits the other's broker state.
                boolean plainFirst = i % 2 == 0;
                Result first = plainFirst ? run(PLAIN, plainSender, threadCounts[i], warmup, seconds, tenants)
                        : run(LIBRARY, librarySender, threadCounts[i], warmup, seconds, tenants);
                Result second = plainFirst ? run(LIBRARY, librarySender, threadCounts[i], warmup, seconds, tenants)
                        : run(PLAIN, plainSender, threadCounts[i], warmup, seconds, tenants);
                results.add(plainFirst ? first : second);
                results.add(plainFirst ? second : first);
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        String table = table(results);
        System.out.println();
        System.out.println(table);
        String out = opts.get("out");
        if (out != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(out), table, StandardCharsets.UTF_8);
        }
        System.exit(0);
    }

    /** The library's producer settings at their defaults (see ProducerSettings in streaming-cdi). */
    private static Properties plainSettings(String brokers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 16_384);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576);
        p.put(ProducerConfig.RETRIES_CONFIG, 10);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 29_995);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return p;
    }

    private static Map<String, String> libraryProperties(String brokers) {
        Map<String, String> p = new HashMap<>();
        p.put("streaming.enabled", "true");
        p.put("streaming.brokers", brokers);
        p.put("streaming.cloudevents.source", Fixtures.SOURCE);
        return p;
    }

    /** What a hand-rolled producer would send: the same key, value and ce- headers as the library's record. */
    private static ProducerRecord<byte[], byte[]> plainRecord(String tenant) {
        Headers h = new RecordHeaders();
        h.add("ce-specversion", utf8("1.0"));
        h.add("ce-id", utf8(UUID.randomUUID().toString()));
        h.add("ce-source", utf8(Fixtures.SOURCE));
        h.add("ce-type", utf8("studio.lerian.payment.captured"));
        h.add("ce-time", utf8(Instant.now().toString()));
        h.add("ce-schemaversion", utf8(EventDefinition.DEFAULT_SCHEMA_VERSION));
        h.add("ce-resourcetype", utf8("payment"));
        h.add("ce-eventtype", utf8("captured"));
        h.add("ce-subject", utf8("pay_8f3a2c"));
        h.add("ce-datacontenttype", utf8(EventDefinition.DEFAULT_DATA_CONTENT_TYPE));
        h.add("ce-tenantid", utf8(tenant));
        return new ProducerRecord<>(TOPIC, null, utf8(tenant), Fixtures.KIB_JSON, h);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Warm-up, then the measured window; every thread sends back to back until the window closes. */
    private static Result run(String who, Sender sender, int threads, int warmupSeconds, int seconds,
            String[] tenants) throws InterruptedException {
        System.out.printf(Locale.ROOT, "%-22s %3d threads: warm-up %d s, measure %d s%n", who, threads, warmupSeconds,
                seconds);
        long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        long[][] latencies = new long[threads][];
        int[] counts = new int[threads];
        long[] errors = new long[threads];
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                long[] lat = new long[1 << 14];
                int n = 0;
                int i = id;
                try {
                    while (true) {
                        long start = System.nanoTime();
                        if (start >= end) {
                            break;
                        }
                        try {
                            sender.send(tenants[i++ % tenants.length]);
                        } catch (Exception e) {
                            errors[id]++;
                            firstError.compareAndSet(null, e instanceof ExecutionException ? e.getCause() : e);
                            continue;
                        }
                        long stop = System.nanoTime();
                        if (start >= warmEnd && stop <= end) {
                            if (n == lat.length) {
                                lat = Arrays.copyOf(lat, n * 2);
                            }
                            lat[n++] = stop - start;
                        }
                    }
                } finally {
                    latencies[id] = lat;
                    counts[id] = n;
                    done.countDown();
                }
            }, "load-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        long[] all = new long[total];
        int at = 0;
        long errorCount = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
            errorCount += errors[t];
        }
        Arrays.sort(all);
        Result r = new Result(who, threads, total, seconds, percentile(all, 0.50), percentile(all, 0.99),
                errorCount);
        System.out.printf(Locale.ROOT, "  %,.0f/s  p50 %.2f ms  p99 %.2f ms  errors %d%s%n", r.throughput(),
                r.p50Nanos() / 1e6, r.p99Nanos() / 1e6, errorCount,
                firstError.get() == null ? "" : " (first: " + firstError.get() + ")");
        return r;
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| Threads | Publisher | Throughput (ops/s) | p50 (ms) | p99 (ms) | Errors | Throughput ratio | "
                + "p50 ratio | p99 ratio |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Result plain = null;
        for (Result r : results) {
            boolean isPlain = PLAIN.equals(r.who());
            if (isPlain) {
                plain = r;
            }
            String ratios = isPlain || plain == null ? " | | |" : String.format(Locale.ROOT, " %.2f | %.2f | %.2f |",
                    r.throughput() / plain.throughput(), (double) r.p50Nanos() / plain.p50Nanos(),
                    (double) r.p99Nanos() / plain.p99Nanos());
            sb.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %.2f | %.2f | %d |", r.threads(), r.who(),
                    r.throughput(), r.p50Nanos() / 1e6, r.p99Nanos() / 1e6, r.errors())).append(ratios).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }
}
