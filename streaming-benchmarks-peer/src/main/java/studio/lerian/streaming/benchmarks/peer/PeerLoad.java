package studio.lerian.streaming.benchmarks.peer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * One cell of the load harness for the SmallRye Reactive Messaging Kafka connector: boots Weld SE with the connector,
 * then {@code --threads} callers each send a record through {@link PeerSender} and wait for its acknowledgement, back
 * to back, for {@code --warmup} seconds unmeasured and {@code --seconds} measured. The record is the one the harness's
 * plain producer sends (same key, value and {@code ce-} headers); the producer settings are the library's defaults,
 * given to the connector as pass-through Kafka properties. The last line of the output is the result, for the harness
 * to read: {@code RESULT ops=<n> seconds=<s> p50=<ns> p99=<ns> errors=<n> firstError=<text>}.
 *
 * <p>Arguments: {@code --brokers host:port --topic name --payload file --source uri --threads n --warmup s
 * --seconds s [--tenants n]}.
 */
public final class PeerLoad {

    static final String CHANNEL = "bench";
    private static final long MAX_LATENCY_NANOS = 120_000_000_000L;

    private PeerLoad() {
    }

    /**
     * Runs the cell.
     *
     * @param args see the class comment
     * @throws Exception when the connector cannot start
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String brokers = opts.get("brokers");
        String topic = opts.get("topic");
        byte[] payload = Files.readAllBytes(Path.of(opts.get("payload")));
        String source = opts.get("source");
        int threads = Integer.parseInt(opts.get("threads"));
        int warmup = Integer.parseInt(opts.get("warmup"));
        int seconds = Integer.parseInt(opts.get("seconds"));
        int tenants = Integer.parseInt(opts.getOrDefault("tenants", "100"));

        configure(brokers, topic);
        ConfigProvider.getConfig(); // before Weld, or the connector's config lookup fails (SRCFG00015)
        try (WeldContainer weld = new Weld("peer").initialize()) {
            PeerSender sender = weld.select(PeerSender.class).get();
            String[] keys = new String[tenants];
            for (int i = 0; i < tenants; i++) {
                keys[i] = String.format(Locale.ROOT, "tenant-%03d", i);
            }
            long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
            long end = warmEnd + seconds * 1_000_000_000L;
            Histogram all = new Histogram(MAX_LATENCY_NANOS, 3);
            AtomicLong ops = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicReference<Throwable> firstError = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread thread = new Thread(() -> {
                    Histogram mine = new Histogram(MAX_LATENCY_NANOS, 3);
                    long n = 0;
                    long failed = 0;
                    for (int i = id; ; i++) {
                        long start = System.nanoTime();
                        if (start >= end) {
                            break;
                        }
                        String tenant = keys[i % tenants];
                        try {
                            sender.sendAndWait(tenant.getBytes(StandardCharsets.UTF_8),
                                    headers(source, tenant), payload);
                        } catch (Exception e) {
                            firstError.compareAndSet(null, e);
                            if (start >= warmEnd) {
                                failed++;
                            }
                            continue;
                        }
                        if (start >= warmEnd) {
                            long stop = System.nanoTime();
                            if (stop <= end) {
                                mine.recordValue(Math.min(stop - start, MAX_LATENCY_NANOS));
                                n++;
                            }
                        }
                    }
                    synchronized (all) {
                        all.add(mine);
                    }
                    ops.addAndGet(n);
                    errors.addAndGet(failed);
                    done.countDown();
                }, "peer-caller-" + t);
                thread.start();
            }
            done.await();
            Throwable error = firstError.get();
            System.out.printf(Locale.ROOT, "RESULT ops=%d seconds=%d p50=%d p99=%d errors=%d firstError=%s%n",
                    ops.get(), seconds, all.getValueAtPercentile(50), all.getValueAtPercentile(99), errors.get(),
                    error == null ? "" : error.toString().replace('\n', ' '));
            System.out.flush();
        }
        Runtime.getRuntime().halt(0); // the connector's Vert.x threads are not daemons
    }

    /** The channel, on the connector, with the library's default producer settings (ProducerSettings). */
    private static void configure(String brokers, String topic) {
        String p = "mp.messaging.outgoing." + CHANNEL + ".";
        Map<String, String> c = new HashMap<>();
        c.put("connector", "smallrye-kafka");
        c.put("topic", topic);
        c.put("bootstrap.servers", brokers);
        c.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        c.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        c.put("acks", "all"); // the connector's default is 1
        c.put("enable.idempotence", "true");
        c.put("compression.type", "lz4");
        c.put("linger.ms", "5");
        c.put("batch.size", "16384");
        c.put("max.request.size", "1048576");
        c.put("retries", "10");
        c.put("delivery.timeout.ms", "30000");
        c.put("request.timeout.ms", "29995");
        c.put("max.block.ms", "15000");
        c.put("tracing-enabled", "false");
        c.put("health-enabled", "false");
        c.forEach((k, v) -> System.setProperty(p + k, v));
    }

    /** The same {@code ce-} headers as the harness's plain record. */
    private static Headers headers(String source, String tenant) {
        Headers h = new RecordHeaders();
        h.add("ce-specversion", utf8("1.0"));
        h.add("ce-id", utf8(UUID.randomUUID().toString()));
        h.add("ce-source", utf8(source));
        h.add("ce-type", utf8("studio.lerian.payment.captured"));
        h.add("ce-time", utf8(Instant.now().toString()));
        h.add("ce-schemaversion", utf8("1.0.0"));
        h.add("ce-resourcetype", utf8("payment"));
        h.add("ce-eventtype", utf8("captured"));
        h.add("ce-subject", utf8("pay_8f3a2c"));
        h.add("ce-datacontenttype", utf8("application/json"));
        h.add("ce-tenantid", utf8(tenant));
        return h;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
